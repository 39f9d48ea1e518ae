"""Walk maps: a route drawn with the keyboard only, observations that appear live on another person's map,
markers that tick the triage list, and axe on every page with a map (no tiles load in tests)."""

import datetime
import json
import re
import uuid

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from community.demo import DEMO_PASSWORD
from community.models import Kern, User
from maps.models import Walk, WalkState
from tests.factories_maps import ObservationFactory, WalkFactory, WalkSignupFactory

pytestmark = pytest.mark.browser

ANNA = "anna@example.org"  # the council of Groot-Ammers
KEES = "kees@example.org"  # a resident of Groot-Ammers


def tab_to(page, predicate: str, *, limit: int = 120) -> None:
    """Press Tab until ``predicate`` (a JS expression about ``el``, the focused element) holds."""
    check = f"() => {{ const el = document.activeElement; return Boolean(el && ({predicate})); }}"
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(check):
            return
    raise AssertionError(f"Tab never reached an element where {predicate}")


def walk_in_progress(**values) -> Walk:
    now = timezone.now()
    kern = Kern.objects.get(slug="groot-ammers")
    walk = WalkFactory(kern=kern, state=WalkState.IN_PROGRESS, starts_at=now - datetime.timedelta(minutes=30),
                       ends_at=now + datetime.timedelta(hours=1), **values)
    WalkSignupFactory(walk=walk, user=User.objects.get(email=KEES))
    return walk


def marker(page, text: str):
    return page.locator(f'[data-walk-map] .walk-marker-icon[aria-label*="{text}"]')


def test_a_council_member_draws_the_route_with_the_keyboard_only(page, login, assert_accessible):
    login(page, ANNA, DEMO_PASSWORD)
    page.goto("/wijkschouw/plannen/?kern=groot-ammers")
    expect(page.locator("[data-route-editor]")).to_have_attribute("data-ready", "true")
    assert_accessible(page)

    tab_to(page, "el.id === 'id_title'")
    page.keyboard.type("Wijkschouw rond de molen")
    # The date and times are filled in already (next Saturday, 10:00-12:00): the planner keeps them.
    assert page.locator("#id_date").input_value()
    tab_to(page, "el.id === 'id_meeting_point'")
    page.keyboard.type("Bij de molen")

    tab_to(page, "el.classList.contains('map__canvas') && el.closest('[data-route-editor]')")
    status = page.locator("[data-route-editor] [data-map-status]")
    for key in ["ArrowRight", "ArrowRight", "Enter", "Shift+ArrowDown", "ArrowLeft", "Enter", "Shift+ArrowRight",
                "Enter"]:
        page.keyboard.press(key)
    expect(status).to_have_text(re.compile("3 punten op de route"))
    page.keyboard.press("Backspace")
    expect(status).to_have_text(re.compile("2 punten op de route"))
    page.keyboard.press("Shift+ArrowUp")
    expect(status).to_have_text(re.compile(r"Het kruis staat op: 51\.\d{5}, 4\.\d{5}"))
    page.keyboard.press("Enter")
    expect(status).to_have_text(re.compile("3 punten op de route"))
    route = json.loads(page.locator("#id_route").input_value())
    assert len(route) == 3
    assert all(len(str(value).split(".")[1]) <= 6 for point in route for value in point)
    expect(page.locator("[data-route-editor] .route-point")).to_have_count(3)
    assert_accessible(page)

    tab_to(page, "el.matches('[data-route-meeting]')")
    page.keyboard.press("Enter")
    expect(page.locator("#id_meeting_latitude")).to_have_value(f"{route[0][1]:.6f}")
    expect(page.locator("#id_meeting_longitude")).to_have_value(f"{route[0][0]:.6f}")
    tab_to(page, "el.name === 'themes'")
    page.keyboard.press("Space")
    tab_to(page, "el.type === 'submit' && el.closest('main form')")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/wijkschouw/\d+/$"))
    walk = Walk.objects.get(title="Wijkschouw rond de molen")
    assert walk.route == route
    assert [float(walk.meeting_longitude), float(walk.meeting_latitude)] == route[0]
    # The detail page draws the stored route.
    expect(page.locator("[data-walk-map]")).to_have_attribute("data-ready", "true")
    assert page.locator("[data-walk-map] path.leaflet-interactive, [data-walk-map] svg path").count() >= 1


