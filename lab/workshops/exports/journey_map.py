"""What every export of a journey map shares: the cards per cell, the top cards by dots, the curves on a PDF page,
the CSV per lane and the map as a PNG."""

from __future__ import annotations

import csv
import io
import textwrap

from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from core.documents import DocumentPDF, find_font, safe_cell
from lab.workshops.exports.photos import Picture

CURVE_HEIGHT = 40.0  # mm, on the poster
TOP_COUNT = 5


def lane_csv(journey: dict, lane: int | None = None) -> bytes:
    """The cards of one lane (by position; None: every lane) as CSV for Dutch Excel (``;``, UTF-8 with BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    with_dots = any("dots" in card for card in journey["cards"])
    writer.writerow([_("fase"), _("rij"), _("kaartje"), _("groep"), *([_("stippen")] if with_dots else [])])
    for card in journey["cards"]:
        if lane is not None and card["lane"] != lane:
            continue
        row = [journey["stages"][card["stage"]]["title"], journey["lanes"][card["lane"]]["title"], card["text"],
               card.get("group", ""), *([card.get("dots", 0)] if with_dots else [])]
        writer.writerow([safe_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def top_cards(journey: dict, kind: str, count: int = TOP_COUNT) -> list[dict]:
    """The cards of the lanes of ``kind`` with the most dots (only when the journey has dots)."""
    lanes = {i for i, lane in enumerate(journey["lanes"]) if lane["kind"] == kind}
    cards = [c for c in journey["cards"] if c["lane"] in lanes and c.get("dots")]
    return sorted(cards, key=lambda c: -c["dots"])[:count]


def cells_of(journey: dict) -> dict[tuple[int, int], list[dict]]:
    cells: dict[tuple[int, int], list[dict]] = {}
    for card in journey["cards"]:
        cells.setdefault((card["stage"], card["lane"]), []).append(card)
    return cells


def cells_with_pictures(journey: dict, pictures: list) -> dict[tuple[int, int], list[tuple[dict, Picture | None]]]:
    cells: dict[tuple[int, int], list] = {}
    for card, picture in zip(journey["cards"], pictures, strict=True):
        cells.setdefault((card["stage"], card["lane"]), []).append((card, picture))
    return cells


def card_line(card: dict) -> str:
    dots = f" ({card['dots']} ●)" if card.get("dots") else ""
    return f"• {card['text']}{dots}"


def draw_curve(pdf: DocumentPDF, journey: dict, *, x: float, y: float, width: float, height: float,
           label_width: float) -> None:
    """The two curves (now, as it should be) over the stage columns, from −2 (bottom) to +2 (top)."""
    stages = journey["stages"]
    column = (width - label_width) / len(stages)
    pdf.set_draw_color(160, 160, 160)
    pdf.set_line_width(0.2)
    for score in (-2, 0, 2):
        line_y = y + height / 2 - score * height / 4
        pdf.line(x + label_width, line_y, x + width, line_y)
        pdf.set_xy(x, line_y - 2)
        pdf.set_font(pdf.family_name, "", 7)
        pdf.cell(label_width - 2, 4, f"{score:+d}" if score else "0", align="R")
    for key, colour, name in (("feeling_now", (200, 60, 40), _("zoals het nu is")),
                              ("feeling_desired", (40, 110, 60), _("zoals het zou moeten"))):
        points = [(x + label_width + column * (i + 0.5), y + height / 2 - s[key] * height / 4)
                  for i, s in enumerate(stages) if s.get(key) is not None]
        pdf.set_draw_color(*colour)
        pdf.set_fill_color(*colour)
        pdf.set_line_width(0.8)
        for start, end in zip(points, points[1:], strict=False):
            pdf.line(*start, *end)
        for px, py in points:
            pdf.ellipse(px - 1.2, py - 1.2, 2.4, 2.4, style="F")
        if points:
            pdf.set_text_color(*colour)
            pdf.set_xy(points[-1][0] + 2, points[-1][1] - 2)
            pdf.set_font(pdf.family_name, "", 7)
            pdf.cell(30, 4, pdf.clean(name))
            pdf.set_text_color(0, 0, 0)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_fill_color(0)  # the default again: a table drawn next takes the current fill colour for its cells


def _png_curves(draw, stages, *, left: int, top: int, column: int, height: int) -> None:
    middle, step = top + height / 2, (height - 20) / 4
    draw.line([left, middle, left + column * len(stages), middle], fill=(200, 200, 200), width=1)
    for key, colour in (("feeling_now", (200, 60, 40)), ("feeling_desired", (40, 110, 60))):
        points = [(left + column * (i + 0.5), middle - s[key] * step) for i, s in enumerate(stages)
                  if s.get(key) is not None]
        if len(points) > 1:
            draw.line(points, fill=colour, width=4)
        for px, py in points:
            draw.ellipse([px - 6, py - 6, px + 6, py + 6], fill=colour)


def map_png(journey: dict, *, width: int = 2400) -> bytes:
    """The journey map as a PNG: stages across, lanes down, the cards' text in each cell and the curves (now in
    red, as it should be in green) in the feeling lane."""
    font_files = find_font()
    stages, lanes = journey["stages"], journey["lanes"]
    label_width, padding, line = 260, 12, 26
    column = (width - label_width) // len(stages)

    def font(size, bold=False):
        if font_files is None:
            return ImageFont.load_default()
        return ImageFont.truetype(str(font_files[1] if bold else font_files[0]), size)

    regular, bold, title_font = font(18), font(18, bold=True), font(30, bold=True)
    chars = max(column // 10, 10)
    cells = cells_of(journey)
    wrapped = {key: [textwrap.wrap(card_line(c), chars) for c in cards] for key, cards in cells.items()}
    heights = []
    for lane_index in range(len(lanes)):
        lines = max([sum(len(w) for w in wrapped.get((s, lane_index), [])) for s in range(len(stages))] + [1])
        heights.append(max(lines * line + 2 * padding, 80))
    header = 110
    image = Image.new("RGB", (width, header + sum(heights) + padding), "white")
    draw = ImageDraw.Draw(image)
    draw.text((padding, padding), journey["title"], fill="black", font=title_font)
    for s, stage in enumerate(stages):
        x = label_width + s * column
        draw.rectangle([x, 60, x + column, header], fill=(230, 236, 245), outline=(150, 150, 150))
        draw.text((x + padding, 72), stage["title"], fill="black", font=bold)
    y = header
    for lane_index, lane in enumerate(lanes):
        draw.rectangle([0, y, label_width, y + heights[lane_index]], fill=(245, 245, 245), outline=(150, 150, 150))
        for number, text_line in enumerate(textwrap.wrap(lane["title"], 22)):
            draw.text((padding, y + padding + number * line), text_line, fill="black", font=bold)
        for s in range(len(stages)):
            x = label_width + s * column
            draw.rectangle([x, y, x + column, y + heights[lane_index]], outline=(150, 150, 150))
            text_y = y + padding
            for lines in wrapped.get((s, lane_index), []):
                for text_line in lines:
                    draw.text((x + padding, text_y), text_line, fill="black", font=regular)
                    text_y += line
        if lane["kind"] == "feels":  # the curves live in the feeling lane, as on a paper journey map
            _png_curves(draw, stages, left=label_width, top=y, column=column, height=heights[lane_index])
        y += heights[lane_index]
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
