"""The public checks of a vote in a real browser, on a 360 px phone: the recount page (the same result, and a
different one after a ballot was changed), the downloads it links, and the receipt check (counted, not found).
axe runs on every page and every state visited."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from community.models import Kern, User
from tests.factories import UserFactory
from tests.factories_voting import BudgetFactory, ProjectFactory
from voting.models import Ballot, BallotBox, CountingRule
from voting.services.casting import cast_ballot
from voting.services.results import publish_result

pytestmark = pytest.mark.browser


def box_of(budget) -> BallotBox:
    return BallotBox.objects.select_related("poll", "budget", "kern").get(pk=budget.box_id)


@pytest.fixture
def finished(demo_site):
    kern = Kern.objects.get(slug="arkel")
    budget = BudgetFactory(box__kern=kern, title="Kernbudget Arkel", slug="kernbudget-arkel", amount=10_000,
                           counting_rule=CountingRule.GREEDY)
    projects = [ProjectFactory(budget=budget, title=title, cost=cost) for title, cost in
                (("Jeu de boules-baan", 4_800), ("Wandelroute langs de Linge", 6_500), ("Bomen planten", 3_000))]
    budget.receipts = []
    for n, choices in enumerate(([0, 2], [0], [1], [0, 2], [2])):
        cast = cast_ballot(actor=UserFactory(kern=kern), box=box_of(budget),
                           choices=[projects[i].pk for i in choices], idempotency_key=f"b{n}")
        budget.receipts.append(cast.receipt)
    BallotBox.objects.filter(pk=budget.box_id).update(closes_at=timezone.now() - timedelta(minutes=1))
    publish_result(actor=User.objects.get(email="fatima@example.org"), box=box_of(budget))
    budget.projects_in_order = projects
    return budget


def fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "sideways scrolling"


def test_anyone_recounts_a_published_budget_and_sees_a_change(finished, page, assert_accessible):
    page.goto("/kernbudget/kernbudget-arkel/hertelling/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hertelling")
    expect(page.get_by_role("status")).to_have_text("De hertelling geeft dezelfde uitslag.")
    expect(page.locator("[data-seed]")).to_have_text(box_of(finished).seed)
    expect(page.get_by_role("table")).to_contain_text("Jeu de boules-baan")
    fits_the_phone(page)
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Uitslag en stembiljetten").click()
    assert download.value.suggested_filename == "kernbudget-arkel.pb"

    # Ballots have random ids: take one that chose the first project, so that the change is a real one.
    first, second = (str(project.pk) for project in finished.projects_in_order[:2])
    ballot = next(b for b in Ballot.objects.filter(box_id=finished.box_id) if first in b.choices)
    ballot.choices = {second: 1}
    ballot.save()
    page.reload()
    expect(page.get_by_role("alert")).to_contain_text("De hertelling geeft een andere uitslag.")
    expect(page.locator(".recount-differs").first).to_be_visible()
    fits_the_phone(page)
    assert_accessible(page)


def test_a_voter_checks_a_receipt(finished, page, assert_accessible):
    page.goto(f"/stemmen/controleer/?stembus={finished.box_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Controleer uw stem")
    assert_accessible(page)

    page.get_by_label("Uw ontvangstcode").fill(finished.receipts[2].lower())
    page.get_by_role("button", name="Controleer").click()
    expect(page.get_by_role("status")).to_have_text("Uw stembiljet is meegeteld.")
    fits_the_phone(page)
    assert_accessible(page)

    page.get_by_label("Uw ontvangstcode").fill("AAAA-BBBB-CCCC-DDDD")
    page.get_by_role("button", name="Controleer").click()
    expect(page.get_by_role("status")).to_contain_text("Niet gevonden.")
    assert_accessible(page)

    page.get_by_label("Uw ontvangstcode").fill("")
    page.get_by_role("button", name="Controleer").click()
    expect(page.locator(".errorlist")).to_be_visible()
    assert_accessible(page)
