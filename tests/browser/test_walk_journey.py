"""The walk from plan to outcome, on three phones: a council member and two residents.

Plan, sign up, walk together live (the council member shares where the group is); one phone loses its
connection, makes five observations with photos, is closed and opened again, and sends all five once the
connection is back; the council member decides
(one melding to the municipality's stand-in, one draft initiative, one "geen actie"); each walker then
sees what happened. axe runs on every page visited, at 360 px. A second test records an observation by
address with the keyboard only.
"""

import datetime
import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from community.demo import DEMO_PASSWORD
from community.models import Kern, User
from community.models.notifications import Notification
from maps.handoff.standin import StandIn, schema_errors
from maps.models import MunicipalReport, Observation, ObservationPhoto, Walk, WalkState
from tests.factories import UserFactory
from tests.factories_maps import WalkFactory, WalkSignupFactory
from tests.photos import gps_tagged_jpeg

pytestmark = pytest.mark.browser

ANNA = "anna@example.org"  # the council of Groot-Ammers
KEES = "kees@example.org"  # a resident of Groot-Ammers
BRAM = "bram@example.org"  # a second resident of Groot-Ammers, made here
STANDIN_TOKEN = "journey-token"
TITLE = "Wijkschouw rond de Dorpsstraat"
# Bram's five offline observations: each a theme of its own, so none asks "is dit dezelfde?".
OFFLINE_THEMES = ["paving", "green", "litter", "play", "traffic"]
LIVE_SECONDS = 3_000


@pytest.fixture
def standin():
    """The municipality's system, stood in for in this process; the server process sends to it."""
    server = StandIn(token=STANDIN_TOKEN).start()
    yield server
    server.stop()


@pytest.fixture
def server_env(standin):
    return {"MUNICIPAL_REPORTS_ADAPTER": "signalen", "SIGNALEN_BASE_URL": standin.url,
            "SIGNALEN_TOKEN": STANDIN_TOKEN, "MUNICIPAL_REPORTS_TIMEOUT_SECONDS": "5"}


def tab_to(page, predicate: str, *, limit: int = 150) -> None:
    """Press Tab until ``predicate`` (a JS expression about ``el``, the focused element) holds."""
    check = f"() => {{ const el = document.activeElement; return Boolean(el && ({predicate})); }}"
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(check):
            return
    raise AssertionError(f"Tab never reached an element where {predicate}")


def photo_file(name: str) -> dict:
    return {"name": name, "mimeType": "image/jpeg", "buffer": gps_tagged_jpeg()}


def record(page, *, theme: str, description: str, photo: str, latitude: str = "51.884000") -> None:
    form = page.locator("form[data-observation-form]")
    form.get_by_label("Thema").select_option(theme)
    form.get_by_label("Wat ziet u?").fill(description)
    form.locator("input[name=photo]").set_input_files(photo_file(photo))
    # The photo's GPS position fills in the place (unless the map did first) before the photo is resized.
    expect(form.get_by_label("Breedtegraad")).to_have_value(latitude)
    expect(form.locator("[data-role=photos] img")).to_have_count(1)
    form.get_by_role("button", name="Waarneming opslaan").click()


def marker(page, text: str):
    return page.locator(f'[data-walk-map] .walk-marker-icon[aria-label*="{text}"]')


def open_capture(page, assert_accessible) -> None:
    page.get_by_role("link", name="Open de wijkschouw op uw telefoon").click()
    expect(page).to_have_url(re.compile(r"/wijkschouw/\d+/meelopen/$"))
    expect(page.locator("[data-walk-map]")).to_have_attribute("data-connection", "open")
    expect(page.locator("form[data-observation-form]")).to_have_attribute("data-enhanced", "true")
    expect(page.locator("[data-capture-app]")).to_have_attribute("data-offline-ready", "true")
    assert_accessible(page)


def wait_for(condition, *, seconds: float = 15, what: str = "") -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        time.sleep(0.1)


