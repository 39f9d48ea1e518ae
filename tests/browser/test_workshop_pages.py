"""Workshops in a browser: plan, open, join by code on a phone, add a card, move between stages, the text view,
the detail and results pages (axe on each, at 360 px without sideways scrolling, and wide); and live between
three screens: a private card is on no other phone (not in its WebSocket frames either) until the reveal, the
curve, the timer and the phase reach every phone, and what someone is typing survives it all."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from community.demo import DEMO_PASSWORD
from community.models import User
from lab.models import Workshop
from lab.workshops import services

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 900}


def no_sideways(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url}: {width}px wide"


def test_plan_join_and_the_board_on_a_phone_and_wide(new_context, login, assert_accessible):
    host = new_context().new_page()
    login(host, "fatima@example.org", DEMO_PASSWORD)
    host.goto("/werksessies/plannen/")
    assert_accessible(host)
    no_sideways(host)
    host.fill("#id_title", "Verhuizen naar Molenlanden")
    host.fill("#id_service", "Verhuizen")
    host.fill("#id_place", "Dorpshuis")
    host.click("main button[type=submit]")
    expect(host.locator("h1")).to_have_text("Verhuizen naar Molenlanden")
    assert_accessible(host)
    no_sideways(host)
    workshop = Workshop.objects.get()
    host.goto(f"/werksessies/{workshop.pk}/bord/")
    host.locator("button[value=open]").click()
    assert_accessible(host)
    no_sideways(host)
    phone = new_context().new_page()
    phone.goto(f"/meedoen/?code={workshop.join_code}")
    assert_accessible(phone)
    no_sideways(phone)
    phone.fill("#id_display_name", "Anna")
    phone.click("main form button[type=submit]")
    expect(phone).to_have_url(re.compile(r"/bord/"))
    textarea = phone.locator("[data-card-form] textarea").first
    textarea.fill("Ik zocht lang op de website")
    phone.locator("[data-card-form] button[type=submit]").first.click()
    expect(phone.locator(".board-card").first).to_contain_text("Ik zocht lang")
    assert_accessible(phone)
    no_sideways(phone)
    phone.locator("[data-stage-link]").nth(1).click()
    expect(phone.locator(".board-stage--current h2")).to_contain_text("Fase 2")
    phone.goto(f"/werksessies/{workshop.pk}/bord/?tekst=1")
    assert_accessible(phone)
    no_sideways(phone)
    host.reload()
    assert_accessible(host)
    wide = new_context(viewport=DESKTOP).new_page()
    login(wide, "fatima@example.org", DEMO_PASSWORD)
    wide.goto(f"/werksessies/{workshop.pk}/bord/")
    assert_accessible(wide)
    wide.goto(f"/werksessies/{workshop.pk}/")
    assert_accessible(wide)
    host.goto(f"/werksessies/{workshop.pk}/")
    assert_accessible(host)
    no_sideways(host)
    host.goto("/werksessies/")
    assert_accessible(host)
    no_sideways(host)
    host.goto(f"/werksessies/{workshop.pk}/bord/")
    host.locator("button[value=end]").click()
    host.goto(f"/werksessies/{workshop.pk}/resultaten/")
    assert_accessible(host)
    no_sideways(host)

def test_a_private_card_stays_private_until_the_reveal_and_the_board_is_live(new_context, login, assert_accessible):
    fatima = User.objects.get(email="fatima@example.org")
    starts = timezone.now() + datetime.timedelta(hours=1)
    workshop = services.plan_workshop(actor=fatima, title="Live", service="Verhuizen", starts_at=starts,
                                      ends_at=starts + datetime.timedelta(hours=2), place="Hier")
    services.open_workshop(actor=fatima, workshop=workshop)
    host = new_context().new_page()
    login(host, "fatima@example.org", DEMO_PASSWORD)
    phones = []
    for name in ("Anna", "Bert"):
        phone = new_context().new_page()
        phone.goto(f"/meedoen/?code={workshop.join_code}")
        phone.fill("#id_display_name", name)
        phone.click("main form button[type=submit]")
        expect(phone).to_have_url(re.compile(r"/bord/"))
        phones.append(phone)
    anna, bert = phones
    errors = []
    bert.on("pageerror", lambda error: errors.append(str(error)))
    frames = []
    bert.on("websocket", lambda socket: socket.on("framereceived", lambda frame: frames.append(str(frame))))
    with bert.expect_websocket():  # Bert's socket opened before the listener: open it again, listened to
        bert.reload()
    host.goto(f"/werksessies/{workshop.pk}/bord/")
    bert.wait_for_timeout(1500)  # sockets open
    # Bert is typing in the first cell while things happen.
    bert.locator("[data-card-form] textarea").nth(1).fill("Half getypt")
    anna.locator("[data-card-form] textarea").first.fill("Geheim van Anna")
    anna.locator("[data-card-form] button[type=submit]").first.click()
    expect(anna.locator(".board-card").first).to_contain_text("Geheim van Anna")
    expect(bert.locator(".board-card").first).to_contain_text("nog verborgen")
    assert "Geheim van Anna" not in bert.content()
    assert frames and not any("Geheim van Anna" in frame for frame in frames)  # not on the wire either
    expect(host.locator(".board-card").first).to_contain_text("Geheim van Anna")
    host.locator("button[value=reveal]").click()
    expect(bert.locator(".board-card").first).to_contain_text("Geheim van Anna")
    assert bert.locator("[data-card-form] textarea").nth(1).input_value() == "Half getypt"
    # feelings reach the other phone's curve
    anna.locator("[data-feeling-form]").first.locator("input[name=current][value='-2']").check()
    anna.locator("[data-feeling-form] button[type=submit]").first.click()
    expect(bert.locator("[data-curve-row] [data-curve-cell=current]").first).to_contain_text("-2,0")
    assert bert.locator("[data-curve-line=current]").get_attribute("d").startswith("M60 180")
    # timer and phase
    host.fill("#control-minutes", "2")
    host.locator("button[value=timer]").click()
    expect(bert.locator("[data-timer]")).to_be_visible()
    expect(bert.locator("[data-timer-text]")).to_have_text(re.compile(r"^[12]:\d\d$"))
    host.locator("button[name=phase][value=vote]").click()
    expect(bert.locator("[data-phase-label]")).to_have_text("Stippen zetten")
    assert bert.evaluate("[...document.querySelectorAll('textarea')].some(t => t.value === 'Half getypt')")
    assert bert.locator("[data-card-form]").count() == 1  # the others went: no cards in the vote phase
    expect(bert.locator("button", has_text="Stip zetten")).to_have_count(0)  # Anna's card is in "does"
    assert_accessible(bert)
    assert not errors


def test_the_templates_page_renames_a_template_and_plans_from_it(new_context, login, assert_accessible):
    from lab.workshops.journey_json import FORMAT, save_template

    fatima = User.objects.get(email="fatima@example.org")
    journey = {"format": FORMAT, "title": "Afval scheiden", "service": "Inzameling van afval",
               "stages": [{"title": "Horen"}, {"title": "Aanmelden"}],
               "lanes": [{"kind": "pain", "title": "Knelpunten"}],
               "cards": [{"stage": 0, "lane": 0, "text": "De kalender is zoek"}]}
    template = save_template(actor=fatima, data=journey, title="Afval scheiden")
    host = new_context().new_page()  # a phone, 360 px
    login(host, "fatima@example.org", DEMO_PASSWORD)
    host.goto("/werksessies/plannen/")
    host.get_by_role("link", name="Alle sjablonen bekijken, een andere naam geven of weghalen").click()
    expect(host.locator("h1")).to_have_text("Sjablonen van klantreizen")
    assert_accessible(host)
    no_sideways(host)
    card = host.locator(f"#sjabloon-{template.pk}")
    card.get_by_text("een andere naam geven").click()
    card.get_by_label("Nieuwe naam").fill("Afval scheiden in Arkel")
    assert_accessible(host)
    card.get_by_role("button", name="Bewaar de naam").click()
    expect(host.get_by_text("Het sjabloon heet nu “Afval scheiden in Arkel”.")).to_be_visible()
    assert_accessible(host)
    host.get_by_role("link", name="Plan een werksessie met “Afval scheiden in Arkel”").click()
    expect(host.locator("#id_template")).to_have_value(str(template.pk))
    assert_accessible(host)
