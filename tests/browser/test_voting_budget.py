"""A village budget in a real browser, on a 360 px phone: a resident fills in a knapsack ballot (the progress bar
follows every click, a project that does not fit is refused with a message), checks it, casts it and sees the
receipt; after the close staff publish the result on the budget page, and the result page explains it (who paid
how much under Equal Shares). axe runs on every page and every state visited.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from community.demo import DEMO_PASSWORD
from community.models import Kern
from tests.factories import UserFactory
from tests.factories_voting import BudgetFactory, ProjectFactory
from voting.models import Ballot, BallotBox, Budget, CountingRule, Turnout
from voting.services.casting import cast_ballot, receipt_counted

pytestmark = pytest.mark.browser

RESIDENT = "jan@example.org"  # lives in Bleskensgraaf
STAFF = "fatima@example.org"


@pytest.fixture
def budget(demo_site):
    kern = Kern.objects.get(slug="bleskensgraaf")
    budget = BudgetFactory(box__kern=kern, title="Kernbudget Bleskensgraaf", amount=10_000,
                           counting_rule=CountingRule.EQUAL_SHARES,
                           intro="Tienduizend euro voor het dorp. Wat vindt u het belangrijkst?")
    budget.p = {title: ProjectFactory(budget=budget, title=title, cost=cost, summary=summary)
                for title, cost, summary in (
        ("Speeltuin", 4_000, "Nieuwe toestellen bij de school."),
        ("Bankjes", 3_500, "Bankjes langs de Graafstroom."),
        ("Bomen", 3_000, "Twintig bomen op het plein."),
        ("Fietsrek", 500, "Een overdekt fietsrek bij de bushalte."),
                )}
    box = Budget.objects.select_related("box__poll").get(pk=budget.pk).box
    for choices in (["Speeltuin"], ["Speeltuin", "Fietsrek"], ["Bomen"]):
        neighbour = UserFactory(kern=kern)
        cast_ballot(actor=neighbour, box=box, choices=[budget.p[title].pk for title in choices],
                    idempotency_key=f"buur-{neighbour.pk}")
    return budget


def fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "sideways scrolling"


def test_a_resident_votes_on_a_phone_and_staff_publish_the_result(budget, new_context, login, assert_accessible):
    page = new_context().new_page()
    login(page, RESIDENT, DEMO_PASSWORD)

    # The budget page: phases, the amount, how to take part now.
    page.goto(f"/kernbudget/{budget.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kernbudget Bleskensgraaf")
    expect(page.locator("[aria-current=step]")).to_contain_text("Stemmen")
    assert_accessible(page)
    fits_the_phone(page)
    page.get_by_role("link", name="Stem nu").click()

    # The ballot: every change is saved at once and the progress follows it.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Stemmen")
    progress = page.locator("[data-progress-text]")
    bar = page.locator("#ballot-progress")
    expect(progress).to_have_text("€ 0 van € 10.000 gekozen")
    assert_accessible(page)
    fits_the_phone(page)
    page.get_by_label(re.compile("^Speeltuin")).check()
    expect(progress).to_have_text("€ 4.000 van € 10.000 gekozen")
    expect(bar).to_have_js_property("value", 4000)
    # With the keyboard only: focus the next project and press Space.
    page.get_by_label(re.compile("^Bankjes")).focus()
    page.keyboard.press("Space")
    expect(progress).to_have_text("€ 7.500 van € 10.000 gekozen")
    expect(bar).to_have_js_property("value", 7500)
    bomen = page.get_by_label(re.compile("^Bomen"))
    expect(page.locator(f"#note-{budget.p['Bomen'].pk}")).to_contain_text("Past niet meer in het budget")
    bomen.click()  # ticked, then unticked again once the server refuses
    error = page.locator(f"#error-{budget.p['Bomen'].pk}")
    expect(error).to_have_text("Dit past niet meer. Samen kost het dan € 10.500. Het budget is € 10.000.")
    expect(bomen).not_to_be_checked()
    expect(bomen).to_have_attribute("aria-invalid", "true")
    expect(progress).to_have_text("€ 7.500 van € 10.000 gekozen")
    assert_accessible(page)
    page.get_by_label(re.compile("^Fietsrek")).check()
    expect(progress).to_have_text("€ 8.000 van € 10.000 gekozen")
    expect(page.get_by_role("button", name="Opslaan", exact=True)).to_be_hidden()  # each change is kept already
    page.get_by_role("button", name="Opslaan en verder").click()

    # The check: the choices and the total, a way back, and the button that casts.
    expect(page.get_by_role("heading", level=1)).to_have_text("Controleer uw stem")
    summary = page.locator("table.ballot-summary")
    for title in ("Speeltuin", "Bankjes", "Fietsrek"):
        expect(summary).to_contain_text(title)
    expect(summary).not_to_contain_text("Bomen")
    expect(page.get_by_text("€ 8.000 van € 10.000 gekozen")).to_be_visible()
    expect(page.get_by_role("link", name="Pas aan")).to_be_visible()
    assert_accessible(page)
    fits_the_phone(page)
    page.get_by_role("button", name="Stem uitbrengen").click()

    # The receipt: large, in groups, copyable, with what it proves.
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw stem is geteld")
    code = page.locator("#receipt-code").input_value()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)
    assert page.locator("#receipt-code").evaluate("el => el.scrollWidth <= el.clientWidth"), "the whole code shows"
    expect(page.get_by_text("De code laat niet zien wat u koos.", exact=False)).to_be_visible()
    assert_accessible(page)
    fits_the_phone(page)
    box = BallotBox.objects.get(pk=budget.box_id)
    assert receipt_counted(box, code)
    assert Ballot.objects.filter(box=box).count() == 4 and Turnout.objects.filter(box=box).count() == 4

    # The box closes; staff count and publish the result on the budget page.
    BallotBox.objects.filter(pk=box.pk).update(closes_at=timezone.now() - timedelta(minutes=1),
                                               opens_at=timezone.now() - timedelta(days=2))
    staff_page = new_context().new_page()
    login(staff_page, STAFF, DEMO_PASSWORD)
    staff_page.goto(f"/kernbudget/{budget.slug}/")
    publish = staff_page.get_by_role("button", name="Uitslag tellen en publiceren")
    expect(publish).to_be_visible()
    assert_accessible(staff_page)
    publish.click()

    # The result: what was chosen, why, in words and in a table.
    expect(staff_page.get_by_role("heading", level=1)).to_have_text("Uitslag: Kernbudget Bleskensgraaf")
    expect(staff_page.get_by_text("De uitslag is geteld en gepubliceerd.")).to_be_visible()
    assert_accessible(staff_page)
    page.goto(f"/kernbudget/{budget.slug}/uitslag/")
    chosen = page.locator("section", has=page.get_by_role("heading", name="Gekozen projecten"))
    expect(chosen).to_contain_text("Speeltuin")
    expect(chosen).to_contain_text(re.compile(r"3 inwoners die dit project kozen, betaalden elk €\s[\d.]+,\d\d\."))
    expect(page.get_by_role("heading", name="Niet gekozen, en waarom")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Fietsrek")
    expect(page.get_by_text("De telregel is: de methode van gelijke delen.")).to_be_visible()
    assert_accessible(page)
    fits_the_phone(page)
