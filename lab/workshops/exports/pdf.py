"""The two PDFs of a journey map: a poster (A2) of the whole map and an A4 report, each card with its photo."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.documents import AUTO, DocumentPDF, find_font
from lab.workshops.exports.journey_map import (
    CURVE_HEIGHT,
    card_line,
    cells_with_pictures,
    draw_curve,
    top_cards,
)
from lab.workshops.exports.photos import CardPhoto, Picture, caption_of, fit_size, pictures_of

POSTER_SIZE = (420.0, 594.0)  # A2 in mm (fpdf2 names sizes up to A3)
POSTER_PHOTO_HEIGHT = 45.0  # mm: a photo's largest height in a cell of the poster
REPORT_PHOTO_SIZE = (70.0, 55.0)  # mm: a photo's largest width and height in the report


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
    picture: Picture | None = None
    width: float = 0.0


def _text_block(pdf: DocumentPDF, text: str, width: float, *, size: float = 9, line: float = GRID_LINE,
                bold: bool = False, grey: bool = False) -> _Block:
    text = pdf.clean(text)
    pdf.set_font(pdf.family_name, "B" if bold else "", size)
    lines = pdf.multi_cell(width, line, text, dry_run=True, output="LINES") if text else []
    return _Block(height=len(lines) * line, text=text, size=size, line=line, bold=bold, grey=grey)


def _card_blocks(pdf: DocumentPDF, card: dict, picture: Picture | None, width: float, *,
                 max_height: float) -> list[_Block]:
    """A card in a cell: its line, and its photo with what it shows (kept together on one page)."""
    blocks = [_text_block(pdf, card_line(card), width)]
    if picture is not None:
        w, h = fit_size(picture, width - 2, max_height)
        blocks.append(_Block(height=h + 2, picture=picture, width=w))
        if picture.alt:
            blocks.append(_text_block(pdf, caption_of(picture), width, size=CAPTION_SIZE, line=CAPTION_LINE,
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
    cells = cells_with_pictures(journey, pictures)
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
    draw_curve(pdf, journey, x=pdf.l_margin, y=top, width=pdf.epw, height=CURVE_HEIGHT, label_width=label_width)
    pdf.set_y(top + CURVE_HEIGHT + 6)
    _poster_grid(pdf, journey, pictures_of(journey, photos), label_width=label_width)
    return bytes(pdf.output())


def _report_card(pdf: DocumentPDF, card: dict, picture: Picture | None) -> None:
    """A card's line; with a photo, the photo under it (indented as the text) and what it shows, on one page."""
    if picture is None:
        pdf.paragraph(card_line(card))
        return
    width, height = fit_size(picture, *REPORT_PHOTO_SIZE)
    text, caption = pdf.clean(card_line(card)), pdf.clean(caption_of(picture))
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
    draw_curve(pdf, journey, x=pdf.l_margin, y=top, width=pdf.epw, height=CURVE_HEIGHT, label_width=12)
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
    cells = cells_with_pictures(journey, pictures_of(journey, photos))
    for stage_index, stage in enumerate(journey["stages"]):
        pdf.heading(stage["title"])
        for lane_index, lane in enumerate(journey["lanes"]):
            cards = cells.get((stage_index, lane_index), [])
            if cards:
                pdf.paragraph(lane["title"], bold=True)
                for card, picture in cards:
                    _report_card(pdf, card, picture)
    return bytes(pdf.output())
