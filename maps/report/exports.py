"""CSV and GeoJSON of a walk report: what the page shows, for a spreadsheet and for the municipality's GIS.

CSV: ``;``-separated, UTF-8 with a byte-order mark and decimal commas, which is what Excel with Dutch
settings opens without asking; a cell that a spreadsheet would take for a formula (starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading apostrophe.

GeoJSON (RFC 7946): longitude/latitude, with the RD New coordinates as ``rd_x``/``rd_y`` properties.
``crs=28992`` gives the geometry itself in RD New metres and adds the old (2008) ``crs`` member naming
it, which QGIS and ArcGIS read; RFC 7946 itself knows only WGS84.
"""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _

from core.documents import safe_cell  # noqa: F401  (the walk's exports take it from here)
from maps.report.data import WalkReport
from maps.report.projection import RD_NEW

CRS_CHOICES = {"": 4326, "4326": 4326, str(RD_NEW): RD_NEW}


def decimal_comma(value, places: int) -> str:
    return "" if value is None else f"{float(value):.{places}f}".replace(".", ",")


def local_time(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def csv_header() -> list[str]:
    return [_("nummer"), _("id"), _("thema"), _("soort"), _("beschrijving"), _("beeldkwaliteit"),
            _("deel van de route"), _("breedtegraad"), _("lengtegraad"), _("RD x"), _("RD y"), _("adres"),
            _("plek in woorden"), _("gezien op"), _("besluit"), _("toelichting"), _("meldingnummer"),
            _("status melding"), _("initiatief"), _("aantal foto's")]


def csv_bytes(report: WalkReport, *, absolute=str) -> bytes:
    """One row per observation, in report order. ``absolute`` makes a path a full address (the request's)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(csv_header())
    for item in report.items:
        o = item.observation
        outcome = item.outcome
        initiative = outcome.get("initiative_url", "")
        writer.writerow([safe_cell(cell) for cell in (
            item.number, o.pk, o.get_theme_display(), o.get_kind_display(), o.description, o.crow_score,
            item.segment or "",
            decimal_comma(o.latitude, 6), decimal_comma(o.longitude, 6),
            decimal_comma(item.rd[0] if item.rd else None, 2), decimal_comma(item.rd[1] if item.rd else None, 2),
            o.address, o.place_description, local_time(o.observed_at), o.get_state_display(),
            outcome.get("reason", ""), outcome.get("number", ""), outcome.get("status", ""),
            absolute(initiative) if initiative else "", item.photo_count)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _segments(report: WalkReport) -> list[dict]:
    return [{"number": s.number, "from_point": s.first_point, "to_point": s.last_point,
             "start_m": round(s.start_m, 1), "end_m": round(s.end_m, 1), "scores": s.count, "worst": s.worst,
             "typical": s.typical, "below_target": s.below_target, "meets_target": s.meets}
            for s in report.segments]


def geojson(report: WalkReport, *, crs: int = 4326, absolute=str) -> dict:
    """A FeatureCollection: the route as a LineString, then every observation (geometry null without a point)."""
    rd = crs == RD_NEW
    walk = report.walk
    features = []
    if len(report.route) >= 2:
        coordinates = ([[round(x, 2), round(y, 2)] for x, y in report.route_rd] if rd
                       else [[lng, lat] for lng, lat in report.route])
        features.append({
            "type": "Feature", "id": "route",
            "geometry": {"type": "LineString", "coordinates": coordinates},
            "properties": {"feature": "route", "walk": walk.pk, "title": walk.title,
                           "target_level": report.target_level, "length_m": round(report.route_length_m, 1),
                           "segments": _segments(report)},
        })
    for item in report.items:
        o = item.observation
        geometry = None
        if item.rd is not None:
            point = [round(item.rd[0], 2), round(item.rd[1], 2)] if rd else [float(o.longitude), float(o.latitude)]
            geometry = {"type": "Point", "coordinates": point}
        outcome = dict(item.outcome)
        if outcome.get("initiative_url"):
            outcome["initiative_url"] = absolute(outcome["initiative_url"])
        features.append({
            "type": "Feature", "id": o.pk, "geometry": geometry,
            "properties": {
                "feature": "observation", "number": item.number, "id": o.pk, "walk": walk.pk,
                "theme": o.theme, "theme_label": str(o.get_theme_display()), "kind": o.kind,
                "kind_label": str(o.get_kind_display()), "description": o.description, "crow_score": o.crow_score,
                "segment": item.segment, "address": o.address, "place_description": o.place_description,
                "observed_at": o.observed_at.isoformat(), "state": o.state,
                "state_label": str(o.get_state_display()), "outcome": outcome,
                "rd_x": round(item.rd[0], 2) if item.rd else None, "rd_y": round(item.rd[1], 2) if item.rd else None,
                "photos": [{"alt": p.alt, "src": absolute(p.url)} for p in item.photos],
                "photo_count": item.photo_count,
            },
        })
    collection = {"type": "FeatureCollection", "name": walk.title, "features": features}
    if rd:
        collection["crs"] = {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{RD_NEW}"}}
    return collection
