"""Two people in one village conversation see each other's comments and reactions live; axe stays clean."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from community.demo import DEMO_PASSWORD
from community.models import Kern
from tests.factories_discussion import kern_thread

pytestmark = pytest.mark.browser

DISCUSSION_JS = Path(__file__).resolve().parents[2] / "static" / "js" / "discussion.js"


def test_two_people_see_each_other_live_and_the_pages_are_accessible(new_context, login, assert_accessible):
    thread = kern_thread(Kern.objects.get(slug="groot-ammers"))
    url = f"/gesprek/{thread.pk}/"
    kees, jan = new_context().new_page(), new_context().new_page()
    login(kees, "kees@example.org", DEMO_PASSWORD)
    login(jan, "jan@example.org", DEMO_PASSWORD)
    for page in (kees, jan):
        page.goto(url)
        expect(page.locator("[data-role=presence]")).to_have_text(re.compile(r"kijk"))
    expect(jan.locator("[data-role=presence]")).to_have_text("2 mensen kijken mee")

    kees.get_by_label("Uw reactie").fill("Wie helpt zaterdag met de bloembakken?")
    kees.get_by_role("button", name="Plaats reactie").click()
    comment = jan.locator(".comment", has_text="Wie helpt zaterdag met de bloembakken?")
    expect(comment).to_be_visible()
    expect(jan.locator("[data-role=announce]")).to_have_text(re.compile("Nieuwe reactie van Kees"))
    expect(kees.locator(".comment", has_text="bloembakken")).to_have_count(1)

    comment.locator(".reaction[data-kind=eens]").click()
    expect(comment.locator(".reaction[data-kind=eens]")).to_have_attribute("aria-pressed", "true")
    expect(kees.locator(".comment", has_text="bloembakken").locator(".reaction[data-kind=eens] [data-count]")
           ).to_have_text("1")
    assert_accessible(jan)

    comment.get_by_role("link", name="Melden").click()
    dialog = jan.get_by_role("dialog", name="Reactie melden")
    expect(dialog).to_be_visible()
    assert_accessible(jan)
    dialog.get_by_label("Wat is er mis met deze reactie?").fill("Dit is reclame")
    dialog.get_by_role("button", name="Melding versturen").click()
    expect(dialog).to_be_hidden()

    anna = new_context().new_page()
    login(anna, "anna@example.org", DEMO_PASSWORD)
    anna.goto("/gesprek/moderatie/")
    expect(anna.get_by_text("Dit is reclame")).to_be_visible()
    assert_accessible(anna)

    anna.get_by_role("link", name="Modereren").click()
    anna.get_by_label("Verbergen").check()
    anna.get_by_label("Reden").fill("Geen reclame in het dorpsgesprek")
    anna.get_by_role("button", name="Opslaan").click()
    expect(jan.locator(".comment", has_text="bloembakken")).to_have_count(0)
    expect(kees.get_by_text("Geen reclame in het dorpsgesprek")).to_be_visible()


def test_a_comment_written_offline_is_sent_once_when_the_connection_returns(new_context, login):
    from discussion.models import Comment

    thread = kern_thread(Kern.objects.get(slug="groot-ammers"))
    context = new_context()
    kees = context.new_page()
    login(kees, "kees@example.org", DEMO_PASSWORD)
    kees.goto(f"/gesprek/{thread.pk}/")
    expect(kees.locator("section[data-thread]")).to_have_attribute("data-connection", "open")
    context.set_offline(True)
    expect(kees.locator("[data-role=status]")).to_have_text(re.compile("verbinding herstellen"))
    kees.get_by_label("Uw reactie").fill("Geschreven in de polder zonder bereik")
    kees.get_by_role("button", name="Plaats reactie").click()
    expect(kees.locator("[data-role=announce]")).to_have_text(re.compile("offline"))
    assert kees.evaluate("JSON.parse(localStorage.getItem('samenlab.discussion.outbox')).length") == 1
    assert not Comment.objects.filter(body__contains="polder").exists()
    context.set_offline(False)
    expect(kees.locator(".comment", has_text="zonder bereik")).to_have_count(1)
    assert kees.evaluate("JSON.parse(localStorage.getItem('samenlab.discussion.outbox')).length") == 0
    kees.reload()
    expect(kees.locator(".comment", has_text="zonder bereik")).to_have_count(1)
    assert Comment.objects.filter(body__contains="polder").count() == 1


def test_an_english_visitor_follows_the_conversation_in_english_over_the_shared_live_link(
        new_context, login, live_server_url, assert_accessible):
    # One live connection for every live page: the discussion uses live-link.js and opens no socket of its own.
    assert "new WebSocket(" not in DISCUSSION_JS.read_text()
    thread = kern_thread(Kern.objects.get(slug="groot-ammers"))
    url = f"/gesprek/{thread.pk}/"
    english = new_context(locale="en-GB")
    # The language cookie, as the switch sets it: it outranks a signed-in person's profile language.
    english.add_cookies([{"name": "django_language", "value": "en", "url": live_server_url}])
    jan = english.new_page()
    login(jan, "jan@example.org", DEMO_PASSWORD)
    jan.goto(url)
    expect(jan.locator("html")).to_have_attribute("lang", "en")
    expect(jan.locator("section[data-thread]")).to_have_attribute("data-connection", "open")
    loaded = jan.evaluate("performance.getEntriesByType('resource').map((entry) => entry.name)")
    assert any("/js/live-link" in name for name in loaded), loaded
    expect(jan.locator("[data-role=presence]")).to_have_text("1 person is watching")

    kees = new_context().new_page()
    login(kees, "kees@example.org", DEMO_PASSWORD)
    kees.goto(url)
    expect(jan.locator("[data-role=presence]")).to_have_text("2 people are watching")
    expect(kees.locator("[data-role=presence]")).to_have_text("2 mensen kijken mee")

    kees.get_by_label("Uw reactie").fill("Wie helpt zaterdag met de bloembakken?")
    kees.get_by_role("button", name="Plaats reactie").click()
    comment = jan.locator(".comment", has_text="bloembakken")
    expect(comment).to_be_visible()
    expect(jan.locator("[data-role=announce]")).to_have_text(re.compile(r"^New comment from Kees"))

    comment.get_by_role("link", name="Report").click()
    dialog = jan.get_by_role("dialog", name="Report comment")
    expect(dialog.get_by_label("What is wrong with this comment?")).to_be_focused()
    assert_accessible(jan)
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()

    english.set_offline(True)
    expect(jan.locator("[data-role=status]")).to_have_text("reconnecting…")
    english.set_offline(False)
    expect(jan.locator("section[data-thread]")).to_have_attribute("data-connection", "open")
    expect(jan.locator("[data-role=status]")).to_be_hidden()
