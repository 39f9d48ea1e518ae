"""The municipality's area and plain-coordinate geometry (no GDAL: latitude/longitude fields plus shapely).

The area comes from maps/data/molenlanden.geojson. The file in the repository is an APPROXIMATION
(the 21 kern centres' convex hull widened by 1.5 km, see maps/boundary.py); replace it by the
official boundary file and everything here follows.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import shapely
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from shapely.geometry import Point, shape
from shapely.ops import unary_union

BOUNDARY_FILE = Path(__file__).resolve().parent / "data" / "molenlanden.geojson"

OUTSIDE_MUNICIPALITY = _(
    "Deze plek ligt buiten de gemeente Molenlanden. Kies een plek in een van de 21 kernen of het "
    "buitengebied eromheen."
)
INVALID_COORDINATES = _("Dit zijn geen geldige coördinaten. Kies de plek op de kaart of kies een kern.")


@lru_cache(maxsize=1)
def municipality_area():
    """The area as one shapely (Multi)Polygon in lng/lat, prepared for fast point tests (read once)."""
    data = json.loads(BOUNDARY_FILE.read_text(encoding="utf-8"))
    features = data["features"] if data.get("type") == "FeatureCollection" else [data]
    geometries = [shape(f["geometry"] if f.get("type") == "Feature" else f) for f in features]
    area = unary_union([g for g in geometries if g.geom_type in ("Polygon", "MultiPolygon")])
    shapely.prepare(area)
    return area


@lru_cache(maxsize=1)
def municipality_geojson() -> dict:
    """The area as a GeoJSON FeatureCollection (what the map draws as its outline, tiles or not)."""
    return json.loads(BOUNDARY_FILE.read_text(encoding="utf-8"))


def municipality_bounds() -> tuple[float, float, float, float]:
    """(south, west, north, east) of the area, for fitting a map."""
    west, south, east, north = municipality_area().bounds
    return south, west, north, east


def _as_float(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def point_in_municipality(lat, lng) -> bool:
    """Whether (lat, lng) in WGS84 degrees lies inside the municipality's area. Bad numbers are outside."""
    lat_f, lng_f = _as_float(lat), _as_float(lng)
    if lat_f is None or lng_f is None or not (-90 <= lat_f <= 90 and -180 <= lng_f <= 180):
        return False
    return municipality_area().covers(Point(lng_f, lat_f))


def validate_location(lat, lng) -> None:
    """Raise a ``ValidationError`` with a plain message unless both are empty or the point is inside.

    For forms and services alike: one half of a coordinate pair is as wrong as a point in Rotterdam.
    """
    if lat in (None, "") and lng in (None, ""):
        return
    lat_f, lng_f = _as_float(lat), _as_float(lng)
    if lat_f is None or lng_f is None or not (-90 <= lat_f <= 90 and -180 <= lng_f <= 180):
        raise ValidationError(INVALID_COORDINATES, code="invalid_coordinates")
    if not point_in_municipality(lat_f, lng_f):
        raise ValidationError(OUTSIDE_MUNICIPALITY, code="outside_municipality")


def rounded(value, places: int = 6) -> Decimal:
    """A coordinate as a Decimal with ``places`` decimals (6 decimals is about 10 cm)."""
    return Decimal(str(round(float(value), places)))


def point_feature(*, lat, lng, properties: dict) -> dict:
    """One GeoJSON Point feature; GeoJSON puts longitude first."""
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [float(lng), float(lat)]},
        "properties": properties,
    }


def feature_collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}
