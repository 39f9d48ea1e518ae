"""The poster and the A4 report show each shared card's photo (its smallest size, scaled to fit) with what it
shows; a card that was never revealed stays out with its photo; a photo whose file is gone or damaged leaves its
card's text. The JSON (and a template made from it), the CSV and the map's picture carry no photo."""

import io
import json
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from initiatives.images import process_image
from lab.models import Card, LaneKind, Phase, Workshop
from lab.workshops import exports, services
from lab.workshops.journey_json import export_journey, journey_and_cards, validate_journey
from lab.workshops.services.journeys import save_as_template
from lab.workshops.views.outcomes import render_export
from tests.lab.workshops.conftest import cell
from tests.photos import gps_tagged_jpeg, jpeg_bytes

pytestmark = pytest.mark.django_db

SHARED_ALT = "Een lege brievenbus"
SECRET_ALT = "De voordeur van mijn huis"


def add(seat, text, *, alt="", photo=True, kind=LaneKind.PAIN, stage=0, size=(640, 480), colour=(200, 30, 30)):
    """A card of ``seat``; with a photo of one ``colour`` (the PDF stores a picture met twice only once)."""
    s, lane = cell(Workshop.objects.get(pk=seat.workshop_id), kind, stage)
    image = process_image(jpeg_bytes(size, colour=colour)) if photo else None
    card, _made = services.add_card(actor=seat.user or AnonymousUser(), participant=seat, stage=s, lane=lane,
                                    text=text, client_id=uuid.uuid4(), image=image, photo_alt=alt)
    return card


def smallest_file(card) -> bytes:
    with default_storage.open(card.photo_names()[0]) as handle:
        return handle.read()


@pytest.fixture
def ended(board, guest, lead):
    """A workshop that ended: one revealed card with a photo, one without, one never revealed with a photo."""
    shared = add(guest, "De brief kwam niet", alt=SHARED_ALT)
    bare = add(guest, "Niemand nam op", photo=False)
    services.reveal(actor=lead, workshop=board)
    services.set_phase(actor=lead, workshop=board, phase=Phase.BRAINSTORM)  # a second round, never revealed
    secret = add(guest, "Mijn adres is geheim", alt=SECRET_ALT, kind=LaneKind.IDEAS, colour=(20, 40, 220))
    services.end_workshop(actor=lead, workshop=board)
    assert Card.objects.get(pk=secret.pk).private and not Card.objects.get(pk=shared.pk).private
    found = Workshop.objects.get(pk=board.pk)
    found.shared, found.bare, found.secret = shared, bare, secret
    return found


def export(workshop, name) -> bytes:
    return render_export(workshop, name, with_dots=False).content


def pdf(data: bytes) -> tuple[int, str, int]:
    """(images on all pages, the text, pages)."""
    reader = PdfReader(io.BytesIO(data))
    return (sum(len(page.images) for page in reader.pages), "\n".join(page.extract_text() for page in reader.pages),
            len(reader.pages))


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("name", ["verslag.pdf", "poster.pdf"])
def test_a_shared_cards_photo_and_its_description_are_in_the_pdf(ended, name):
    images, text, _pages = pdf(export(ended, name))
    assert images == 1
    assert "De brief kwam niet" in flat(text) and f"Foto: {SHARED_ALT}" in flat(text)
    assert "Niemand nam op" in flat(text)


@pytest.mark.parametrize("name", ["verslag.pdf", "poster.pdf"])
def test_a_card_never_revealed_stays_out_with_its_photo(ended, name):
    data = export(ended, name)
    _images, text, _pages = pdf(data)
    assert "Mijn adres is geheim" not in flat(text) and SECRET_ALT not in flat(text)
    assert smallest_file(ended.shared) in data and smallest_file(ended.secret) not in data  # the JPEG as stored


def test_the_photo_comes_under_its_own_card(board, guest, lead):
    add(guest, "Eerst zonder foto", photo=False)
    add(guest, "Dan met foto", alt="Een natte stoep")
    add(guest, "Weer zonder foto", photo=False)
    services.reveal(actor=lead, workshop=board)
    _images, text, _pages = pdf(export(board, "verslag.pdf"))
    text = flat(text)
    assert text.index("Eerst zonder foto") < text.index("Dan met foto") < text.index("Foto: Een natte stoep") \
        < text.index("Weer zonder foto")


def test_a_photo_without_a_description_has_no_caption(board, guest, lead):
    add(guest, "Een foto zonder woorden")
    services.reveal(actor=lead, workshop=board)
    images, text, _pages = pdf(export(board, "verslag.pdf"))
    assert images == 1 and "Foto:" not in text


@pytest.mark.parametrize("name", ["verslag.pdf", "poster.pdf"])
@pytest.mark.parametrize("broken", ["missing", "damaged", "bomb"])
def test_a_photo_whose_file_is_gone_or_broken_leaves_the_text(ended, name, broken):
    smallest = ended.shared.photo_names()[0]
    default_storage.delete(smallest)
    if broken == "damaged":
        default_storage.save(smallest, ContentFile(gps_tagged_jpeg()[:5000]))
    elif broken == "bomb":
        buffer = io.BytesIO()
        Image.new("1", (10_000, 10_000)).save(buffer, "PNG")
        default_storage.save(smallest, ContentFile(buffer.getvalue()))
    images, text, _pages = pdf(export(ended, name))
    assert images == 0 and "De brief kwam niet" in flat(text) and SHARED_ALT not in flat(text)


