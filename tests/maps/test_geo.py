"""The municipality's (approximate) area and the point-in-area check every location goes through."""

import json

import pytest
from django.core.exceptions import ValidationError

from maps import boundary, geo


def test_every_kern_centre_lies_inside_the_area():
    centres = boundary.kern_centres()
    assert len(centres) == 21
    for lng, lat in centres:
        assert geo.point_in_municipality(lat, lng), (lat, lng)


@pytest.mark.parametrize(
    ("place", "lat", "lng"),
    [
        ("Gorinchem centrum", 51.8306, 4.9744),
        ("Dordrecht", 51.8133, 4.6901),
        ("Rotterdam", 51.9225, 4.4792),
        ("Utrecht", 52.0907, 5.1214),
        ("Schoonhoven, over de Lek", 51.9475, 4.8486),
        ("Null Island", 0, 0),
    ],
)
def test_places_outside_the_municipality_are_outside(place, lat, lng):
    assert not geo.point_in_municipality(lat, lng), place


@pytest.mark.parametrize("value", [None, "", "abc", "nan", "inf", 1e400, "91"])
def test_bad_numbers_are_never_inside(value):
    assert not geo.point_in_municipality(value, 4.9)
    assert not geo.point_in_municipality(51.87, value if value != "91" else "181")


def test_validate_location_gives_a_clear_reason():
    geo.validate_location(None, None)
    geo.validate_location("", "")
    geo.validate_location("51.8655", "4.9930")
    with pytest.raises(ValidationError) as outside:
        geo.validate_location(51.9225, 4.4792)
    assert outside.value.code == "outside_municipality"
    assert "buiten de gemeente Molenlanden" in outside.value.messages[0]
    with pytest.raises(ValidationError) as half:
        geo.validate_location("51.87", "")
    assert half.value.code == "invalid_coordinates"


def test_the_stored_file_is_what_the_generator_makes_and_says_it_is_approximate():
    stored = json.loads(geo.BOUNDARY_FILE.read_text(encoding="utf-8"))
    assert stored == json.loads(json.dumps(boundary.feature_collection(), separators=(",", ":")))
    assert stored["features"][0]["properties"]["approximate"] is True


def test_the_area_is_a_sensible_size_and_its_bounds_hold_every_kern():
    south, west, north, east = geo.municipality_bounds()
    assert 51.80 < south < north < 51.97
    assert 4.58 < west < east < 5.05
    for lng, lat in boundary.kern_centres():
        assert south <= lat <= north and west <= lng <= east


def test_a_replacement_boundary_file_is_read_as_it_is(tmp_path, monkeypatch):
    square = {"type": "Feature", "properties": {}, "geometry": {
        "type": "MultiPolygon", "coordinates": [[[[4.0, 51.0], [5.0, 51.0], [5.0, 52.0], [4.0, 52.0], [4.0, 51.0]]]]}}
    replacement = tmp_path / "official.geojson"
    replacement.write_text(json.dumps({"type": "FeatureCollection", "features": [square]}))
    monkeypatch.setattr(geo, "BOUNDARY_FILE", replacement)
    geo.municipality_area.cache_clear()
    try:
        assert geo.point_in_municipality(51.5, 4.5)
        assert not geo.point_in_municipality(52.5, 4.5)
    finally:
        geo.municipality_area.cache_clear()
