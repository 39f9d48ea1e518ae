"""WGS84 longitude/latitude to RD New (EPSG:28992), the Dutch national grid the municipality's GIS uses.

RD New is in metres, so it is also what distances along a route are measured in. pyproj's default
transformation is accurate to about a metre here (the RDNAPTRANS grids are not needed for a report).
"""

from __future__ import annotations

import math
from functools import lru_cache

from pyproj import Transformer

RD_NEW = 28992


@lru_cache(maxsize=1)
def _transformer() -> Transformer:
    return Transformer.from_crs("EPSG:4326", f"EPSG:{RD_NEW}", always_xy=True)


def to_rd(lng: float, lat: float) -> tuple[float, float]:
    """(x, y) in metres for one point given as (longitude, latitude) in degrees."""
    x, y = _transformer().transform(float(lng), float(lat))
    return float(x), float(y)


def many_to_rd(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The same for a list of (lng, lat) points, in one call."""
    if not points:
        return []
    xs, ys = _transformer().transform([p[0] for p in points], [p[1] for p in points])
    return [(float(x), float(y)) for x, y in zip(xs, ys, strict=True)]


def clean_route(route) -> list[tuple[float, float]]:
    """The usable (lng, lat) points of a GeoJSON LineString's coordinates; anything else is skipped."""
    points: list[tuple[float, float]] = []
    if not isinstance(route, list):
        return points
    for position in route:
        if not isinstance(position, (list, tuple)) or len(position) < 2:
            continue
        try:
            lng, lat = float(position[0]), float(position[1])
        except (TypeError, ValueError):
            continue
        if math.isfinite(lng) and math.isfinite(lat) and -180 <= lng <= 180 and -90 <= lat <= 90:
            points.append((lng, lat))
    return points