def test_an_observation_appears_live_on_another_persons_map(new_context, login, assert_accessible):
    walk = walk_in_progress()
    ObservationFactory(walk=walk, author=User.objects.get(email=KEES), description="Scheve paal bij de kerk")
    anna, kees = new_context().new_page(), new_context().new_page()
    login(anna, ANNA, DEMO_PASSWORD)
    login(kees, KEES, DEMO_PASSWORD)
    url = f"/wijkschouw/{walk.pk}/"
    for page in (anna, kees):
        page.goto(url)
        expect(page.locator("[data-walk-map]")).to_have_attribute("data-connection", "open")
    expect(marker(anna, "Scheve paal")).to_have_count(1)
    assert_accessible(anna)
    anna.evaluate("""() => { window.liveFeatures = [];
        document.addEventListener('walkmap:feature', (e) => window.liveFeatures.push(e.detail)); }""")

    token = next(c["value"] for c in kees.context.cookies() if c["name"] == "csrftoken")
    response = kees.request.post(f"/api/v1/walks/{walk.pk}/observations/", headers={"X-CSRFToken": token}, data={
        "client_id": str(uuid.uuid4()), "theme": "lighting", "kind": "problem",
        "description": "Lantaarnpaal brandt niet", "latitude": "51.929000", "longitude": "4.839000"})
    assert response.status == 201, response.text()
    observation_id = response.json()["id"]

    expect(marker(anna, "Lantaarnpaal brandt niet")).to_be_visible(timeout=1_000)
    expect(marker(kees, "Lantaarnpaal brandt niet")).to_be_visible(timeout=1_000)
    detail = anna.evaluate("window.liveFeatures")
    assert [d["id"] for d in detail] == [observation_id] and detail[0]["fromMap"] is True

    anna.reload()
    expect(anna.locator("[data-walk-map]")).to_have_attribute("data-ready", "true")
    items = anna.locator("[data-observation-list] li[data-observation]")
    expect(items).to_have_count(2)
    expect(anna.locator(f"#waarneming-{observation_id}")).to_contain_text("Lantaarnpaal brandt niet")
    expect(anna.locator("[data-walk-map] .walk-marker--problem")).to_have_count(2)
    for item_id in items.evaluate_all("els => els.map(el => el.dataset.observation)"):
        text = anna.locator(f"#waarneming-{item_id} h3").inner_text().split(": ", 1)[1].rstrip("…")
        expect(marker(anna, text[:20])).to_have_count(1)


def test_a_pending_feature_from_another_module_is_shown_and_replaced(new_context, login):
    walk = walk_in_progress()
    page = new_context().new_page()
    login(page, KEES, DEMO_PASSWORD)
    page.goto(f"/wijkschouw/{walk.pk}/")
    expect(page.locator("[data-walk-map]")).to_have_attribute("data-ready", "true")
    client_id = str(uuid.uuid4())
    page.evaluate("""(clientId) => document.dispatchEvent(new CustomEvent('walkmap:feature', {detail: {
        type: 'Feature', geometry: {type: 'Point', coordinates: [4.837, 51.928]},
        properties: {client_id: clientId, pending: true, kind: 'problem', theme_label: 'groen',
                     description: 'Overhangende tak', state: 'new'}}}))""", client_id)
    expect(page.locator(".walk-marker--pending")).to_contain_text("nog niet verstuurd")
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(f"/api/v1/walks/{walk.pk}/observations/", headers={"X-CSRFToken": token}, data={
        "client_id": client_id, "theme": "green", "description": "Overhangende tak",
        "latitude": "51.928000", "longitude": "4.837000"})
    assert response.status == 201
    expect(page.locator(".walk-marker--pending")).to_have_count(0)
    expect(marker(page, "Overhangende tak")).to_have_count(1)


