"""How maps/data/molenlanden.geojson was made: an APPROXIMATE municipal area, not the legal boundary.

The area is the convex hull of the 21 kern centres (community/data/kernen.csv) widened by 1.5 km. It
is good enough to tell "somewhere in Molenlanden" from "in Rotterdam" or "a typo in the coordinates",
and it needs no download. It is deliberately generous near the edges and may include a strip of a
neighbouring municipality, or miss a remote polder corner.

To use the official boundary instead: download the municipality's polygon (e.g. PDOK "Bestuurlijke
gebieden", gemeente Molenlanden, GM1978) as GeoJSON in WGS84 (EPSG:4326) and save it over
maps/data/molenlanden.geojson. maps.geo reads any Polygon or MultiPolygon feature from that file;
nothing else needs to change.

Regenerate the approximate file with ``python -m maps.boundary``.
"""

import csv
import json
import math
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import MultiPoint, mapping

BASE_DIR = Path(__file__).resolve().parent.parent
KERNEN_CSV = BASE_DIR / "community" / "data" / "kernen.csv"
BOUNDARY_FILE = Path(__file__).resolve().parent / "data" / "molenlanden.geojson"
BUFFER_METRES = 1500
# Metres per degree near 51.9° N. An equirectangular projection around the area's centre is accurate
# to well under a metre per kilometre here, which is plenty for a 1.5 km margin.
REFERENCE_LATITUDE = 51.89
METRES_PER_DEGREE_LAT = 111_320.0
METRES_PER_DEGREE_LNG = METRES_PER_DEGREE_LAT * math.cos(math.radians(REFERENCE_LATITUDE))


def kern_centres() -> list[tuple[float, float]]:
    """(lng, lat) of every kern, in the order of the CSV file."""
    with KERNEN_CSV.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return [(float(row["lng"]), float(row["lat"])) for row in rows]


def approximate_boundary():
    """The convex hull of the kern centres, buffered by 1.5 km, as a shapely Polygon in lng/lat."""
    scale = np.array([METRES_PER_DEGREE_LNG, METRES_PER_DEGREE_LAT])
    hull = shapely.transform(MultiPoint(kern_centres()).convex_hull, lambda coords: coords * scale)
    return shapely.transform(hull.buffer(BUFFER_METRES, quad_segs=8), lambda coords: coords / scale).simplify(0.0001)


def feature_collection() -> dict:
    geometry = mapping(approximate_boundary())
    geometry["coordinates"] = [[[round(x, 5), round(y, 5)] for x, y in ring] for ring in geometry["coordinates"]]
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "name": "Molenlanden",
                    "approximate": True,
                    "source": "Convex hull of the 21 kern centres (community/data/kernen.csv), buffered 1.5 km. "
                    "Replace with the official boundary (PDOK Bestuurlijke gebieden, GM1978) when available.",
                },
                "geometry": geometry,
            }
        ],
    }


def main() -> None:
    BOUNDARY_FILE.write_text(json.dumps(feature_collection(), separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"Wrote {BOUNDARY_FILE}")


if __name__ == "__main__":
    main()
