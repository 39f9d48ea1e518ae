"""A workshop's journey map to take away: CSV per lane, PDF (a poster of the map, an A4 report) and PNG.

Every export is drawn from ``journey_json.export_journey``, so they all show the same shared cards, curves and
(only where the viewer may see them) dots. Nothing in them says who wrote a card.

The two PDFs also show each shared card's photo (its smallest stored size, scaled to fit) with what it shows.
The photos come beside the journey (``card_photos``, in the order of its ``cards``), never in it: the JSON and
a template made from it carry no photo. A photo whose file cannot be read is left out; its card's text stays.
"""

from __future__ import annotations

import csv
import io
import logging
import textwrap
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from core.documents import AUTO, DocumentPDF, find_font, safe_cell

logger = logging.getLogger(__name__)

POSTER_SIZE = (420.0, 594.0)  # A2 in mm (fpdf2 names sizes up to A3)
CURVE_HEIGHT = 40.0  # mm, on the poster
TOP_COUNT = 5
POSTER_PHOTO_HEIGHT = 45.0  # mm: a photo's largest height in a cell of the poster
REPORT_PHOTO_SIZE = (70.0, 55.0)  # mm: a photo's largest width and height in the report


@dataclass(frozen=True)
class CardPhoto:
    """A card's photo as a document draws it: the smallest stored size (a storage name) and what it shows."""

    name: str
    alt: str


def card_photos(cards) -> list[CardPhoto | None]:
    """Per card row (``journey_json.journey_and_cards``, in the journey's order) its photo, or None."""
    return [CardPhoto(name=card.photo_renditions[0]["name"], alt=card.photo_alt) if card.has_photo else None
            for card in cards]


@dataclass(frozen=True)
class _Picture:
    data: bytes
    width: int  # pixels
    height: int
    alt: str


def _read(photo: CardPhoto | None) -> _Picture | None:
    """The photo's bytes, decoded once to be sure they are an image; None when the file is gone or damaged (the
    document is made without it)."""
    if photo is None:
        return None
    try:
        with default_storage.open(photo.name) as handle:
            data = handle.read()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            width, height = image.size
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        logger.warning("A card's photo is left out of an export: %s (%s)", photo.name, error)
        return None
    return _Picture(data=data, width=width, height=height, alt=photo.alt)


def _pictures(journey: dict, photos: list[CardPhoto | None] | None) -> list[_Picture | None]:
    """One entry per card of ``journey``: its readable photo or None."""
    photos = list(photos or [])
    return [_read(photos[i]) if i < len(photos) else None for i in range(len(journey["cards"]))]


def _fit(picture: _Picture, max_width: float, max_height: float) -> tuple[float, float]:
    """The photo's size in mm: as large as fits in the box, keeping its shape."""
    scale = min(max_width / picture.width, max_height / picture.height)
    return picture.width * scale, picture.height * scale


def _caption(picture: _Picture) -> str:
    return _("Foto: %(alt)s") % {"alt": picture.alt} if picture.alt else ""


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


def _cells(journey: dict) -> dict[tuple[int, int], list[dict]]:
    cells: dict[tuple[int, int], list[dict]] = {}
    for card in journey["cards"]:
        cells.setdefault((card["stage"], card["lane"]), []).append(card)
    return cells


def _cells_with_pictures(journey: dict, pictures: list) -> dict[tuple[int, int], list[tuple[dict, _Picture | None]]]:
    cells: dict[tuple[int, int], list] = {}
    for card, picture in zip(journey["cards"], pictures, strict=True):
        cells.setdefault((card["stage"], card["lane"]), []).append((card, picture))
    return cells


def _card_line(card: dict) -> str:
    dots = f" ({card['dots']} ●)" if card.get("dots") else ""
    return f"• {card['text']}{dots}"