def test_clicking_a_marker_on_the_triage_map_ticks_the_list(new_context, login, assert_accessible):
    walk = walk_in_progress()
    kees = User.objects.get(email=KEES)
    first = ObservationFactory(walk=walk, author=kees, description="Losse tegel bij de kerk")
    second = ObservationFactory(walk=walk, author=kees, kind="good", description="Mooi nieuw bankje",
                                latitude="51.929000", longitude="4.839000")
    page = new_context().new_page()
    login(page, ANNA, DEMO_PASSWORD)
    page.goto(f"/wijkschouw/{walk.pk}/beoordelen/")
    expect(page.locator("[data-walk-map]")).to_have_attribute("data-ready", "true")
    expect(marker(page, "Mooi nieuw bankje")).to_have_count(1)
    assert_accessible(page)

    marker(page, "Losse tegel").click()
    expect(page.locator(f"#obs-{first.pk}")).to_be_checked()
    expect(page.locator(f"#obs-{second.pk}")).not_to_be_checked()
    expect(marker(page, "Losse tegel").locator(".walk-marker--selected")).to_have_count(1)
    # The list is the source of truth: ticking it there highlights the map.
    page.locator(f"#obs-{second.pk}").check()
    expect(marker(page, "Mooi nieuw bankje").locator(".walk-marker--selected")).to_have_count(1)
    marker(page, "Losse tegel").click()
    expect(page.locator(f"#obs-{first.pk}")).not_to_be_checked()
    expect(marker(page, "Losse tegel").locator(".walk-marker--selected")).to_have_count(0)
    assert_accessible(page)


def test_the_capture_map_places_a_point_with_the_keyboard(new_context, login, assert_accessible):
    """A map with ``pick``: Enter on the cross places the new observation and says where (walkmap:tap)."""
    walk = walk_in_progress()
    page = new_context().new_page()
    login(page, KEES, DEMO_PASSWORD)
    # The walk_map tag with pick=True, rendered on a page of its own so this test does not depend on the
    # capture page's other parts.
    from django.template import Context, Template

    html = Template("{% load walk_tags %}{% walk_map walk pick=True %}").render(Context({"walk": walk}))
    page.goto(f"/wijkschouw/{walk.pk}/")
    expect(page.locator("[data-walk-map]")).to_have_attribute("data-ready", "true")
    page.evaluate("""async (html) => {
        document.querySelector('[data-walk-map]').remove();
        document.getElementById('walk-data').remove();
        const box = document.createElement('div');
        box.innerHTML = html;
        document.querySelector('main').prepend(box);
        window.taps = [];
        document.addEventListener('walkmap:tap', (e) => window.taps.push(e.detail));
        const src = document.querySelector('script[src*="walk-map.js"]').src;
        await import(src + '?again');
    }""", html)
    expect(page.locator("[data-walk-map][data-pick]")).to_have_attribute("data-ready", "true")
    page.locator("[data-walk-map] .map__canvas").focus()
    page.keyboard.press("ArrowRight")
    status = page.locator("[data-walk-map] [data-map-status]")
    expect(status).to_have_text(re.compile(r"Het kruis staat op: 51\.\d{5}, 4\.\d{5}"))
    page.keyboard.press("Enter")
    expect(status).to_have_text(re.compile("Plek van de nieuwe waarneming"))
    expect(page.locator(".walk-marker--new")).to_have_count(1)
    taps = page.evaluate("window.taps")
    assert len(taps) == 1 and set(taps[0]) == {"lat", "lng"}
    # The pin itself moves with the arrow keys once it has focus.
    page.locator(".leaflet-marker-icon:has(.walk-marker--new)").focus()
    page.keyboard.press("ArrowUp")
    taps = page.evaluate("window.taps")
    assert len(taps) == 2 and taps[1]["lat"] > taps[0]["lat"]
    assert_accessible(page)


def test_the_walk_detail_page_with_its_map_is_accessible(page, login, assert_accessible):
    walk = walk_in_progress()
    ObservationFactory(walk=walk, author=User.objects.get(email=KEES), kind="good", description="Schone stoep")
    login(page, ANNA, DEMO_PASSWORD)
    page.goto(f"/wijkschouw/{walk.pk}/")
    expect(page.locator("[data-walk-map]")).to_have_attribute("data-ready", "true")
    expect(marker(page, "Schone stoep")).to_have_count(1)
    expect(page.locator("[data-walk-map] [data-map-notice]")).to_be_visible()  # no tiles in tests
    assert_accessible(page)
    marker(page, "Schone stoep").click()
    popup = page.locator(".walk-popup")
    expect(popup.get_by_role("link", name="Bekijk de waarneming")).to_have_attribute(
        "href", re.compile(r"/wijkschouw/waarneming/\d+/$"))
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")  # faded in
    assert_accessible(page)
