"""The letter with a voting code: one A4 page per addressee, set for a window envelope (fpdf2).

Made for thousands of letters at once: the fonts are loaded once per PDF, every paragraph that is the same on each
letter is broken into lines once, and a page is drawn with ``text()`` (a fraction of the cost of ``cell()``).
The QR code is drawn as one path of filled runs per letter. It holds the address of the code page with the code
after ``#``: a browser never sends that part to the server, so the code is in no log; a small script fills it in.

Text is set in the site's Unicode font (``core.documents.find_font``) and the code in DejaVu Sans Mono; on a
machine without them the built-in Helvetica and Courier are used and the text is spelled in Latin-1.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import segno
from django.template.defaultfilters import date as format_date
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

from core.documents import clean_text, find_font

logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

MONO_FILES = ("DejaVuSansMono-Bold.ttf", "LiberationMono-Bold.ttf")
LEFT = 22.0  # mm: the text's left edge
WIDTH = 166.0  # mm: the text's width
ADDRESS_TOP = 52.0  # mm: the window of a DIN 5008 / PostNL window envelope starts at 45 mm from the top
ADDRESS_WIDTH = 80.0
LINE = 5.2  # mm per line of body text (10.5 pt)
BODY_SIZE = 10.5
QR_MODULE = 0.75  # mm per module: a version-5 code is 37 + 2 × 2 modules = 31 mm wide
QR_BORDER = 2


@dataclass(frozen=True)
class Recipient:
    """Who a letter goes to and their code as it is printed (grouped)."""

    name: str
    street: str
    postcode: str
    town: str
    code: str


@dataclass(frozen=True)
class LetterContext:
    """What every letter of one box says: who sends it, what is decided and until when, where to vote."""

    municipality: str
    title: str
    opens_at: datetime
    closes_at: datetime
    code_url: str  # the absolute address of the code page, e.g. https://samenlab.molenlanden.nl/stemcode/
    phone: str


def find_mono_font(regular: Path | None) -> Path | None:
    """A bold monospaced TrueType font beside the site's font (DejaVu Sans Mono), or None."""
    folders = [regular.parent] if regular is not None else []
    folders += [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation")]
    for folder in folders:
        for name in MONO_FILES:
            if (folder / name).is_file():
                return folder / name
    return None


def _when(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return _("%(day)s om %(time)s uur") % {"day": format_date(local, "l j F Y"), "time": format_date(local, "H:i")}


def shown_url(url: str) -> str:
    """The address as a person types it: without ``https://`` and without the last slash."""
    for start in ("https://", "http://"):
        if url.startswith(start):
            url = url[len(start):]
    return url.rstrip("/")


def qr_target(code_url: str, code: str) -> str:
    """What the letter's QR code holds: the code page with the code after ``#`` (never sent to the server)."""
    return f"{code_url}#{''.join(ch for ch in code if ch.isalnum())}"


class LetterWriter:
    """One PDF with one letter per page. ``add`` a recipient per letter, then ``output``.

    Precondition: every recipient belongs to the box ``context`` describes. Not thread-safe (one PDF each).
    """

    def __init__(self, context: LetterContext):
        self.context = context
        font = find_font()
        mono = find_mono_font(font[0] if font else None)
        self.unicode = font is not None
        pdf = FPDF(orientation="P", unit="mm", format="A4")
        pdf.set_auto_page_break(False)
        pdf.set_margins(LEFT, 15, 210 - LEFT - WIDTH)
        if font is not None:
            pdf.add_font("letter", "", str(font[0]))
            pdf.add_font("letter", "B", str(font[1]))
            self.family = "letter"
        else:
            self.family = "helvetica"
        if mono is not None and font is not None:
            pdf.add_font("code", "B", str(mono))
            self.mono = "code"
        else:
            self.mono = "courier"
        pdf.set_title(self.clean(_("Uw stemcode: %(title)s") % {"title": context.title}))
        pdf.set_author(self.clean(_("Gemeente %(name)s") % {"name": context.municipality}))
        pdf.set_creator("Samenlab")
        pdf.set_lang("nl")
        self.pdf = pdf
        self.count = 0
        self.prepared = False

    def clean(self, text) -> str:
        return clean_text(text, unicode=self.unicode)

    # --- what every letter says, broken into lines once -------------------------------------------------------

    def _lines(self, text: str, *, size: float = BODY_SIZE, bold: bool = False, width: float = WIDTH) -> list[str]:
        self.pdf.set_font(self.family, "B" if bold else "", size)
        return self.pdf.multi_cell(width, LINE, self.clean(text), dry_run=True, output="LINES")

    def _prepare(self) -> None:
        """Precondition: a page is open (fpdf2 breaks lines on a page)."""
        c = self.context
        url = shown_url(c.code_url)
        self.sender = self.clean(_("Gemeente %(name)s") % {"name": c.municipality})
        self.subject = self._lines(_("Uw stemcode voor: %(title)s") % {"title": c.title}, size=12, bold=True)[:3]
        self.intro = self._lines(
            _("U mag hierover meebeslissen. U kunt stemmen van %(start)s tot %(end)s.")
            % {"start": _when(c.opens_at), "end": _when(c.closes_at)})
        self.code_label = self.clean(_("Uw persoonlijke stemcode"))
        self.code_note = self._lines(_("Met deze code kunt u één keer stemmen. De code is alleen voor u. "
                                       "Bewaar deze brief goed."), size=9.5)
        qr_room = WIDTH - self.qr_size() - 6
        self.online_heading = self.clean(_("Stemmen op internet"))
        self.online = [*self._lines(_("1. Ga naar %(url)s") % {"url": url}, width=qr_room),
                       *self._lines(_("2. Typ uw stemcode. Streepjes en spaties zijn niet nodig."), width=qr_room),
                       *self._lines(_("3. Maak uw keuze en stem."), width=qr_room),
                       *self._lines(_("Of scan de QR-code met de camera van uw telefoon. Dan staat uw code er al."),
                                    width=qr_room)]
        self.secret_heading = self.clean(_("Uw stem is geheim"))
        self.secret = self._lines(_("Niemand ziet wat u kiest, ook de gemeente niet. Wij zien alleen dat er met "
                                    "uw code is gestemd."))
        self.paper_heading = self.clean(_("Liever op papier of met hulp?"))
        self.paper = self._lines(_("Kom met deze brief naar het gemeentehuis. Daar krijgt u een stembiljet op "
                                   "papier. Of een medewerker helpt u met stemmen op de computer."))
        self.help_heading = self.clean(_("Vragen of brief kwijt?"))
        self.help = self._lines(_("Bel de gemeente op %(phone)s en vraag naar stemmen met een brief. Is uw brief "
                                  "kwijt? Dan krijgt u een nieuwe code.") % {"phone": c.phone})
        self.closing = [self.clean(_("Met vriendelijke groet,")), self.sender]
        self.date_line = self.clean(_("Datum: %(date)s") % {"date": format_date(timezone.localdate(), "j F Y")})

    def qr_size(self) -> float:
        return (37 + 2 * QR_BORDER) * QR_MODULE

    # --- one letter --------------------------------------------------------------------------------------------

    def _fit(self, text: str, width: float) -> list[str]:
        """``text`` on one line, or broken into lines where it is too wide (a long name or street)."""
        text = self.clean(text)
        if self.pdf.get_string_width(text) <= width:
            return [text]
        return self.pdf.multi_cell(width, LINE, text, dry_run=True, output="LINES")

    def _block(self, lines: list[str], y: float, *, size: float = BODY_SIZE, bold: bool = False,
               line: float = LINE, x: float = LEFT) -> float:
        pdf = self.pdf
        pdf.set_font(self.family, "B" if bold else "", size)
        for text in lines:
            pdf.text(x, y, text)
            y += line
        return y

    def _qr(self, target: str, x: float, y: float) -> None:
        # A fixed mask skips segno's search for the best of eight (four times slower); any mask is a valid code.
        matrix = segno.make_qr(target, error="m", mask=0, boost_error=False).matrix
        size = len(matrix)
        # The code as a 1-bit inline image mask (about 400 bytes), painted in black: hundreds of ``rect()`` calls
        # (or one path of runs) would cost more time and memory than the rest of the letter together.
        packed = bytearray()
        for modules in matrix:
            bits = 0
            for module in modules:
                bits = (bits << 1) | (module & 1)
            padding = -size % 8
            packed += (bits << padding).to_bytes((size + padding) // 8, "big")
        pdf, side = self.pdf, size * QR_MODULE
        left, bottom = (x + QR_BORDER * QR_MODULE) * pdf.k, (pdf.h - y - QR_BORDER * QR_MODULE - side) * pdf.k
        pdf._out(f"q 0 g {side * pdf.k:.2f} 0 0 {side * pdf.k:.2f} {left:.2f} {bottom:.2f} cm "
                 f"BI /W {size} /H {size} /BPC 1 /IM true /D [1 0] /F /AHx ID {packed.hex().upper()}> EI Q")

    def add(self, recipient: Recipient) -> None:
        """One more letter (one page)."""
        pdf, c = self.pdf, self.context
        pdf.add_page()
        if not self.prepared:
            self._prepare()
            self.prepared = True
        # Fold marks for a window envelope (DIN 5008: at 105 and 210 mm).
        pdf.set_line_width(0.2)
        pdf.line(4, 105, 8, 105)
        pdf.line(4, 210, 8, 210)
        self._block([self.sender], 22, size=16, bold=True)
        self._block(["Samenlab"], 28, size=9)
        pdf.set_font(self.family, "", BODY_SIZE)
        pdf.text(130, ADDRESS_TOP + 4, self.date_line)
        address = [*self._fit(recipient.name, ADDRESS_WIDTH), *self._fit(recipient.street, ADDRESS_WIDTH),
                   *self._fit(f"{recipient.postcode}  {recipient.town.upper()}", ADDRESS_WIDTH)]
        self._block(address[:6], ADDRESS_TOP + 4, line=4.8)
        y = self._block(self.subject, 97, size=12, bold=True, line=5.8)
        pdf.set_font(self.family, "", BODY_SIZE)
        y = self._block(self._fit(_("Beste %(name)s,") % {"name": recipient.name}, WIDTH)[:2], y + 3)
        y = self._block(self.intro, y + 1)
        # The code, large and in a box.
        top = y
        pdf.set_draw_color(0, 0, 0)
        pdf.set_line_width(0.5)
        pdf.rect(LEFT, top, WIDTH, 22)
        self._block([self.code_label], top + 6, size=9.5, bold=True, x=LEFT + 4)
        pdf.set_font(self.mono, "B", 19)
        pdf.text(LEFT + 4, top + 16, recipient.code)
        y = self._block(self.code_note, top + 27, size=9.5, line=4.6)
        # Online, with the QR code beside the steps.
        qr_top = y - 2
        y = self._block([self.online_heading], y + 3, bold=True)
        y = self._block(self.online, y)
        self._qr(qr_target(c.code_url, recipient.code), LEFT + WIDTH - self.qr_size(), qr_top)
        y = max(y, qr_top + self.qr_size() + 2)
        for heading, lines in ((self.secret_heading, self.secret), (self.paper_heading, self.paper),
                               (self.help_heading, self.help)):
            y = self._block([heading], y + 3, bold=True)
            y = self._block(lines, y)
        self._block(self.closing, y + 3)
        self.count += 1

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def letters_pdf(context: LetterContext, recipients, *, progress=None, every: int = 500) -> bytes:
    """The PDF of one letter per recipient; ``progress(done)`` is called every ``every`` letters."""
    writer = LetterWriter(context)
    for recipient in recipients:
        writer.add(recipient)
        if progress is not None and writer.count % every == 0:
            progress(writer.count)
    return writer.output()
