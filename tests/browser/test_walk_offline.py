"""A walker without a connection keeps working: observations and photos wait on the phone and arrive once."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from community.demo import DEMO_PASSWORD
from community.models import Kern, User
from maps.models import Observation, ObservationPhoto, WalkState
from tests.browser.conftest import MOBILE, TIMEOUT_MS
from tests.factories_maps import WalkFactory, WalkSignupFactory
from tests.photos import gps_tagged_jpeg

pytestmark = pytest.mark.browser

KEES = "kees@example.org"
THEMES = ["paving", "green", "lighting", "litter", "paving"]


def walk_in_progress():
    kees = User.objects.get(email=KEES)
    walk = WalkFactory(kern=Kern.objects.get(slug="groot-ammers"), state=WalkState.IN_PROGRESS,
                       starts_at=timezone.now() - datetime.timedelta(minutes=10))
    WalkSignupFactory(walk=walk, user=kees)
    return walk, kees


def photo_file(name: str) -> dict:
    return {"name": name, "mimeType": "image/jpeg", "buffer": gps_tagged_jpeg()}


def record(page, *, theme: str, description: str, photo: str) -> None:
    form = page.locator("form[data-observation-form]")
    form.get_by_label("Thema").select_option(theme)
    form.get_by_label("Wat ziet u?").fill(description)
    form.locator("input[name=photo]").set_input_files(photo_file(photo))
    # The photo's GPS position fills in the place before the photo is resized (and its metadata dropped).
    expect(form.get_by_label("Breedtegraad")).to_have_value("51.884000")
    expect(form.locator("[data-role=photos] img")).to_have_count(1)
    form.get_by_role("button", name="Waarneming opslaan").click()


def test_five_observations_made_offline_survive_a_closed_browser_and_arrive_once(new_context, login,
                                                                                  assert_accessible):
    walk, kees = walk_in_progress()
    url = f"/wijkschouw/{walk.pk}/meelopen/"
    context = new_context()
    errors = []
    context.on("weberror", lambda error: errors.append(str(error.error)))
    page = context.new_page()
    login(page, KEES, DEMO_PASSWORD)
    page.goto(url)
    app = page.locator("[data-capture-app]")
    expect(app).to_have_attribute("data-offline-ready", "true")
    expect(page.locator("form[data-observation-form]")).to_have_attribute("data-enhanced", "true")
    assert_accessible(page)

    context.set_offline(True)
    expect(app).to_have_attribute("data-connection", "offline")
    for number, theme in enumerate(THEMES, start=1):
        record(page, theme=theme, description=f"Waarneming {number} zonder bereik", photo=f"foto-{number}.jpg")
        if number == 5:  # the same theme as the first, at the same place: "is dit dezelfde?"
            same = page.locator("[data-role=same]")
            expect(same).to_be_visible()
            expect(same).to_contain_text("Waarneming 1 zonder bereik")
            same.get_by_role("button", name="Nee, iets anders: opslaan").click()
        expect(page.locator("[data-role=count]")).to_have_text(
            "1 waarneming nog niet verstuurd" if number == 1 else f"{number} waarnemingen nog niet verstuurd")
    expect(page.locator("[data-role=announce]")).to_have_text(re.compile("Waarneming opgeslagen op uw telefoon"))
    assert not Observation.objects.filter(walk=walk).exists()
    assert_accessible(page)

    for open_page in list(context.pages):
        open_page.close()
    page = context.new_page()
    page.goto(url)  # still offline: the service worker answers with the kept page
    expect(page.locator("[data-role=count]")).to_have_text("5 waarnemingen nog niet verstuurd")
    expect(page.locator("[data-role=queue] li")).to_have_count(5)
    assert_accessible(page)

    context.set_offline(False)
    expect(page.locator("[data-role=count]")).to_have_text("Alles is verstuurd", timeout=30_000)
    expect(page.locator("[data-role=announce]")).to_have_text("Alles is verstuurd")
    observations = list(Observation.objects.filter(walk=walk, author=kees))
    assert len(observations) == 5
    assert len({o.client_id for o in observations}) == 5
    assert sorted(o.description for o in observations) == [f"Waarneming {n} zonder bereik" for n in range(1, 6)]
    for observation in observations:
        assert observation.photos.count() == 1
        # The place came from the photo's GPS, read on the phone before the metadata was dropped.
        assert (float(observation.latitude), float(observation.longitude)) == pytest.approx((51.884, 4.638))
    assert ObservationPhoto.objects.filter(observation__walk=walk).values("client_id").distinct().count() == 5
    expect(page.locator("[data-observation-list] [data-observation]")).to_have_count(5)
    assert errors == []


def test_an_answer_lost_on_the_way_back_still_makes_one_observation(browser, live_server_url, login):
    walk, kees = walk_in_progress()
    # Without a service worker: requests go straight from the page (so page.route sees them), and the
    # page must work without one anyway.
    context = browser.new_context(base_url=live_server_url, locale="nl-NL", viewport=MOBILE,
                                  service_workers="block")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        login(page, KEES, DEMO_PASSWORD)
        posts = []

        def lose_the_first_answer(route):
            posts.append(route.request.post_data_json["client_id"])
            response = route.fetch()  # the server stores the observation…
            if len(posts) == 1:
                assert response.status == 201
                route.abort("connectionreset")  # …but its answer never reaches the phone
            else:
                route.fulfill(response=response)

        page.route(re.compile(rf"/api/v1/walks/{walk.pk}/observations/$"), lambda route: (
            lose_the_first_answer(route) if route.request.method == "POST" else route.continue_()))
        page.goto(f"/wijkschouw/{walk.pk}/meelopen/")
        expect(page.locator("form[data-observation-form]")).to_have_attribute("data-enhanced", "true")
        record(page, theme="lighting", description="Lantaarnpaal brandt niet", photo="lamp.jpg")
        expect(page.locator("[data-role=announce]")).to_have_text("Alles is verstuurd", timeout=30_000)
        expect(page.locator("[data-role=count]")).to_have_text("Alles is verstuurd")
        assert len(posts) == 2 and posts[0] == posts[1]
        observation = Observation.objects.get(walk=walk, author=kees)
        assert str(observation.client_id) == posts[0]
        assert observation.photos.count() == 1
    finally:
        context.close()
