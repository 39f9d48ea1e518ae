"""A photo on a card, from a phone, in the silent brainstorm: Anna adds a card with a photo of the letter she never
got; Bert's phone shows that a card is there but not its photo (not on his page, not in his socket's frames, and
the file itself answers 404 to him); after "Deel alle kaartjes" the photo appears on his phone without a reload,
with its description as its text alternative, and in the board's text view; Anna takes the photo off again and it
leaves Bert's screen. axe runs on every state visited, the open photo form included.
"""

import datetime
import json
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from community.demo import DEMO_PASSWORD
from community.models import User
from lab.models import Card, Lane, LaneKind, Stage
from lab.workshops import services
from tests.photos import gps_tagged_jpeg

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
FACILITATOR = "fatima@example.org"
LIVE_MS = 10_000
TEXT = "De brief over mijn inschrijving kwam nooit"
ALT = "Een lege brievenbus bij de voordeur"


@pytest.fixture
def server_env(tmp_path):
    """The server stores uploads where this test (and its clean-up) looks: the test's own media folder."""
    return {"MEDIA_ROOT": str(tmp_path / "media")}


def join(phone, code: str, name: str, board_path: str) -> None:
    phone.goto(f"/meedoen/?code={code}")
    phone.fill("#id_display_name", name)
    phone.get_by_role("button", name="Doe mee").click()
    expect(phone).to_have_url(re.compile(re.escape(board_path)))


def wait_until_loaded(page, selector: str) -> None:
    """The image is shown, not a broken icon: it was served (the board's photos load lazily, so it is brought into
    view; a live update may replace the card meanwhile, so it is looked up afresh each time)."""
    page.wait_for_function(f"""() => {{
        const img = document.querySelector({json.dumps(selector)});
        if (!img) return false;
        img.scrollIntoView({{block: "center"}});
        return img.complete && img.naturalWidth > 0;
    }}""", timeout=LIVE_MS)


def test_a_photo_on_a_card_stays_with_its_author_until_the_reveal(new_context, login, assert_accessible, tmp_path):
    fatima = User.objects.get(email=FACILITATOR)
    starts = timezone.now() + datetime.timedelta(minutes=5)
    workshop = services.plan_workshop(actor=fatima, title="Verhuizen naar Molenlanden",
                                      service="Verhuizen naar een van de kernen", starts_at=starts,
                                      ends_at=starts + datetime.timedelta(hours=2), place="Dorpshuis Giessenburg")
    services.open_workshop(actor=fatima, workshop=workshop)
    board_path = f"/werksessies/{workshop.pk}/bord/"
    first_stage = Stage.objects.filter(workshop=workshop).first().pk
    pain = Lane.objects.get(workshop=workshop, kind=LaneKind.PAIN).pk
    pain_cell = f"[data-cell='{first_stage}-{pain}']"
    photo_file = tmp_path / "brievenbus.jpg"
    photo_file.write_bytes(gps_tagged_jpeg())

    errors = []
    host = new_context(viewport=DESKTOP).new_page()
    host.on("pageerror", lambda error: errors.append(f"facilitator: {error}"))
    login(host, FACILITATOR, DEMO_PASSWORD)
    anna, bert = new_context().new_page(), new_context().new_page()  # phones, 360 px
    bert_frames = []
    bert.on("websocket", lambda socket: socket.on(
        "framereceived", lambda frame: bert_frames.append(frame if isinstance(frame, str) else frame.decode())))
    for name, phone in (("Anna", anna), ("Bert", bert)):
        phone.on("pageerror", lambda error, who=name: errors.append(f"{who}: {error}"))
        join(phone, workshop.join_code, name, board_path)
    host.goto(board_path)
    for page in (anna, bert):
        page.evaluate("window.__noReload = true")

    # Anna writes a card and adds a photo from her phone, with what it shows.
    form = anna.locator(f"{pain_cell} [data-card-form]")
    form.locator("textarea").fill(TEXT)
    form.get_by_text("Foto toevoegen").click()
    form.get_by_label("Foto (mag ook niet)").set_input_files(str(photo_file))
    form.get_by_label("Wat staat er op de foto?").fill(ALT)
    assert_accessible(anna)  # the board with the photo form open
    form.get_by_role("button", name="Zet op het bord").click()
    own = anna.locator(f"{pain_cell} .board-card--own")
    expect(own).to_contain_text(TEXT)
    expect(own.get_by_role("img", name=ALT)).to_be_visible()
    card = Card.objects.get(workshop=workshop)
    wait_until_loaded(anna, f"#kaartje-{card.pk} img")
    expect(form.locator("input[type=file]")).to_have_value("")  # the next card starts without a photo
    assert card.private and card.has_photo and card.photo_alt == ALT
    assert_accessible(anna)

    # Bert sees that a card is there, not its photo; the socket never named it; the file is not his to fetch.
    expect(bert.locator(f"{pain_cell} .board-card__text--hidden")).to_have_count(1, timeout=LIVE_MS)
    expect(bert.locator(f"{pain_cell} img")).to_have_count(0)
    assert card.photo_key not in bert.content()
    assert not any(card.photo_key in frame or "brievenbus" in frame for frame in bert_frames)
    assert bert.request.get(card.photo_url).status == 404
    assert anna.request.get(card.photo_url).status == 200
    expect(host.locator(f"#kaartje-{card.pk}").get_by_role("img", name=ALT)).to_be_visible(timeout=LIVE_MS)
    assert_accessible(bert)

    # The reveal: the photo reaches Bert's phone live, with its description.
    host.get_by_role("button", name="Deel alle kaartjes").click()
    shared = bert.locator(f"#kaartje-{card.pk}").get_by_role("img", name=ALT)
    expect(shared).to_be_visible(timeout=LIVE_MS)
    wait_until_loaded(bert, f"#kaartje-{card.pk} img")
    assert bert.request.get(card.photo_url).status == 200
    assert_accessible(bert)
    for page in (anna, bert):  # the phones (the facilitator's control is a plain form)
        assert page.evaluate("window.__noReload === true"), f"{page.url} was reloaded"

    # The facilitator puts the card in the spotlight: the photo shows big on Bert's phone.
    host.locator(f"#kaartje-{card.pk}").get_by_role("button", name="In de schijnwerper").click()
    expect(bert.locator("[data-spotlight-card]").get_by_role("img", name=ALT)).to_be_visible(timeout=LIVE_MS)
    assert_accessible(bert)

    # The text view names the photo by what it shows.
    text_view = new_context().new_page()
    text_view.context.add_cookies(bert.context.cookies())
    text_view.goto(board_path + "?tekst=1")
    expect(text_view.locator("main")).to_contain_text(f"foto: {ALT}")
    assert_accessible(text_view)

    # Anna takes the photo off her card; it leaves Bert's screen.
    mine = anna.locator(f"#kaartje-{card.pk}")
    mine.get_by_text("Wijzigen").click()
    mine.get_by_text("Andere foto").click()
    mine.get_by_label("Foto weghalen").check()
    assert_accessible(anna)
    mine.get_by_role("button", name="Bewaar").click()
    expect(bert.locator(f"#kaartje-{card.pk} img")).to_have_count(0, timeout=LIVE_MS)
    expect(bert.locator("[data-spotlight-card] img")).to_have_count(0, timeout=LIVE_MS)
    expect(bert.locator("[data-spotlight-card]")).to_contain_text(TEXT)
    expect(anna.locator(f"#kaartje-{card.pk} img")).to_have_count(0, timeout=LIVE_MS)
    card.refresh_from_db()
    assert not card.has_photo
    assert not errors, errors