def decide(page, observation: Observation, decision: str, reason: str, *, offer_to: User | None = None) -> None:
    page.locator(f"#obs-{observation.pk}").check()
    page.get_by_label(decision, exact=True).check()
    page.get_by_label("Toelichting (ziet de waarnemer)").fill(reason)
    if offer_to is not None:
        page.get_by_label("Concept-initiatief voor").select_option(str(offer_to.pk))
    page.get_by_role("button", name="Leg het besluit vast").click()
    expect(page.locator(".messages")).to_contain_text("Besluit vastgelegd voor 1 waarneming")


def test_a_walk_from_plan_to_outcome_on_three_phones(new_context, login, assert_accessible, standin):
    kern = Kern.objects.get(slug="groot-ammers")
    bram = UserFactory(email=BRAM, first_name="Bram", last_name="Smit", kern=kern, password=DEMO_PASSWORD)
    kees = User.objects.get(email=KEES)
    anna_page, kees_page, bram_page = (new_context().new_page() for _ in range(3))
    errors = []
    for page in (anna_page, kees_page, bram_page):
        page.context.on("weberror", lambda error: errors.append(str(error.error)))
    login(anna_page, ANNA, DEMO_PASSWORD)
    login(kees_page, KEES, DEMO_PASSWORD)
    login(bram_page, BRAM, DEMO_PASSWORD)

    # --- Plan: the council member, through the real form, the route drawn with the keyboard -----------
    anna = anna_page
    anna.goto("/wijkschouw/")
    assert_accessible(anna)
    anna.get_by_role("link", name="Plan een wijkschouw in Groot-Ammers").click()
    expect(anna).to_have_url(re.compile(r"/wijkschouw/plannen/\?kern=groot-ammers$"))
    expect(anna.locator("[data-route-editor]")).to_have_attribute("data-ready", "true")
    assert_accessible(anna)
    anna.locator("#id_title").fill(TITLE)
    # Tomorrow, starting at about this time of day: the walk is started a day early in this test, and
    # observations are taken from a day before the planned start.
    start = max(timezone.localtime().replace(second=0, microsecond=0) - datetime.timedelta(minutes=30),
                timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0))
    anna.locator("#id_date").fill(f"{start + datetime.timedelta(days=1):%Y-%m-%d}")
    anna.locator("#id_start_time").fill(f"{start:%H:%M}")
    end = min(start + datetime.timedelta(hours=2), start.replace(hour=23, minute=59))
    anna.locator("#id_end_time").fill(f"{end:%H:%M}")
    anna.locator("#id_meeting_point").fill("Bij de kerk")
    anna.locator("[data-route-editor] .map__canvas").focus()
    for key in ["Enter", "Shift+ArrowRight", "Enter", "Shift+ArrowDown", "Enter"]:
        anna.keyboard.press(key)
    expect(anna.locator("[data-route-editor] [data-map-status]")).to_have_text(re.compile("3 punten op de route"))
    anna.locator("[data-route-meeting]").click()
    anna.locator("input[name=themes][value=paving]").check()
    anna.locator("input[name=themes][value=lighting]").check()
    anna.get_by_role("button", name="Plan de wijkschouw").click()
    expect(anna).to_have_url(re.compile(r"/wijkschouw/\d+/$"))
    walk = Walk.objects.get(title=TITLE)
    assert walk.state == WalkState.PLANNED and len(walk.route) == 3
    walk_url = walk.get_absolute_url()
    expect(anna.locator("[data-walk-map]")).to_have_attribute("data-ready", "true")
    assert_accessible(anna)

    # --- Sign up: both residents, each with the walk in their agenda ----------------------------------
    for page in (kees_page, bram_page):
        page.goto(walk_url)
        expect(page.locator("[data-walk-map]")).to_have_attribute("data-ready", "true")
        page.get_by_role("button", name="Ik loop mee").click()
        expect(page.get_by_text("U loopt mee.")).to_be_visible()
        assert_accessible(page)
        agenda = page.get_by_role("link", name="Zet in mijn agenda")
        with page.expect_download() as download:
            agenda.click()
        assert download.value.suggested_filename == f"wijkschouw-{walk.pk}.ics"
        answer = page.request.get(agenda.get_attribute("href"))
        assert answer.ok and answer.headers["content-type"].startswith("text/calendar")
        assert "BEGIN:VEVENT" in answer.text() and TITLE in answer.text()
    assert set(walk.signups.values_list("user__email", flat=True)) == {KEES, BRAM}

    # --- Start: the council member starts the walk; everyone opens it on their phone -------------------
    anna.goto(walk_url)
    anna.get_by_role("button", name="Start de wijkschouw").click()
    expect(anna.get_by_text("De wijkschouw is begonnen.")).to_be_visible()
    assert Walk.objects.get(pk=walk.pk).state == WalkState.IN_PROGRESS
    for page in (anna, kees_page, bram_page):
        page.goto(walk_url)
        open_capture(page, assert_accessible)

    # --- Live: Kees's observation with a photo appears on Bram's and Anna's map and list --------------
    live_text = "Lantaarnpaal bij de kerk brandt niet"
    # Kees puts the place on the map with the keyboard's cross, at the middle of the route.
    kees_page.locator("[data-walk-map] .map__canvas").focus()
    kees_page.keyboard.press("Enter")
    expect(kees_page.locator("[data-walk-map] [data-map-status]")).to_contain_text("Plek van de nieuwe waarneming")
    place = kees_page.locator("form[data-observation-form] [name=latitude]").input_value()
    assert place.startswith("51.9")
    record(kees_page, theme="lighting", description=live_text, photo="lamp.jpg", latitude=place)
    for page in (bram_page, anna):
        expect(marker(page, live_text)).to_be_visible(timeout=LIVE_SECONDS)
        expect(page.locator("[data-observation-list]")).to_contain_text(live_text, timeout=LIVE_SECONDS)
    expect(kees_page.locator("[data-role=count]")).to_have_text("Alles is verstuurd")
    lamp = Observation.objects.get(walk=walk, author=kees)
    wait_for(lambda: lamp.photos.count() == 1, what="the lamp's photo")

    # --- Where the group is: the council member shares her phone's place; the walkers see it ------------
    anna.context.grant_permissions(["geolocation"])
    anna.context.set_geolocation({"latitude": 51.9212, "longitude": 4.8331})
    share = anna.get_by_role("button", name="Deel waar de groep is")
    expect(kees_page.get_by_role("button", name="Deel waar de groep is")).to_have_count(0)  # residents do not
    share.click()
    expect(share).to_have_attribute("aria-pressed", "true")
    expect(anna.locator("[data-role=share-status]")).to_have_text("U deelt nu waar de groep is.")
    for page in (kees_page, bram_page):
        expect(page.locator('[data-walk-map] .walk-marker-icon[aria-label="De groep is hier"]')).to_be_visible(
            timeout=LIVE_SECONDS)
    assert_accessible(anna)
    share.click()
    expect(share).to_have_attribute("aria-pressed", "false")
    expect(anna.locator("[data-role=share-status]")).to_have_text("U deelt niet meer waar de groep is.")

    # --- Offline: Bram makes five observations with photos, closes the page, opens it, goes online ----
    bram_context = bram_page.context
    bram_context.set_offline(True)
    app = bram_page.locator("[data-capture-app]")
    expect(app).to_have_attribute("data-connection", "offline")
    for number, theme in enumerate(OFFLINE_THEMES, start=1):
        record(bram_page, theme=theme, description=f"Bram zonder bereik {number}", photo=f"bram-{number}.jpg")
        expect(bram_page.locator("[data-role=count]")).to_have_text(
            "1 waarneming nog niet verstuurd" if number == 1 else f"{number} waarnemingen nog niet verstuurd")
    assert not Observation.objects.filter(walk=walk, author=bram).exists()
    assert_accessible(bram_page)
    capture_url = bram_page.url
    bram_page.close()
    bram_page = bram_context.new_page()
    bram_page.goto(capture_url)  # still offline: the service worker answers with the kept page
    expect(bram_page.locator("[data-role=count]")).to_have_text("5 waarnemingen nog niet verstuurd")
    expect(bram_page.locator("[data-role=queue] li")).to_have_count(5)
    assert_accessible(bram_page)
    bram_context.set_offline(False)
    expect(bram_page.locator("[data-role=count]")).to_have_text("Alles is verstuurd", timeout=30_000)
    offline = list(Observation.objects.filter(walk=walk, author=bram).order_by("description"))
    assert [o.description for o in offline] == [f"Bram zonder bereik {n}" for n in range(1, 6)]
    assert len({o.client_id for o in offline}) == 5
    for observation in offline:
        assert observation.photos.count() == 1, observation.description
    assert ObservationPhoto.objects.filter(observation__author=bram).values("client_id").distinct().count() == 5
    for page in (anna, kees_page):
        for observation in offline:
            expect(page.locator(f"#waarneming-{observation.pk}")).to_contain_text(observation.description)
    assert Observation.objects.filter(walk=walk).count() == 6

    # --- Triage: the council member finishes the walk and decides ----------------------------------------
    anna.goto(walk_url)
    anna.get_by_role("button", name="Rond de wijkschouw af").click()
    expect(anna.get_by_text("De wijkschouw is afgerond.")).to_be_visible()
    anna.get_by_role("link", name="Waarnemingen beoordelen").click()
    expect(anna).to_have_url(re.compile(r"/beoordelen/$"))
    expect(anna.locator("[data-walk-map]")).to_have_attribute("data-ready", "true")
    assert_accessible(anna)
    idea, nothing = offline[1], offline[2]  # green: an initiative; litter: no action
    decide(anna, lamp, "Melden bij de gemeente", "De gemeente repareert straatverlichting. We melden het.")
    decide(anna, idea, "Wordt een initiatief", "Mooi idee voor de buurt. Bram kan het oppakken.", offer_to=bram)
    decide(anna, nothing, "Geen actie", "Het afval is dezelfde dag opgeruimd.")
    assert_accessible(anna)

    # The server sent one melding to the stand-in, valid against Signalen's schema, with the photo.
    wait_for(lambda: MunicipalReport.objects.filter(observation=lamp, state="sent").exists(), what="the melding")
    assert len(standin.signals) == 1
    (signal,) = standin.signals.values()
    assert schema_errors(signal["payload"]) == []
    assert live_text in signal["payload"]["text"]
    wait_for(lambda: len(standin.attachments[signal["signal_id"]]) == 1, what="the melding's photo")
    report = MunicipalReport.objects.get(observation=lamp)
    assert report.number == signal["id_display"]
    assert [(m, p) for m, p in standin.received if m == "POST" and p == "/signals/v1/public/signals/"] \
        == [("POST", "/signals/v1/public/signals/")]
    idea.refresh_from_db()
    nothing.refresh_from_db()
    assert idea.state == "initiative" and idea.initiative is not None and idea.initiative.initiator == bram
    assert nothing.state == "no_action"

    # --- Each walker sees what happened: on the observation's page and in their notifications ------------
    kees_page.goto(lamp.get_absolute_url())
    outcome = kees_page.locator("#outcome-heading").locator("..")
    expect(outcome).to_contain_text("Gemeld bij de gemeente.")
    expect(outcome).to_contain_text(f"Meldingnummer: {signal['id_display']}.")
    expect(outcome).to_contain_text("De gemeente repareert straatverlichting.")
    assert_accessible(kees_page)
    kees_page.goto("/mijn/meldingen/")
    expect(kees_page.locator("main")).to_contain_text(f"Wat u zag bij {TITLE} is gemeld bij de gemeente")
    # Once the melding has its number, its status follows.
    expect(kees_page.locator("main")).to_contain_text(f"Nieuws over uw melding bij {TITLE}: Open")
    assert_accessible(kees_page)

    bram_page.goto(idea.get_absolute_url())
    outcome = bram_page.locator("#outcome-heading").locator("..")
    expect(outcome).to_contain_text("Dit wordt een initiatief.")
    expect(outcome.get_by_role("link", name="Bekijk het initiatief")).to_have_attribute(
        "href", idea.initiative.get_absolute_url())
    assert_accessible(bram_page)
    bram_page.goto(nothing.get_absolute_url())
    outcome = bram_page.locator("#outcome-heading").locator("..")
    expect(outcome).to_contain_text("Geen actie.")
    expect(outcome).to_contain_text("Het afval is dezelfde dag opgeruimd.")
    assert_accessible(bram_page)
    bram_page.goto("/mijn/meldingen/")
    main = bram_page.locator("main")
    expect(main).to_contain_text(f"Wat u zag bij {TITLE} wordt een initiatief")
    expect(main).to_contain_text(f"De dorpsraad doet niets met wat u zag bij {TITLE}")
    expect(main).to_contain_text("Er staat een concept-initiatief voor u klaar")
    assert_accessible(bram_page)
    assert Notification.objects.filter(recipient=kees, kind="maps.observation_outcome").count() == 2
    assert Notification.objects.filter(recipient=bram, kind="maps.observation_outcome").count() == 2

    # --- The report, open to everyone once the walk is finished ---------------------------------------
    kees_page.goto(walk_url)
    kees_page.get_by_role("link", name="Verslag van deze wijkschouw").click()
    expect(kees_page).to_have_url(re.compile(r"/verslag/$"))
    expect(kees_page.locator("[data-walk-map]")).to_have_attribute("data-ready", "true")
    expect(kees_page.locator("main")).to_contain_text(live_text)
    assert_accessible(kees_page)
    assert errors == []


