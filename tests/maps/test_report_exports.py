"""The PDF, CSV and GeoJSON of a walk report: they are made for any text, neutralise spreadsheet formulas,
carry RD New coordinates and are valid GeoJSON."""

import csv
import io
import uuid
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from maps.models import MunicipalReport, ObservationState, WalkState
from maps.report import build_report
from maps.report import pdf as report_pdf
from maps.report.exports import safe_cell
from tests.factories_initiatives import InitiativeFactory
from tests.factories_maps import ObservationFactory, ObservationPhotoFactory, WalkFactory
from tests.maps.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db

HOSTILE = [
    '<script>alert("x")</script><b>vet</b> & {nb} {samenlab-pages}',
    "Kuil in de weg 🚧🕳️👍🏽 — “aanhalingstekens” € 5,–",
    "حفرة في الرصيف أمام البيت رقم 12",  # right to left
    "Lange tekst " * 170,  # about 2000 characters
    "x" * 2000,  # one word longer than a line
    # No NUL: the services drop it with every tag (nh3), and PostgreSQL refuses it in text.
    "Regel\x01met\x1bstuurtekens\u202eomgekeerd\u200b\ttab",
]


@pytest.fixture
def walk(kern):
    return WalkFactory(kern=kern, title="Schouw Dorpsstraat – één ronde", state=WalkState.FINISHED,
                       route=[[4.8350, 51.9275], [4.8370, 51.9280], [4.8390, 51.9290]])


def with_photo(observation):
    image = ContentFile(jpeg_bytes(), name="foto.jpg")
    photo = ObservationPhotoFactory(observation=observation, image=image)
    photo.renditions = [{"name": photo.image.name, "width": 8, "height": 8}]
    photo.save(update_fields=["renditions"])
    return photo


@pytest.fixture
def full_walk(walk):
    """A walk with every kind of outcome, hostile texts, a photo and an observation placed by words only."""
    reported = ObservationFactory(walk=walk, state=ObservationState.REPORTED, crow_score="D",
                                  description="=HYPERLINK(\"http://evil\")", address="+31 Dorpsstraat",
                                  decision_reason="-2+3", latitude=Decimal("51.928500"), longitude=Decimal("4.838000"))
    MunicipalReport.objects.create(observation=reported, adapter="signalen", reference=uuid.uuid4().hex,
                                   state=MunicipalReport.State.SENT, external_id="@SIG-77",
                                   external_status="o", external_status_text="In behandeling")
    with_photo(reported)
    ObservationFactory(walk=walk, state=ObservationState.INITIATIVE, kind="good",
                       initiative=InitiativeFactory(kern=walk.kern), crow_score="A")
    for text in HOSTILE:
        ObservationFactory(walk=walk, state=ObservationState.NO_ACTION, description=text, decision_reason=text,
                           address=text[:200])
    ObservationFactory(walk=walk, state=ObservationState.PRAISE, latitude=None, longitude=None,
                       place_description="Bij het bankje", crow_score="B")
    return walk


def pdf_text(data: bytes) -> bytes:
    """The page streams of a PDF set in the built-in font, decompressed (enough to find a text in them). Read by a
    PDF parser: a search for "stream … endstream" in the bytes could start inside a photo's data and miss a page."""
    from pypdf import PdfReader

    return b"\n".join(page.get_contents().get_data() for page in PdfReader(io.BytesIO(data)).pages)


def test_safe_cell_neutralises_what_a_spreadsheet_would_run():
    for text in ("=1+1", "+31", "-2", "@SUM(A1)", "\t=1", "\r=1"):
        assert safe_cell(text) == "'" + text
    assert safe_cell("Dorpsstraat 12") == "Dorpsstraat 12" and safe_cell(None) == "" and safe_cell(3) == "3"


