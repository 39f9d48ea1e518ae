"""Documents people download: PDFs set in a Unicode font of the machine (fpdf2), and CSV for spreadsheets.

Text is set in a Unicode TrueType font found on the machine (DejaVu Sans, else Liberation Sans). Where
neither is installed, a PDF falls back to the built-in Helvetica and every text is transliterated to
Latin-1 (accents kept, other characters spelled out or replaced by "?"), so the document is always made.
A CSV cell that a spreadsheet would run as a formula is neutralised (``safe_cell``).
"""

from __future__ import annotations

import logging
import unicodedata
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext as _
from fpdf import FPDF

# fpdf2 subsets the font with fontTools, which reports every step at INFO.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A cell's text with anything a spreadsheet would run as a formula neutralised."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"), Path("/usr/share/fonts/TTF"),
             Path("/usr/share/fonts/truetype/liberation"), Path("/usr/share/fonts/liberation"),
             Path("/usr/local/share/fonts"))
FONT_FILES = (("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"), ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"))
PAGES_ALIAS = "{samenlab-pages}"
LATIN1_SPELLING = {"\u2018": "'", "\u2019": "'", "\u201a": ",", "\u201c": '"', "\u201d": '"', "\u201e": '"',
                   "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2026": "...", "\u20ac": "EUR", "\u2022": "*",
                   "\u2192": "->", "\u2190": "<-", "\u2264": "<=", "\u2265": ">=", "\u00a0": " "}
AUTO = object()  # find the font on the machine


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


class DocumentPDF(FPDF):
    """A PDF with the site's font, a footer with the title and page numbers, and a few writing helpers."""

    def __init__(self, *, font: tuple[Path, Path] | None, title: str, orientation: str = "P", size="A4"):
        super().__init__(orientation=orientation, unit="mm", format=size)
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