def test_the_facilitator_gives_a_persona_a_drawing_and_everyone_sees_it_on_the_workshops_page(
        new_context, login, assert_accessible, tmp_path):
    """From the workshop's page to "Persona's beheren": a form sent without a name comes back with its errors, then
    Henk is added with a drawing and its description; the public page shows the drawing to a visitor."""
    from io import BytesIO

    from PIL import Image, ImageDraw

    fatima = User.objects.get(email=FACILITATOR)
    starts = timezone.now() + datetime.timedelta(days=7)
    workshop = services.plan_workshop(actor=fatima, title="Mantelzorg aanvragen", service="Mantelzorgondersteuning",
                                      starts_at=starts, ends_at=starts + datetime.timedelta(hours=2))
    drawing = BytesIO()
    canvas = Image.new("RGBA", (600, 600), (0, 0, 0, 0))
    ImageDraw.Draw(canvas).ellipse((150, 100, 450, 400), outline=(20, 60, 140, 255), width=12)
    canvas.save(drawing, "PNG")
    drawing_file = tmp_path / "henk.png"
    drawing_file.write_bytes(drawing.getvalue())

    host = new_context(viewport=DESKTOP).new_page()
    login(host, FACILITATOR, DEMO_PASSWORD)
    host.goto(f"/werksessies/{workshop.pk}/")
    host.get_by_role("link", name="Persona's beheren").click()
    assert_accessible(host)
    add = host.locator("form[action$='/personas/']")
    add.get_by_role("button", name="Voeg de persona toe").click()
    expect(host.get_by_role("alert").first).to_contain_text("De persona is niet toegevoegd.")
    assert_accessible(host)  # the form with its errors
    add = host.locator("form[action$='/personas/']")
    add.get_by_label("Naam", exact=False).first.fill("Henk")
    add.get_by_label("Situatie", exact=False).first.fill("Henk zorgt voor zijn vrouw. Hij heeft geen computer.")
    add.locator("input[type=file]").set_input_files(str(drawing_file))
    add.locator("input[name=photo_alt]").fill("Een tekening van Henk met een pet")
    add.get_by_role("button", name="Voeg de persona toe").click()
    expect(host.locator(".card", has_text="Henk").get_by_role("img", name="Een tekening van Henk met een pet")) \
        .to_be_visible()
    assert_accessible(host)

    visitor = new_context().new_page()
    visitor.goto(f"/werksessies/{workshop.pk}/")
    picture = visitor.get_by_role("img", name="Een tekening van Henk met een pet")
    expect(picture).to_be_visible()
    wait_until_loaded(visitor, "img[alt='Een tekening van Henk met een pet']")
    assert_accessible(visitor)
