"""What goes to Signalen: valid against Signalen's public create schema for every theme, and the stand-in
refuses what is not (so a passing hand-off test means a payload Signalen would take)."""

from decimal import Decimal

import pytest

from maps.handoff import http
from maps.handoff.adapters import SignalenAdapter
from maps.handoff.report import build_report, parse_address
from maps.handoff.standin import schema_errors
from maps.models import ObservationTheme

pytestmark = pytest.mark.django_db


def payload_of(report):
    return SignalenAdapter().payload(build_report(report))


@pytest.mark.parametrize("theme", [choice.value for choice in ObservationTheme])
def test_the_payload_is_valid_for_every_theme(standin, make_report, theme):
    payload = payload_of(make_report(theme=theme, address="Dorpsstraat 12a, 2964 AB Groot-Ammers",
                                     place_description="Bij de bank\nvoor de kerk", crow_score="C"))
    assert schema_errors(payload) == []
    assert payload["category"]["sub_category"].startswith(standin.url + "/signals/v1/public/terms/categories/")


def test_the_payload_says_what_where_who_and_our_reference(standin, make_report, decider):
    report = make_report(description="Losse tegel", address="Dorpsstraat 12a, 2964 AB Groot-Ammers",
                         latitude=Decimal("51.9275"), longitude=Decimal("4.835"))
    payload = payload_of(report)
    assert payload["location"]["geometrie"] == {"type": "Point", "coordinates": [4.835, 51.9275]}  # lng first
    assert payload["location"]["address"] == {"openbare_ruimte": "Dorpsstraat", "huisnummer": 12,
                                              "huisletter": "a", "postcode": "2964AB", "woonplaats": "Groot-Ammers"}
    assert payload["reporter"] == {"email": decider.email, "sharing_allowed": False}
    assert payload["incident_date_start"] == report.observation.observed_at.isoformat()
    assert report.reference == f"samenlab-waarneming-{report.observation_id}"
    answers = {item["id"]: item["answer"] for item in payload["extra_properties"]}
    assert answers["samenlab_kenmerk"] == report.reference
    text = payload["text"]
    assert text.startswith("Losse tegel") and report.observation.walk.title in text and report.reference in text


def test_without_a_point_the_kern_centre_stands_in_and_the_text_says_so(standin, make_report, kern):
    payload = payload_of(make_report(latitude=None, longitude=None, place_description="Achter het dorpshuis"))
    assert payload["location"]["geometrie"]["coordinates"] == [float(kern.longitude), float(kern.latitude)]
    assert "midden van" in payload["text"] and "Achter het dorpshuis" in payload["text"]
    assert "address" not in payload["location"]
    assert schema_errors(payload) == []


def test_an_address_that_cannot_be_read_stays_in_the_text_only(standin, make_report):
    payload = payload_of(make_report(address="naast de molen"))
    assert "address" not in payload["location"] and "naast de molen" in payload["text"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Kerkstraat 3", ("Kerkstraat", 3, "", "", "", "Arkel")),
    ("Kerkstraat 3-2, Arkel", ("Kerkstraat", 3, "", "2", "", "Arkel")),
    ("Van Beuningenstraat 140 B, 4241 AB Arkel", ("Van Beuningenstraat", 140, "B", "", "4241AB", "Arkel")),
    ("ergens bij de dijk", None),
])
def test_addresses_are_split_into_signalen_fields(text, expected):
    address = parse_address(text, default_town="Arkel")
    got = None if address is None else (address.street, address.number, address.letter, address.addition,
                                        address.postcode, address.town)
    assert got == expected


def test_the_standin_refuses_a_payload_against_the_schema(standin, make_report):
    good = payload_of(make_report())
    url = f"{standin.url}/signals/v1/public/signals/"
    for broken in (
        {**good, "location": {"geometrie": {"type": "Point", "coordinates": [4.8]}}},  # one coordinate
        {**good, "category": {}},  # no category
        {**good, "incident_date_start": "gisteren"},
        {**good, "extra_properties": [{"id": "x", "label": "y", "answer": "a\nb", "category_url": "/c"}]},
        {**good, "unexpected": 1},  # Signalen refuses unknown top-level keys
        {key: value for key, value in good.items() if key != "reporter"},
    ):
        response = http.request("POST", url, json=broken, timeout=2)
        assert response.status == 400, broken
        assert response.json()["errors"]
    assert standin.signals == {}
    assert http.request("POST", url, json=good, timeout=2).status == 201
    assert len(standin.signals) == 1


def test_the_standin_takes_only_images_as_attachments(standin, make_report):
    created = http.request("POST", f"{standin.url}/signals/v1/public/signals/", json=payload_of(make_report()),
                           timeout=2).json()
    url = f"{standin.url}/signals/v1/public/signals/{created['signal_id']}/attachments/"
    text = http.FilePart("file", "notes.txt", "image/jpeg", b"not an image")
    assert http.request("POST", url, files=[text], timeout=2).status == 400
    assert standin.attachments[created["signal_id"]] == []