def test_many_photos_in_one_cell_run_over_pages_and_every_one_is_drawn(board, guest, lead):
    for n in range(24):
        add(guest, f"Kaartje nummer {n}", alt=f"Beschrijving {n}", size=(480, 720) if n % 2 else (800, 450),
            colour=(10 * n, 100, 250 - 10 * n))
    services.reveal(actor=lead, workshop=board)
    for name in ("poster.pdf", "verslag.pdf"):
        images, text, pages = pdf(export(board, name))
        assert images == 24 and pages > 1, name
        for n in range(24):
            assert f"Kaartje nummer {n}" in flat(text) and f"Beschrijving {n}" in flat(text), (name, n)


def test_a_lane_that_does_not_fit_below_the_grid_starts_on_a_new_page_with_the_stages(board, guest, lead):
    for n in range(6):
        add(guest, f"Knelpunt {n}", alt=f"Foto {n}", kind=LaneKind.PAIN, size=(480, 720), colour=(30 * n, 0, 0))
    for n in range(6):
        add(guest, f"Idee {n}", alt=f"Plaatje {n}", kind=LaneKind.IDEAS, size=(480, 720), colour=(0, 30 * n, 0))
    services.reveal(actor=lead, workshop=board)
    reader = PdfReader(io.BytesIO(export(board, "poster.pdf")))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        text = flat(page.extract_text())
        assert all(stage.title in text for stage in board.stages.all())  # the stages head every page
    last = flat(reader.pages[-1].extract_text())
    assert "Idee 5" in last and "Plaatje 5" in last


def test_the_json_the_csv_and_a_template_carry_no_photo(ended, lead):
    journey = json.loads(export(ended, "klantreis.json"))
    assert journey == export_journey(ended) and validate_journey(journey) == journey
    assert all(set(card) == {"stage", "lane", "text", "group"} for card in journey["cards"])
    for name in ("klantreis.json", "kaartjes.csv"):
        content = export(ended, name).decode("utf-8")
        assert ended.shared.photo_key not in content and SHARED_ALT not in content and "foto" not in content.lower()
    assert Image.open(io.BytesIO(export(ended, "kaart.png"))).format == "PNG"
    template = save_as_template(actor=lead, workshop=ended, title="Verhuizen")
    assert ended.shared.photo_key not in json.dumps(template.data) and SHARED_ALT not in json.dumps(template.data)


def test_the_photos_beside_the_journey_are_those_of_its_cards_in_its_order(ended):
    journey, cards = journey_and_cards(ended)
    assert [c.text for c in cards] == [c["text"] for c in journey["cards"]]
    photos = exports.card_photos(cards)
    shared = [p for p in photos if p is not None]
    assert [p.name for p in shared] == [ended.shared.photo_names()[0]] and shared[0].alt == SHARED_ALT
    assert photos[[c.pk for c in cards].index(ended.bare.pk)] is None


def test_the_export_reads_no_more_for_more_photos(board, guest, lead):
    add(guest, "Eerste")
    services.reveal(actor=lead, workshop=board)

    def counted():
        with CaptureQueriesContext(connection) as captured:
            export(Workshop.objects.get(pk=board.pk), "verslag.pdf")
        return len(captured)

    few = counted()
    services.set_phase(actor=lead, workshop=board, phase=Phase.SHARE)
    for n in range(10):
        add(guest, f"Kaartje {n}")
    assert counted() == few


def test_the_results_page_gives_the_report_with_the_photo(ended, lead):
    answer = Client()
    answer.force_login(lead)
    response = answer.get(reverse("lab:export", args=[ended.pk, "verslag.pdf"]))
    assert response.status_code == 200 and pdf(response.content)[0] == 1


def test_the_curve_leaves_no_fill_colour_for_the_report_table_after_it():
    """fpdf2 gives a table the fill colour set before it: after the curves it would be dark green."""
    from core.documents import DocumentPDF

    pdf = DocumentPDF(font=None, title="Verslag")
    pdf.add_page()
    journey = {"stages": [{"title": "Fase", "feeling_now": 1.0, "feeling_desired": 2.0}]}
    exports.draw_curve(pdf, journey, x=15, y=20, width=180, height=40, label_width=12)
    assert pdf.font_face().fill_color is None


@pytest.mark.timeout(120)
def test_a_card_taller_than_a_page_is_drawn_anyway_and_the_poster_ends(board, guest, lead, monkeypatch):
    """A card that fits on no page still goes on one (it runs off its foot): the grid never adds pages forever."""
    monkeypatch.setattr("lab.workshops.exports.pdf.POSTER_PHOTO_HEIGHT", 2000.0)
    add(guest, "Een heel lange foto", alt="Een smalle toren", size=(40, 1200))
    services.reveal(actor=lead, workshop=board)
    reader = PdfReader(io.BytesIO(export(board, "poster.pdf")))
    texts = [flat(page.extract_text()) for page in reader.pages]
    assert len(reader.pages) == 3 and sum(len(page.images) for page in reader.pages) == 1
    assert "Een heel lange foto" in texts[1] and "Knelpunten" not in texts[2]  # no empty rest of the lane
