"""A small vector map for the PDF: the route, its segments, the numbered observations, the outline of the
route's bounding box, a scale bar and north. Drawn in RD New metres scaled into a box; no tiles."""

from __future__ import annotations

from django.utils.translation import gettext as _

from maps.report.data import WalkReport
from maps.report.texts import distance

ROUTE = (0, 110, 60)
PROBLEM = (176, 0, 32)
GOOD = (0, 84, 147)
GREY = (110, 110, 110)
NICE_LENGTHS = (10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000)


def _bounds(points):
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def draw_map(pdf, report: WalkReport, x: float, y: float, w: float, h: float) -> bool:
    """Draw into the box (mm); False when there is nothing to draw."""
    located = [item for item in report.items if item.rd is not None]
    points = list(report.route_rd) + [item.rd for item in located]
    if not points:
        return False
    west, south, east, north = _bounds(points)
    # At least 200 m across. The drawing keeps clear of a strip at the bottom (scale bar) and at the
    # right (north arrow), and of the frame.
    span_x, span_y = max(east - west, 200.0), max(north - south, 200.0)
    centre_x, centre_y = (west + east) / 2, (south + north) / 2
    inner_x, inner_y, inner_w, inner_h = x + 6, y + 6, w - 22, h - 18
    scale = min(inner_w / span_x, inner_h / span_y)
    left = inner_x + inner_w / 2 - centre_x * scale
    top = inner_y + inner_h / 2 + centre_y * scale

    def to_page(point):
        return left + point[0] * scale, top - point[1] * scale

    pdf.set_line_width(0.3)
    pdf.set_draw_color(*GREY)
    pdf.rect(x, y, w, h)
    if len(report.route_rd) >= 2:
        r_west, r_south, r_east, r_north = _bounds(report.route_rd)
        (bx1, by1), (bx2, by2) = to_page((r_west, r_north)), to_page((r_east, r_south))
        pdf.set_dash_pattern(dash=1.2, gap=1.2)
        pdf.rect(bx1, by1, max(bx2 - bx1, 0.1), max(by2 - by1, 0.1))
        pdf.set_dash_pattern()
        pdf.set_draw_color(*ROUTE)
        pdf.set_line_width(0.9)
        pdf.polyline([to_page(p) for p in report.route_rd], style="D")
        pdf.set_line_width(0.3)
        pdf.set_font(size=7)
        pdf.set_text_color(*ROUTE)
        for segment in report.segments:
            mid = segment.line.interpolate(0.5, normalized=True)
            mx, my = to_page((mid.x, mid.y))
            pdf.text(mx + 1.5, my - 1.5, pdf.clean(_("deel %(n)s") % {"n": segment.number}))
        for label, point in ((_("start"), report.route_rd[0]), (_("eind"), report.route_rd[-1])):
            px, py = to_page(point)
            pdf.set_fill_color(255, 255, 255)
            pdf.set_draw_color(*ROUTE)
            pdf.circle(px, py, 1.2, style="DF")
            pdf.text(px + 1.8, py + 3.2, pdf.clean(label))
    for item in located:
        px, py = to_page(item.rd)
        label = str(item.number)
        radius = 2.3 if len(label) < 3 else 2.9
        pdf.set_fill_color(*(PROBLEM if item.is_problem else GOOD))
        pdf.circle(px, py, radius, style="F")
        pdf.set_text_color(255, 255, 255)
        pdf.set_font(size=6 if len(label) < 3 else 5)
        pdf.text(px - pdf.get_string_width(label) / 2, py + 0.75, label)
    _scale_bar(pdf, x + 6, y + h - 3.5, w / 4, scale)
    _north(pdf, x + w - 7, y + 5)
    pdf.set_text_color(0, 0, 0)
    pdf.set_draw_color(0, 0, 0)
    return True


def _scale_bar(pdf, x: float, y: float, max_width: float, scale: float) -> None:
    metres = max([n for n in NICE_LENGTHS if n * scale <= max_width] or [NICE_LENGTHS[0]])
    width = metres * scale
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.6)
    pdf.line(x, y, x + width, y)
    pdf.line(x, y - 1, x, y + 1)
    pdf.line(x + width, y - 1, x + width, y + 1)
    pdf.set_line_width(0.3)
    pdf.set_font(size=7)
    pdf.set_text_color(0, 0, 0)
    pdf.text(x, y - 1.8, pdf.clean(distance(metres)))


def _north(pdf, x: float, y: float) -> None:
    pdf.set_fill_color(0, 0, 0)
    pdf.polyline([(x, y), (x - 1.8, y + 5), (x + 1.8, y + 5)], polygon=True, style="F")
    pdf.set_font(size=8)
    pdf.set_text_color(0, 0, 0)
    pdf.text(x - pdf.get_string_width("N") / 2, y + 9, "N")
