"""The walk report as an A4 PDF for the village council's meeting (fpdf2).

Text is set in a Unicode TrueType font found on the machine (DejaVu Sans, else Liberation Sans). Where
neither is installed, the PDF falls back to the built-in Helvetica and every text is transliterated to
Latin-1 (accents kept, other characters spelled out or replaced by "?"), so the report is always made.
"""

from __future__ import annotations

import io
import logging
import unicodedata
from functools import lru_cache
from pathlib import Path

from django.core.files.storage import default_storage
from django.template.defaultfilters import date as format_date
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from PIL import Image

from maps.report import texts
from maps.report.data import ReportItem, WalkReport
from maps.report.pdf_map import draw_map

logger = logging.getLogger(__name__)
# fpdf2 subsets the font with fontTools, which reports every step at INFO.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"), Path("/usr/share/fonts/TTF"),
             Path("/usr/share/fonts/truetype/liberation"), Path("/usr/share/fonts/liberation"),
             Path("/usr/local/share/fonts"))
FONT_FILES = (("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"), ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"))
PAGES_ALIAS = "{samenlab-pages}"
PHOTO_BOX = (40.0, 30.0)  # mm, the most a photo takes
MAX_PHOTOS = 120  # in the whole PDF, to keep it small enough to e-mail
LATIN1_SPELLING = {"\u2018": "'", "\u2019": "'", "\u201a": ",", "\u201c": '"', "\u201d": '"', "\u201e": '"',
                   "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2026": "...", "\u20ac": "EUR", "\u2022": "*",
                   "\u2192": "->", "\u2190": "<-", "\u2264": "<=", "\u2265": ">=", "\u00a0": " "}
_AUTO = object()


@lru_cache(maxsize=1)
def find_font() -> tuple[Path, Path] | None:
    """(regular, bold) TrueType files of a Unicode sans-serif font on this machine, or None."""
    for regular, bold in FONT_FILES:
        for folder in FONT_DIRS:
            if (folder / regular).is_file():
                return folder / regular, (folder / bold) if (folder / bold).is_file() else folder / regular
    return None


def clean_text(text, *, unicode: bool) -> str:
    """Text as the PDF can set it: no control or format characters; Latin-1 only for the built-in font."""
    text = str(text if text is not None else "").replace("\r\n", "\n").replace("\t", " ")
    kept = [c for c in text if c == "\n" or unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Cn")]
    text = "".join(kept).replace(PAGES_ALIAS, "")
    if unicode:
        return text
    spelled = []
    for char in text:
        if ord(char) < 256:
            spelled.append(char)
        elif char in LATIN1_SPELLING:
            spelled.append(LATIN1_SPELLING[char])
        else:
            plain = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode("latin-1")
            spelled.append(plain if plain and all(unicodedata.category(c) != "Mn" for c in plain) else "?")
    return "".join(spelled)


class ReportPDF(FPDF):
    def __init__(self, *, font: tuple[Path, Path] | None, title: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.unicode = font is not None
        if font is not None:
            self.add_font("report", "", str(font[0]))
            self.add_font("report", "B", str(font[1]))
            self.family_name = "report"
        else:
            self.family_name = "helvetica"
        self.alias_nb_pages(PAGES_ALIAS)
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=18)
        self.footer_text = self.clean(title)[:80]
        self.set_title(self.clean(title))
        self.set_creator("Samenlab")
        self.set_lang("nl")
        self.set_font(self.family_name, "", 10)

    def clean(self, text) -> str:
        return clean_text(text, unicode=self.unicode)

    def footer(self):
        self.set_y(-12)
        self.set_font(self.family_name, "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, self.clean(_("%(title)s - pagina %(page)s van %(pages)s")) % {
            "title": self.footer_text, "page": self.page_no(), "pages": PAGES_ALIAS}, align="C")
        self.set_text_color(0, 0, 0)

    def paragraph(self, text, *, size: float = 10, bold: bool = False, height: float = 5.2) -> None:
        self.set_font(self.family_name, "B" if bold else "", size)
        self.multi_cell(0, height, self.clean(text), align="L", new_x="LMARGIN", new_y="NEXT")

    def heading(self, text, *, size: float = 13) -> None:
        if self.will_page_break(24):
            self.add_page()
        self.ln(3)
        self.start_section(self.clean(text))
        self.paragraph(text, size=size, bold=True, height=7)
        self.ln(1)

    def text_table(self, headings: list[str], rows: list[list], widths: tuple) -> None:
        self.set_font(self.family_name, "", 9)
        with self.table(col_widths=widths, text_align="LEFT", line_height=4.8, first_row_as_headings=True,
                        repeat_headings=1, width=self.epw, padding=1) as table:
            for cells in [headings, *rows]:
                row = table.row()
                for cell in cells:
                    row.cell(self.clean("" if cell is None else cell))
        self.ln(2)


def _title_block(pdf: ReportPDF, report: WalkReport) -> None:
    walk = report.walk
    pdf.set_text_color(90, 90, 90)
    pdf.paragraph(_("Samenlab - gemeente Molenlanden - verslag van een wijkschouw"), size=9)
    pdf.set_text_color(0, 0, 0)
    pdf.ln(1)
    pdf.paragraph(walk.title, size=18, bold=True, height=8)
    pdf.ln(1)
    starts, ends = timezone.localtime(walk.starts_at), timezone.localtime(walk.ends_at)
    facts = [
        (_("Kern"), walk.kern.name),
        (_("Datum"), f"{format_date(starts, 'l j F Y')}, {format_date(starts, 'H:i')} - {format_date(ends, 'H:i')}"),
        (_("Verzamelplek"), walk.meeting_point),
        (_("Streefniveau beeldkwaliteit"), report.target_level if report.target_valid else _("niet ingesteld")),
        (_("Gemaakt op"), format_date(timezone.localtime(), "j F Y H:i")),
    ]
    for label, value in facts:
        pdf.paragraph(f"{label}: {value}", size=10)


def _segment_rows(report: WalkReport) -> list[list]:
    return [[s.number, texts.stretch(s), s.count, s.worst or "-", s.typical or "-",
             f"{texts.verdict(s)} ({texts.below_target(s)})" if s.below_target else texts.verdict(s)]
            for s in report.segments]


def _item_lines(pdf: ReportPDF, item: ReportItem, absolute) -> None:
    o = item.observation
    head = [f"{item.number}.", str(o.get_theme_display()).capitalize(), "-", str(o.get_kind_display())]
    if o.crow_score:
        head.append("- " + _("beeldkwaliteit %(score)s") % {"score": o.crow_score})
    if item.segment:
        head.append("- " + _("deel %(n)s") % {"n": item.segment})
    if pdf.will_page_break(22):
        pdf.add_page()
    pdf.paragraph(" ".join(head), size=10, bold=True)
    pdf.paragraph(o.description, size=9.5, height=4.8)
    place = o.place_text
    if item.rd:
        rd = _("RD %(x)s, %(y)s") % {"x": f"{item.rd[0]:.0f}", "y": f"{item.rd[1]:.0f}"}
        place = f"{place} ({rd})" if place else rd
    pdf.paragraph(_("Plek: %(place)s") % {"place": place or "-"}, size=9, height=4.6)
    decision = str(o.get_state_display())
    if item.outcome.get("reason"):
        decision += ": " + item.outcome["reason"]
    pdf.paragraph(_("Besluit: %(decision)s") % {"decision": decision}, size=9, height=4.6)
    if item.outcome.get("number") or item.outcome.get("status"):
        pdf.paragraph(_("Melding bij de gemeente: nummer %(number)s, status %(status)s") % {
            "number": item.outcome.get("number") or "-", "status": item.outcome.get("status") or "-"},
            size=9, height=4.6)
    if item.outcome.get("initiative_url"):
        pdf.paragraph(_("Initiatief: %(url)s") % {"url": absolute(item.outcome["initiative_url"])}, size=9,
                      height=4.6)


def _read_photo(name: str):
    try:
        with default_storage.open(name, "rb") as handle:
            data = handle.read()
        with Image.open(io.BytesIO(data)) as image:
            size = image.size
    except Exception:  # a missing or broken file leaves the photo out, never the report
        logger.warning("walk report: photo %s could not be read", name)
        return None
    return data, size


def _photos(pdf: ReportPDF, item: ReportItem, budget: list[int]) -> None:
    placed = []
    for photo in item.photos:
        if budget[0] <= 0:
            break
        found = _read_photo(photo.name)
        if found is None:
            continue
        data, (width, height) = found
        ratio = min(PHOTO_BOX[0] / max(width, 1), PHOTO_BOX[1] / max(height, 1))
        placed.append((data, width * ratio, height * ratio, photo.alt))
        budget[0] -= 1
    if not placed:
        return
    row_height = max(h for _data, _w, h, _alt in placed)
    if pdf.will_page_break(row_height + 2):
        pdf.add_page()
    x, y = pdf.l_margin, pdf.get_y() + 1
    for data, w, h, alt in placed:
        try:
            pdf.image(io.BytesIO(data), x=x, y=y, w=w, h=h, alt_text=pdf.clean(alt) or None)
        except Exception:  # an image fpdf2 cannot embed is left out
            logger.warning("walk report: a photo of observation %s could not be embedded", item.observation.pk)
            continue
        x += w + 3
    pdf.set_y(y + row_height + 2)


def render_pdf(report: WalkReport, *, absolute=str, font=_AUTO) -> bytes:
    """The PDF's bytes. ``font``: a (regular, bold) pair of TTF paths, or None for the built-in Helvetica."""
    pdf = ReportPDF(font=find_font() if font is _AUTO else font, title=report.walk.title)
    pdf.add_page()
    _title_block(pdf, report)

    pdf.heading(_("Samenvatting"))
    for line in texts.summary_lines(report):
        pdf.paragraph(line)

    pdf.heading(_("Per thema"))
    pdf.text_table([_("Thema"), _("Totaal"), _("Er is iets mis"), _("Dit is goed")],
                   [[str(r.label).capitalize(), r.total, r.problems, r.good] for r in report.themes]
                   or [[_("Nog geen waarnemingen."), "", "", ""]], (90, 30, 30, 30))
    if report.states:
        pdf.heading(_("Besluiten"))
        pdf.text_table([_("Besluit"), _("Aantal")], [[str(r.label).capitalize(), r.count] for r in report.states],
                       (150, 30))

    pdf.heading(_("Beeldkwaliteit per deel van de route"))
    if report.segments:
        pdf.text_table([_("Deel"), _("Stuk van de route"), _("Scores"), _("Slechtste"), _("Gewoonlijk"),
                        _("Streefniveau %(target)s") % {"target": report.target_level}],
                       _segment_rows(report), (12, 64, 16, 20, 24, 44))
        pdf.paragraph(texts.segment_rule(), size=8.5, height=4.4)
    else:
        pdf.paragraph(_("Deze wijkschouw heeft geen route op de kaart; scores per deel van de route zijn er niet."))

    box_height = 110.0
    if pdf.will_page_break(box_height + 30):
        pdf.add_page()
    pdf.heading(_("Kaart"))
    top = pdf.get_y()
    if draw_map(pdf, report, pdf.l_margin, top, pdf.epw, box_height):
        pdf.set_y(top + box_height + 2)
        pdf.set_text_color(0, 0, 0)
        pdf.paragraph(_("Groene lijn: de route, in delen. Stippellijn: het gebied dat de route beslaat. Rondjes: "
                        "waarnemingen, genummerd zoals in de lijst (rood: er is iets mis, blauw: dit is goed). "
                        "Noorden is boven."), size=8.5, height=4.4)
    else:
        pdf.paragraph(_("Er is geen route en geen waarneming met een punt op de kaart."))

    pdf.heading(_("Alle waarnemingen"))
    if not report.items:
        pdf.paragraph(_("Nog geen waarnemingen."))
    budget = [MAX_PHOTOS]
    for item in report.items:
        _item_lines(pdf, item, absolute)
        _photos(pdf, item, budget)
        pdf.ln(2.5)
    return bytes(pdf.output())
