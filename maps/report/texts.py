"""Sentences the page and the PDF share, so that both say the same in the same words."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maps.report.data import WalkReport
from maps.report.segments import MAX_DISTANCE_M, Segment


def distance(metres: float) -> str:
    if metres >= 1000:
        return _("%(km)s km") % {"km": number_format(metres / 1000, decimal_pos=1)}
    return _("%(m)s m") % {"m": number_format(round(metres), decimal_pos=0)}


def stretch(segment: Segment) -> str:
    return _("van %(start)s tot %(end)s (punt %(first)s tot %(last)s)") % {
        "start": distance(segment.start_m), "end": distance(segment.end_m),
        "first": segment.first_point, "last": segment.last_point}


def verdict(segment: Segment) -> str:
    """In words, never colour alone."""
    if segment.meets is None:
        return _("geen scores")
    if segment.meets:
        return _("voldoet")
    return _("voldoet niet")


def below_target(segment: Segment) -> str:
    if not segment.below_target:
        return ""
    return ngettext("%(n)s score onder het streefniveau", "%(n)s scores onder het streefniveau",
                    segment.below_target) % {"n": segment.below_target}


def summary_lines(report: WalkReport) -> list[str]:
    lines = [ngettext("%(n)s waarneming: %(problems)s keer is er iets mis, %(good)s keer is iets goed.",
                      "%(n)s waarnemingen: %(problems)s keer is er iets mis, %(good)s keer is iets goed.",
                      report.count) % {"n": report.count, "problems": report.problems, "good": report.good}]
    lines.append(ngettext("%(n)s waarneming heeft een score voor de beeldkwaliteit.",
                          "%(n)s waarnemingen hebben een score voor de beeldkwaliteit.",
                          report.scored) % {"n": report.scored})
    if report.segments:
        lines.append(ngettext(
            "De route is %(length)s lang, in %(n)s deel.", "De route is %(length)s lang, in %(n)s delen.",
            len(report.segments)) % {"length": distance(report.route_length_m), "n": len(report.segments)})
        if report.target_valid:
            lines.append(_("Streefniveau %(target)s: %(meet)s voldoen, %(fail)s voldoen niet, %(none)s zonder "
                           "scores.") % {"target": report.target_level, "meet": report.segments_meeting,
                                         "fail": report.segments_failing, "none": report.segments_unscored})
    else:
        lines.append(_("Deze wijkschouw heeft geen route op de kaart; scores per deel van de route zijn er niet."))
    if report.scored_away:
        lines.append(ngettext(
            "%(n)s score telt niet mee per deel. Die ligt verder dan %(m)s m van de route, of heeft geen punt.",
            "%(n)s scores tellen niet mee per deel. Die liggen verder dan %(m)s m van de route, of hebben geen "
            "punt.", report.scored_away) % {"n": report.scored_away, "m": int(MAX_DISTANCE_M)})
    return lines


def segment_rule() -> str:
    return _("Elk deel loopt van punt tot punt van de route. Een score telt mee bij het dichtstbijzijnde deel, "
             "als de waarneming binnen %(m)s m van de route ligt. Een deel voldoet als de gewone score (de "
             "middelste) het streefniveau haalt of beter is. De volgorde van goed naar slecht is A+, A, B, C, "
             "D.") % {"m": int(MAX_DISTANCE_M)}
