"""The walk report: its data (``data``), the segment rule (``segments``), RD New (``projection``) and the
exports (``exports`` for CSV and GeoJSON, ``pdf`` for the council's meeting)."""

from maps.report.data import WalkReport, build_report

__all__ = ["WalkReport", "build_report"]