def test_the_csv_has_a_bom_semicolons_one_row_per_observation_and_no_formulas(client, full_walk, council_member):
    client.force_login(council_member)
    response = client.get(reverse("maps:report_csv", args=[full_walk.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"] and "private" in response["Cache-Control"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert len(header) == 20 and len(body) == 2 + len(HOSTILE) + 1
    assert all(len(row) == len(header) for row in body)
    for row in body:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell
    reported = body[0]
    assert reported[4] == "'=HYPERLINK(\"http://evil\")" and reported[11] == "'+31 Dorpsstraat"
    assert reported[15] == "'-2+3" and reported[16] == "'@SIG-77" and reported[17] == "In behandeling"
    assert reported[7] == "51,928500" and reported[8] == "4,838000" and reported[19] == "1"
    rd_x, rd_y = float(reported[9].replace(",", ".")), float(reported[10].replace(",", "."))
    assert 100_000 < rd_x < 130_000 and 420_000 < rd_y < 450_000
    assert body[1][18].startswith("http://testserver/")  # the initiative, as a full address
    assert body[-1][9] == "" and body[-1][12] == "Bij het bankje"


def test_the_geojson_is_a_feature_collection_with_the_route_and_rd_properties(client, full_walk, council_member):
    client.force_login(council_member)
    response = client.get(reverse("maps:report_geojson", args=[full_walk.pk]))
    assert response["Content-Type"] == "application/geo+json"
    data = response.json()
    assert data["type"] == "FeatureCollection" and "crs" not in data
    route, *observations = data["features"]
    assert route["geometry"] == {"type": "LineString", "coordinates": full_walk.route}
    assert [s["number"] for s in route["properties"]["segments"]] == [1, 2]
    assert route["properties"]["segments"][1]["meets_target"] is False
    assert len(observations) == 2 + len(HOSTILE) + 1
    for feature in data["features"]:
        assert feature["type"] == "Feature" and set(feature) == {"type", "id", "geometry", "properties"}
    first = observations[0]
    assert first["geometry"] == {"type": "Point", "coordinates": [4.838, 51.9285]}
    assert first["properties"]["segment"] == 2 and first["properties"]["outcome"]["number"] == "@SIG-77"
    assert 100_000 < first["properties"]["rd_x"] < 130_000 and "author" not in first["properties"]
    assert first["properties"]["photos"][0]["src"].startswith("http://testserver/")
    assert observations[-1]["geometry"] is None and observations[-1]["properties"]["rd_x"] is None


def test_the_geojson_in_rd_new_names_its_crs(client, full_walk, council_member):
    client.force_login(council_member)
    url = reverse("maps:report_geojson", args=[full_walk.pk])
    data = client.get(url + "?crs=28992").json()
    assert data["crs"]["properties"]["name"] == "urn:ogc:def:crs:EPSG::28992"
    route, first = data["features"][:2]
    x, y = first["geometry"]["coordinates"]
    assert (x, y) == (first["properties"]["rd_x"], first["properties"]["rd_y"])
    assert all(100_000 < px < 130_000 for px, _py in route["geometry"]["coordinates"])
    assert client.get(url + "?crs=3857").status_code == 400


@pytest.mark.parametrize("unicode_font", [True, False], ids=["ttf", "helvetica"])
def test_the_pdf_is_made_for_hostile_text_in_both_fonts(full_walk, council_member, monkeypatch, unicode_font):
    font = report_pdf.find_font()
    # CI installs fonts-dejavu-core (.ci/run); a machine without a Unicode font fails here rather than skip.
    assert font is not None or not unicode_font, "install fonts-dejavu-core to test the Unicode font"
    report = build_report(full_walk, council_member)
    data = report_pdf.render_pdf(report, font=font if unicode_font else None)
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF") and len(data) > 5_000
    assert data.count(b"/Subtype /Image") == 1
    if not unicode_font:
        text = pdf_text(data)
        assert b"Schouw Dorpsstraat - \xe9\xe9n ronde" in text  # Latin-1 kept, the dash spelled out
        assert b"Alle waarnemingen" in text and b"voldoet niet" in text
        assert b"{samenlab-pages}" not in text and b"\x00" not in text


def test_the_pdf_falls_back_to_helvetica_when_no_font_is_installed(client, full_walk, council_member, monkeypatch):
    monkeypatch.setattr(report_pdf, "find_font", lambda: None)
    client.force_login(council_member)
    response = client.get(reverse("maps:report_pdf", args=[full_walk.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and b"/BaseFont /Helvetica" in response.content
    assert b"Schouw Dorpsstraat" in pdf_text(response.content)


def test_the_pdf_view_names_the_walk(client, full_walk, council_member):
    client.force_login(council_member)
    response = client.get(reverse("maps:report_pdf", args=[full_walk.pk]))
    assert response.content.startswith(b"%PDF")
    assert f'filename="wijkschouw-{full_walk.pk}-verslag.pdf"' in response["Content-Disposition"]
    assert b"/Title" in response.content


def test_a_missing_photo_file_leaves_the_photo_out_not_the_report(full_walk, council_member):
    from maps.models import ObservationPhoto

    ObservationPhoto.objects.update(renditions=[{"name": "walks/nothere/160.jpg", "width": 8, "height": 8}])
    data = report_pdf.render_pdf(build_report(full_walk, council_member), font=None)
    assert data.startswith(b"%PDF") and b"/Subtype /Image" not in data


def test_an_empty_walk_still_has_a_report(client, kern):
    walk = WalkFactory(kern=kern, route=[], state=WalkState.FINISHED)
    for name in ("maps:report", "maps:report_pdf", "maps:report_csv", "maps:report_geojson"):
        assert client.get(reverse(name, args=[walk.pk])).status_code == 200, name
    assert client.get(reverse("maps:report_geojson", args=[walk.pk])).json()["features"] == []
    assert client.get(reverse("maps:report_pdf", args=[walk.pk + 1000])).status_code == 404