def test_a_resident_places_an_observation_by_address_with_the_keyboard_only(page, login, assert_accessible):
    kees = User.objects.get(email=KEES)
    walk = WalkFactory(kern=Kern.objects.get(slug="groot-ammers"), state=WalkState.IN_PROGRESS,
                       starts_at=timezone.now() - datetime.timedelta(minutes=10))
    WalkSignupFactory(walk=walk, user=kees)
    login(page, KEES, DEMO_PASSWORD)
    page.goto(f"/wijkschouw/{walk.pk}/meelopen/")
    expect(page.locator("form[data-observation-form]")).to_have_attribute("data-enhanced", "true")
    expect(page.locator("[data-walk-map]")).to_have_attribute("data-ready", "true")
    assert_accessible(page)

    tab_to(page, "el.name === 'theme' && el.closest('[data-observation-form]')")
    page.keyboard.type("verlichting")  # a closed select picks the option whose text is typed
    tab_to(page, "el.name === 'description'")
    page.keyboard.type("De lamp bij de bushalte knippert")
    tab_to(page, "el.name === 'address'")
    page.keyboard.type("Dorpsstraat 12, Groot-Ammers")
    tab_to(page, "el.type === 'submit' && el.closest('[data-observation-form]')")
    page.keyboard.press("Enter")

    expect(page.locator("[data-role=announce]")).to_have_text("Alles is verstuurd", timeout=15_000)
    observation = Observation.objects.get(walk=walk, author=kees)
    assert (observation.theme, observation.description, observation.address) == (
        "lighting", "De lamp bij de bushalte knippert", "Dorpsstraat 12, Groot-Ammers")
    assert observation.latitude is None and observation.longitude is None
    expect(page.locator(f"#waarneming-{observation.pk}")).to_contain_text("De lamp bij de bushalte knippert")
    expect(page.locator("[data-observation-form] [name=theme]")).to_be_focused()
    assert_accessible(page)
