"""What a ballot may say: the choices checked against the poll's question or the budget's ballot format.

``clean_choices`` returns ``{str(id): points}`` or raises ``VotingError``; it never trusts an id from the
request (a forged id, a project of another budget or one not on the ballot is refused).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.formats import whole_money
from voting.models import BallotFormat, Budget, Poll, PollKind, ProjectState
from voting.services._common import VotingError

MAX_ENTRIES = 200


def as_mapping(raw) -> dict[str, int]:
    """Accept ``{id: points}``, or a list of ids (each 1 point); anything else is refused."""
    if isinstance(raw, (list, tuple)):
        if len(raw) > MAX_ENTRIES:
            raise VotingError(_("Dat zijn te veel keuzes."), code="too_many")
        mapping: dict[str, int] = {}
        for item in raw:
            key = str(item)
            if key in mapping:
                raise VotingError(_("U koos iets twee keer."), code="duplicate")
            mapping[key] = 1
        raw = mapping
    if not isinstance(raw, dict) or len(raw) > MAX_ENTRIES:
        raise VotingError(_("Deze keuzes kunnen we niet lezen."), code="invalid")
    clean: dict[str, int] = {}
    for key, value in raw.items():
        if isinstance(value, bool) or not isinstance(value, int):
            try:
                value = int(str(value).strip())
            except (TypeError, ValueError):
                raise VotingError(_("Vul bij elke keuze een heel getal in."), code="invalid") from None
        if value < 0:
            raise VotingError(_("Een negatief aantal kan niet."), code="invalid")
        if value:
            clean[str(key).strip()] = value
    return clean


def clean_poll_choices(poll: Poll, raw, options: list | None = None) -> dict[str, int]:
    chosen = as_mapping(raw)
    option_ids = {str(option.pk) for option in (options if options is not None else poll.options.all())}
    if poll.kind == PollKind.SCALE:
        if len(chosen) != 1 or "scale" not in chosen:
            raise VotingError(_("Kies één waarde op de schaal."), code="required")
        if not 1 <= chosen["scale"] <= poll.scale_size:
            raise VotingError(_("Kies een waarde van 1 tot en met %(n)s.") % {"n": poll.scale_size}, code="invalid")
        return chosen
    if not chosen:
        raise VotingError(_("Maak eerst een keuze."), code="required")
    if not set(chosen) <= option_ids:
        raise VotingError(_("Die keuze hoort niet bij deze vraag."), code="unknown_choice")
    if any(points != 1 for points in chosen.values()):
        raise VotingError(_("Elke keuze telt één keer."), code="invalid")
    limit = 1 if poll.kind == PollKind.SINGLE else poll.max_choices
    if len(chosen) > limit:
        raise VotingError(ngettext("Kies hoogstens %(n)s antwoord.", "Kies hoogstens %(n)s antwoorden.", limit)
                          % {"n": limit}, code="too_many")
    return chosen


def ballot_projects(budget: Budget) -> dict[str, int]:
    """The projects on the ballot: ``{str(id): cost}``."""
    return {str(pk): cost for pk, cost in
            budget.projects.filter(state=ProjectState.FEASIBLE).values_list("pk", "cost")}


def clean_budget_choices(budget: Budget, raw, projects: dict[str, int] | None = None, *,
                         partial: bool = False) -> dict[str, int]:
    """The ballot as the budget's format wants it. ``partial``: a draft being filled in (no minimum yet)."""
    chosen = as_mapping(raw)
    projects = projects if projects is not None else ballot_projects(budget)
    if not set(chosen) <= set(projects):
        raise VotingError(_("Dat project staat niet op dit stembiljet."), code="unknown_choice")
    if not partial and not chosen:
        raise VotingError(_("Kies eerst een project."), code="required")
    if budget.ballot_format == BallotFormat.POINTS:
        total = budget.points_total or 0
        used = sum(chosen.values())
        if used > total:
            raise VotingError(_("U verdeelt %(used)s punten, maar u hebt er %(total)s.")
                              % {"used": used, "total": total}, code="over_budget")
        if not partial and len(chosen) < budget.min_projects:
            raise VotingError(ngettext("Geef punten aan minstens %(n)s project.",
                                       "Geef punten aan minstens %(n)s projecten.", budget.min_projects)
                              % {"n": budget.min_projects}, code="too_few")
        return chosen
    if any(points != 1 for points in chosen.values()):
        raise VotingError(_("Elk project kiest u één keer."), code="invalid")
    if not partial and len(chosen) < budget.min_projects:
        raise VotingError(ngettext("Kies minstens %(n)s project.", "Kies minstens %(n)s projecten.",
                                   budget.min_projects) % {"n": budget.min_projects}, code="too_few")
    if budget.ballot_format == BallotFormat.APPROVAL:
        limit = budget.max_projects or len(projects)
        if len(chosen) > limit:
            raise VotingError(ngettext("Kies hoogstens %(n)s project.", "Kies hoogstens %(n)s projecten.", limit)
                              % {"n": limit}, code="too_many")
        return chosen
    spent = sum(projects[key] for key in chosen)
    if spent > budget.amount:
        raise VotingError(_("Samen kosten deze projecten %(spent)s. Dat is meer dan het budget van %(amount)s.")
                          % {"spent": whole_money(spent), "amount": whole_money(budget.amount)}, code="over_budget")
    return chosen


def clean_choices(box, raw) -> dict[str, int]:
    subject = box.subject
    if isinstance(subject, Poll):
        return clean_poll_choices(subject, raw)
    if isinstance(subject, Budget):
        return clean_budget_choices(subject, raw)
    raise VotingError(_("Deze stemming bestaat niet."), code="invalid")
