"""A workshop's journey map to take away: CSV per lane safe for spreadsheets, a poster PDF and an A4 report in
both fonts, and a PNG, all from the same export (so they show the same cards, and dots only when asked)."""

import io

import pytest
from PIL import Image

from lab.models import Workshop
from lab.workshops import exports
from lab.workshops.journey_json import export_journey
from tests.factories import StaffFactory, UserFactory
from tests.maps.test_report_exports import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey(kern):
    from lab.workshops.demo import _finished

    for email in ("jan@example.org", "kees@example.org"):
        UserFactory(email=email, kern=kern)
    _finished(StaffFactory(email="fatima@example.org"))
    data = export_journey(Workshop.objects.get(title="Verhuizen naar Molenlanden"), with_dots=True)
    data["cards"][0]["text"] = "=HYPERLINK(\"http://evil\")"
    return data


def test_the_csv_of_one_lane_has_its_cards_only_and_runs_nothing(journey):
    pain = next(i for i, lane in enumerate(journey["lanes"]) if lane["kind"] == "pain")
    text = exports.lane_csv(journey, pain).decode("utf-8")
    assert text.startswith("\ufefffase;rij;kaartje;groep;stippen\r\n")
    rows = text.strip().split("\r\n")[1:]
    assert len(rows) == sum(1 for c in journey["cards"] if c["lane"] == pain)
    assert all(";Knelpunten;" in row for row in rows)
    whole = exports.lane_csv(journey).decode("utf-8")
    assert "'=HYPERLINK" in whole and "\n=HYPERLINK" not in whole


def test_without_dots_the_csv_has_no_dots_column(journey):
    for card in journey["cards"]:
        card.pop("dots")
    assert "stippen" not in exports.lane_csv(journey).decode("utf-8").splitlines()[0]


@pytest.mark.parametrize("unicode_font", [True, False], ids=["ttf", "helvetica"])
def test_the_poster_and_the_report_are_made_in_both_fonts(journey, unicode_font):
    from core.documents import find_font

    font = find_font()
    assert font is not None or not unicode_font, "install fonts-dejavu-core to test the Unicode font"
    for render in (exports.poster_pdf, exports.report_pdf):
        data = render(journey, font=font if unicode_font else None)
        assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
        if not unicode_font:
            text = pdf_text(data)
            assert b"Verhuizen naar Molenlanden" in text and b"Wachten" in text
    if not unicode_font:
        report = pdf_text(exports.report_pdf(journey, font=None))
        assert b"Belangrijkste knelpunten" in report and b"Een bevestiging per sms" in report


def test_the_poster_is_a2_landscape(journey):
    data = exports.poster_pdf(journey, font=None)
    assert b"/MediaBox [0 0 1683.78 1190.55]" in data


def test_the_png_shows_every_stage_and_lane(journey):
    data = exports.map_png(journey)
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.width == 2400 and image.height > 110 + 6 * 80


def test_the_top_cards_are_by_dots(journey):
    best = exports.top_cards(journey, "ideas")
    assert [c["dots"] for c in best] == sorted((c["dots"] for c in best), reverse=True)
    assert all(journey["lanes"][c["lane"]]["kind"] == "ideas" for c in best)
