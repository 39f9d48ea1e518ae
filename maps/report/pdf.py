"""The walk report as an A4 PDF for the village council's meeting (fpdf2).

Text is set in a Unicode TrueType font found on the machine (DejaVu Sans, else Liberation Sans). Where
neither is installed, the PDF falls back to the built-in Helvetica and every text is transliterated to
Latin-1 (accents kept, other characters spelled out or replaced by "?"), so the report is always made.
"""

from __future__ import annotations

import io
import logging

from django.core.files.storage import default_storage
from django.template.defaultfilters import date as format_date
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from core.documents import AUTO, DocumentPDF, find_font
from maps.report import texts
from maps.report.data import ReportItem, WalkReport
from maps.report.pdf_map import draw_map

logger = logging.getLogger(__name__)

PHOTO_BOX = (40.0, 30.0)  # mm, the most a photo takes
MAX_PHOTOS = 120  # in the whole PDF, to keep it small enough to e-mail


def _title_block(pdf: DocumentPDF, report: WalkReport) -> None:
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


def _item_lines(pdf: DocumentPDF, item: ReportItem, absolute) -> None:
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


def _photos(pdf: DocumentPDF, item: ReportItem, budget: list[int]) -> None:
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


def render_pdf(report: WalkReport, *, absolute=str, font=AUTO) -> bytes:
    """The PDF's bytes. ``font``: a (regular, bold) pair of TTF paths, or None for the built-in Helvetica."""
    pdf = DocumentPDF(font=find_font() if font is AUTO else font, title=report.walk.title)
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