def _curve(pdf: DocumentPDF, journey: dict, *, x: float, y: float, width: float, height: float,
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


# --- The poster: a grid of stages across and lanes down, drawn by hand (a table cell of fpdf2 holds text or a
# picture, not both), a lane that does not fit split over pages with the stages' titles on every page. ---------

GRID_PADDING = 1.5
GRID_LINE = 4.6  # mm per line of a card's text (9 pt)
CAPTION_SIZE, CAPTION_LINE = 7.5, 3.6
CARD_GAP = 1.5  # mm between two cards in a cell


@dataclass
class _Block:
    """One thing in a cell: lines of text, or a picture."""

    height: float
    text: str = ""
    size: float = 9
    line: float = GRID_LINE
    bold: bool = False
    grey: bool = False
    picture: _Picture | None = None
    width: float = 0.0


def _text_block(pdf: DocumentPDF, text: str, width: float, *, size: float = 9, line: float = GRID_LINE,
                bold: bool = False, grey: bool = False) -> _Block:
    text = pdf.clean(text)
    pdf.set_font(pdf.family_name, "B" if bold else "", size)
    lines = pdf.multi_cell(width, line, text, dry_run=True, output="LINES") if text else []
    return _Block(height=len(lines) * line, text=text, size=size, line=line, bold=bold, grey=grey)


def _card_blocks(pdf: DocumentPDF, card: dict, picture: _Picture | None, width: float, *,
                 max_height: float) -> list[_Block]:
    """A card in a cell: its line, and its photo with what it shows (kept together on one page)."""
    blocks = [_text_block(pdf, _card_line(card), width)]
    if picture is not None:
        w, h = _fit(picture, width - 2, max_height)
        blocks.append(_Block(height=h + 2, picture=picture, width=w))
        if picture.alt:
            blocks.append(_text_block(pdf, _caption(picture), width, size=CAPTION_SIZE, line=CAPTION_LINE,
                                      grey=True))
    return blocks


def _height(units: list[list[_Block]]) -> float:
    return sum(block.height for unit in units for block in unit) + CARD_GAP * max(len(units) - 1, 0)


def _draw_blocks(pdf: DocumentPDF, units: list[list[_Block]], *, x: float, y: float, width: float) -> None:
    for unit in units:
        for block in unit:
            if block.picture is not None:
                pdf.image(io.BytesIO(block.picture.data), x=x + 1, y=y + 1, w=block.width, h=block.height - 2)
            elif block.text:
                pdf.set_font(pdf.family_name, "B" if block.bold else "", block.size)
                if block.grey:
                    pdf.set_text_color(80, 80, 80)
                pdf.set_xy(x, y)
                pdf.multi_cell(width, block.line, block.text, align="L")
                pdf.set_text_color(0, 0, 0)
            y += block.height
        y += CARD_GAP


def _grid_row(pdf: DocumentPDF, columns: list[list[list[_Block]]], xs: list[float], widths: list[float],
              fill: tuple[int, int, int] | None = None) -> None:
    """One row of the grid at the current height: each column's cards in a bordered cell."""
    top = pdf.get_y()
    height = max([_height(units) for units in columns] + [GRID_LINE]) + 2 * GRID_PADDING
    pdf.set_draw_color(150, 150, 150)
    pdf.set_line_width(0.2)
    for index, (x, width) in enumerate(zip(xs, widths, strict=True)):
        if fill is not None or index == 0:
            pdf.set_fill_color(*(fill or (245, 245, 245)))
            pdf.rect(x, top, width, height, style="DF")
        else:
            pdf.rect(x, top, width, height)
    for x, width, units in zip(xs, widths, columns, strict=True):
        _draw_blocks(pdf, units, x=x + GRID_PADDING, y=top + GRID_PADDING, width=width - 2 * GRID_PADDING)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_fill_color(0)
    pdf.set_xy(pdf.l_margin, top + height)


def _fitting(units: list[list[_Block]], room: float) -> int:
    """How many of ``units`` (cards) fit in ``room`` (mm), from the first."""
    for count in range(len(units)):
        if _height(units[:count + 1]) > room:
            return count
    return len(units)


def _poster_grid(pdf: DocumentPDF, journey: dict, pictures: list, *, label_width: float) -> None:
    stages, lanes = journey["stages"], journey["lanes"]
    column = (pdf.epw - label_width) / len(stages)
    widths = [label_width, *[column] * len(stages)]
    xs = [pdf.l_margin + sum(widths[:i]) for i in range(len(widths))]
    inner = [w - 2 * GRID_PADDING for w in widths]
    header = [[]] + [[[_text_block(pdf, stage["title"], inner[i + 1], bold=True)]] for i, stage in enumerate(stages)]
    cells = _cells_with_pictures(journey, pictures)
    pdf.set_auto_page_break(False)  # the grid breaks its own pages

    def new_page():
        pdf.add_page()
        _grid_row(pdf, header, xs, widths, fill=(230, 236, 245))

    _grid_row(pdf, header, xs, widths, fill=(230, 236, 245))
    for lane_index, lane in enumerate(lanes):
        label = [[_text_block(pdf, lane["title"], inner[0], bold=True)]]
        columns = [label] + [[_card_blocks(pdf, card, picture, inner[stage_index + 1], max_height=POSTER_PHOTO_HEIGHT)
                              for card, picture in cells.get((stage_index, lane_index), [])]
                             for stage_index in range(len(stages))]
        page_top = False
        while True:
            room = pdf.page_break_trigger - pdf.get_y() - 2 * GRID_PADDING
            counts = [_fitting(units, room) for units in columns]
            if all(n == len(units) for n, units in zip(counts, columns, strict=True)):
                _grid_row(pdf, columns, xs, widths)
                break
            if not page_top:  # the lane does not fit below: it starts on a new page
                new_page()
                page_top = True
                continue
            # Taller than a page: the cards that fit here, the rest on the next page (at least one: no endless loop).
            counts = [max(n, 1) if units else 0 for n, units in zip(counts, columns, strict=True)]
            _grid_row(pdf, [units[:n] for n, units in zip(counts, columns, strict=True)], xs, widths)
            rest = [units[n:] for n, units in zip(counts[1:], columns[1:], strict=True)]
            if not any(rest):
                break
            columns = [label, *rest]
            new_page()
    pdf.set_auto_page_break(True, margin=18)


def poster_pdf(journey: dict, *, photos: list[CardPhoto | None] | None = None, font=AUTO) -> bytes:
    """The journey map as one poster (A2 landscape): stages across, lanes down, the curves on top; a card's photo
    (``photos``, in the order of the journey's cards) under its text."""
    pdf = DocumentPDF(font=find_font() if font is AUTO else font, title=journey["title"], orientation="L",
                      size=POSTER_SIZE)
    pdf.add_page()
    pdf.heading(journey["title"], size=20)
    pdf.paragraph(journey["service"], size=12)
    label_width = 45.0
    top = pdf.get_y() + 4
    _curve(pdf, journey, x=pdf.l_margin, y=top, width=pdf.epw, height=CURVE_HEIGHT, label_width=label_width)
    pdf.set_y(top + CURVE_HEIGHT + 6)
    _poster_grid(pdf, journey, _pictures(journey, photos), label_width=label_width)
    return bytes(pdf.output())


def _report_card(pdf: DocumentPDF, card: dict, picture: _Picture | None) -> None:
    """A card's line; with a photo, the photo under it (indented as the text) and what it shows, on one page."""
    if picture is None:
        pdf.paragraph(_card_line(card))
        return
    width, height = _fit(picture, *REPORT_PHOTO_SIZE)
    text, caption = pdf.clean(_card_line(card)), pdf.clean(_caption(picture))
    pdf.set_font(pdf.family_name, "", 10)
    lines = pdf.multi_cell(0, 5.2, text, dry_run=True, output="LINES")
    pdf.set_font(pdf.family_name, "", 8)
    caption_lines = pdf.multi_cell(pdf.epw - 4, 4.2, caption, dry_run=True, output="LINES") if caption else []
    if pdf.will_page_break(len(lines) * 5.2 + height + 2 + len(caption_lines) * 4.2):
        pdf.add_page()
    pdf.paragraph(text)
    top = pdf.get_y() + 1
    pdf.image(io.BytesIO(picture.data), x=pdf.l_margin + 4, y=top, w=width, h=height)
    pdf.set_y(top + height + 1)
    if caption:
        pdf.set_text_color(80, 80, 80)
        pdf.set_x(pdf.l_margin + 4)
        pdf.set_font(pdf.family_name, "", 8)
        pdf.multi_cell(pdf.epw - 4, 4.2, caption, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
    pdf.ln(1)


def report_pdf(journey: dict, *, photos: list[CardPhoto | None] | None = None, font=AUTO) -> bytes:
    """An A4 report: what it was about, the summary, the curves, the top pain points and ideas, every card (with its
    photo from ``photos``, in the order of the journey's cards, and what the photo shows)."""
    pdf = DocumentPDF(font=find_font() if font is AUTO else font, title=journey["title"])
    pdf.add_page()
    pdf.heading(journey["title"], size=16)
    pdf.paragraph(journey["service"])
    if journey.get("customer_group"):
        pdf.paragraph(_("Klantgroep: %(group)s") % {"group": journey["customer_group"]})
    if journey.get("summary"):
        pdf.heading(_("Samenvatting"))
        pdf.paragraph(journey["summary"])
    for persona in journey.get("personas", []):
        pdf.paragraph(f"{persona['name']}: {persona['situation']} {persona.get('needs', '')}".strip())
    pdf.heading(_("Hoe voelt elke fase?"))
    top = pdf.get_y()
    _curve(pdf, journey, x=pdf.l_margin, y=top, width=pdf.epw, height=CURVE_HEIGHT, label_width=12)
    pdf.set_y(top + CURVE_HEIGHT + 4)

    def score(value):
        return "–" if value is None else f"{value:+.1f}".replace(".", ",")

    pdf.text_table([_("fase"), _("zoals het nu is"), _("zoals het zou moeten")],
                   [[s["title"], score(s.get("feeling_now")), score(s.get("feeling_desired"))]
                    for s in journey["stages"]], widths=(90, 45, 45))
    for kind, title in (("pain", _("Belangrijkste knelpunten")), ("ideas", _("Belangrijkste ideeën"))):
        best = top_cards(journey, kind)
        if best:
            pdf.heading(title)
            pdf.text_table([_("kaartje"), _("stippen")], [[c["text"], c["dots"]] for c in best], widths=(150, 30))
    cells = _cells_with_pictures(journey, _pictures(journey, photos))
    for stage_index, stage in enumerate(journey["stages"]):
        pdf.heading(stage["title"])
        for lane_index, lane in enumerate(journey["lanes"]):
            cards = cells.get((stage_index, lane_index), [])
            if cards:
                pdf.paragraph(lane["title"], bold=True)
                for card, picture in cards:
                    _report_card(pdf, card, picture)
    return bytes(pdf.output())


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
    cells = _cells(journey)
    wrapped = {key: [textwrap.wrap(_card_line(c), chars) for c in cards] for key, cards in cells.items()}
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
