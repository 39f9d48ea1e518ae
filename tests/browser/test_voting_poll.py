"""Polls on a phone (360 px): a resident votes on their kern page with the keyboard, sees "Uw stem is geteld" with
the receipt and, as the poll allows, the result; an open vote says so before anyone votes; the council sets up a
poll from its kern page. axe runs on every page and state visited.

The polls are made before any page that shows them is visited: the server keeps its voting map per page generation,
and only its own services start a new one.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from community.demo import DEMO_PASSWORD
from community.models import Kern
from tests.factories import UserFactory
from tests.factories_voting import BallotBoxFactory, PollFactory
from voting.models import Ballot, BallotBox, Poll, ResultsShown
from voting.services.casting import cast_ballot

pytestmark = pytest.mark.browser

JAN = "jan@example.org"  # a resident of Bleskensgraaf
ANNA = "anna@example.org"  # the council of Groot-Ammers


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def polls_of_bleskensgraaf():
    kern = Kern.objects.get(slug="bleskensgraaf")
    now = timezone.now()
    box = {"kern": kern, "opens_at": now - timedelta(days=1), "closes_at": now + timedelta(days=7)}
    bench = PollFactory(box=BallotBoxFactory(results_shown=ResultsShown.AFTER_OWN_VOTE, **box),
                        question="Welke bank komt bij de kerk?", options=["Houten bank", "Stenen bank", "Geen bank"])
    houten = bench.options.get(label="Houten bank")
    for _ in range(3):
        cast_ballot(actor=UserFactory(kern=kern), box=bench.box, choices=[houten.pk])
    fair = PollFactory(box=BallotBoxFactory(secret=False, **box), question="Houden we de kermis in juni?",
                       options=["Ja", "Nee"])
    market = PollFactory(box=BallotBoxFactory(secret=False, **box), question="Komt er een weekmarkt?",
                         options=["Ja, graag", "Nee, liever niet"])
    for name in ("Gerrit", "Hanneke"):
        cast_ballot(actor=UserFactory(kern=kern, first_name=name, last_name="Smit"), box=market.box,
                    choices=[market.options.first().pk])
    BallotBox.objects.filter(pk=market.box_id).update(closes_at=now - timedelta(minutes=1))
    return bench, fair, market


def test_a_resident_votes_on_the_kern_page_and_sees_the_result(new_context, login, assert_accessible, demo_site):
    bench, fair, market = polls_of_bleskensgraaf()
    page = new_context().new_page()

    page.goto("/kernen/bleskensgraaf/")  # a visitor: the question, the answers, how to vote; no result
    card = page.locator(f"#peiling-{bench.pk}")
    expect(card.get_by_role("heading", name="Welke bank komt bij de kerk?")).to_be_visible()
    expect(card.get_by_role("link", name="Log in om te stemmen")).to_be_visible()
    expect(card).not_to_contain_text("stemmen (")
    no_sideways_scroll(page)
    assert_accessible(page)

    login(page, JAN, DEMO_PASSWORD)
    page.goto("/kernen/bleskensgraaf/")
    expect(page.locator(f"#peiling-{fair.pk}")).to_contain_text("Dit is een open stemming: iedereen ziet wat u kiest.")
    expect(card.get_by_role("group", name=re.compile("Kies één antwoord"))).to_be_visible()
    expect(card).to_contain_text("Wie stemt, ziet de uitslag meteen.")
    assert_accessible(page)

    # With the keyboard: the first answer, an arrow to the next, Tab to the button, Enter.
    card.get_by_label("Houten bank").focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    expect(card.get_by_label("Stenen bank")).to_be_checked()
    page.keyboard.press("Tab")
    expect(card.get_by_role("button", name="Stem")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"/kernen/bleskensgraaf/#peiling-{bench.pk}$"))
    card = page.locator(f"#peiling-{bench.pk}")
    expect(card.get_by_role("heading", name="Uw stem is geteld")).to_be_visible()
    expect(card.locator(".poll-card__receipt")).to_have_text(re.compile(r"^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$"))
    expect(card.get_by_role("heading", name="Uitslag tot nu toe")).to_be_visible()
    expect(card).to_contain_text("4 stemmen")
    expect(card).to_contain_text("1 stem (25%)")
    expect(card).to_contain_text("3 stemmen (75%)")
    assert Ballot.objects.filter(box=bench.box).count() == 4
    no_sideways_scroll(page)
    assert_accessible(page)
    card.locator("summary").click()  # the result as a table
    expect(card.get_by_role("table")).to_be_visible()
    assert_accessible(page)

    page.reload()  # the receipt is shown once
    expect(page.locator(f"#peiling-{bench.pk}")).to_contain_text("U hebt gestemd. Uw stem is geteld.")
    expect(page.locator(f"#peiling-{bench.pk} .poll-card__receipt")).to_have_count(0)

    page.goto(market.get_absolute_url())  # closed: the result, and who chose what (it was an open vote)
    expect(page.get_by_role("heading", level=1, name="Komt er een weekmarkt?")).to_be_visible()
    expect(page.get_by_role("heading", name="Uitslag", exact=True)).to_be_visible()
    expect(page.get_by_role("table", name="Wie koos wat")).to_contain_text("Hanneke Smit")
    no_sideways_scroll(page)
    assert_accessible(page)

    page.goto("/peilingen/")
    expect(page.get_by_role("link", name="Welke bank komt bij de kerk?")).to_be_visible()
    expect(page.get_by_role("link", name="Komt er een weekmarkt?")).to_be_visible()
    assert_accessible(page)


def test_the_council_sets_up_a_poll_from_its_kern_page(new_context, login, assert_accessible, demo_site):
    page = new_context().new_page()
    login(page, ANNA, DEMO_PASSWORD)
    page.goto("/kernen/groot-ammers/")
    page.get_by_role("link", name="Nieuwe peiling maken").click()
    expect(page.get_by_role("heading", level=1, name="Nieuwe peiling maken")).to_be_visible()
    no_sideways_scroll(page)
    assert_accessible(page)

    page.get_by_role("button", name="Peiling maken").click()  # nothing filled in: what is missing, and where
    expect(page.locator("#id_question_error")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Vraag", exact=True).fill("Waar komt de nieuwe AED?")
    page.get_by_label("Antwoorden", exact=True).fill("Bij de kerk\nBij de school\nBij de sporthal")
    page.get_by_label("Open: iedereen ziet wie wat kiest").check()
    # The form proposes the next whole hour; a run just before the hour would see the poll open already.
    page.get_by_label("Open vanaf (datum)").fill((timezone.localdate() + timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Peiling maken").click()

    expect(page.get_by_role("heading", level=1, name="Waar komt de nieuwe AED?")).to_be_visible()
    expect(page.get_by_text("Dit is een open stemming: iedereen ziet wat u kiest.")).to_be_visible()
    expect(page.get_by_text("Gaat open op")).to_be_visible()
    poll = Poll.objects.get(question="Waar komt de nieuwe AED?")
    assert poll.box.kern.slug == "groot-ammers" and not poll.box.secret and poll.options.count() == 3
    assert_accessible(page)

    page.get_by_role("link", name="Peiling veranderen").click()
    expect(page.get_by_label("Vraag", exact=True)).to_have_value("Waar komt de nieuwe AED?")
    assert_accessible(page)
