"""What the budget services share: limits, refusals, and checking a budget's settings and a resident's input."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.text import plain
from voting.models import (
    SUMMARY_MAX,
    TITLE_MAX,
    BallotFormat,
    CountingRule,
    WhoMayVote,
)
from voting.services._common import VotingError

MAX_AMOUNT = 100_000_000
MAX_PROJECTS_LIMIT = 200
MAX_POINTS = 1_000
MAX_OPEN_IDEAS = 10  # per resident per budget: enough for anyone, too few to flood a budget
MIN_ON_BALLOT = 2
RESERVED_SLUGS = frozenset({"nieuw"})
SLUG_MAX = 100

ONLY_STAFF = gettext_lazy("Alleen medewerkers van de gemeente kunnen dit doen.")
NOT_PROPOSING = gettext_lazy("U kunt nu geen idee indienen voor dit kernbudget. Dat kan alleen tijdens de "
                             "ideeënfase, en alleen als u in de kern woont.")
NOT_REVIEWING = gettext_lazy("Ideeën bekijken kan alleen voordat de stemming begint.")
NOT_WITHDRAWING = gettext_lazy("U kunt alleen uw eigen idee terugtrekken, en alleen voordat de stemming begint.")
NOT_UPDATING = gettext_lazy("Nieuws kan alleen bij een gekozen project, na de uitslag.")
FROZEN = gettext_lazy("Dit ligt vast zodra de stemming is begonnen.")
FROZEN_AFTER_CLOSE = gettext_lazy("De stemming is gesloten. De sluitingstijd ligt nu vast.")

# What a staff member may set on a budget; the first group is frozen once voting has started.
RULES_OF_THE_VOTE = ("amount", "ballot_format", "counting_rule", "min_projects", "max_projects", "points_total",
                     "who_may_vote", "kern", "opens_at")
SETTINGS = ("title", "intro", "proposals_until", "closes_at", *RULES_OF_THE_VOTE)


class _Unchanged:
    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED = _Unchanged()


def _error(field: str, message: str, code: str) -> VotingError:
    """A refusal a form shows beside ``field``; ``code`` says which refusal it is."""
    error = VotingError({field: [VotingError(message, code=code)]})
    error.code = code
    return error


def _whole(value, *, field: str, label: str, low: int, high: int, required: bool = True) -> int | None:
    """A whole number from ``low`` to ``high`` (``None`` when not required and empty)."""
    if value in (None, "") and not required:
        return None
    if isinstance(value, bool) or value is None:
        raise _error(field, _("Vul bij “%(field)s” een heel getal in.") % {"field": label}, "invalid")
    if not isinstance(value, int):
        try:
            value = int(str(value).strip())
        except (TypeError, ValueError):
            raise _error(field, _("Vul bij “%(field)s” een heel getal in.") % {"field": label}, "invalid") from None
    if not low <= value <= high:
        raise _error(field, _("“%(field)s” moet tussen %(low)s en %(high)s liggen.")
                     % {"field": label, "low": low, "high": high}, "out_of_range")
    return value


def _text(value, *, field: str, label: str, max_length: int, required: bool) -> str:
    try:
        return plain(value, field=label, max_length=max_length, required=required)
    except ValidationError as error:
        raise _error(field, " ".join(error.messages), error.code or "invalid") from None


def _choice(value, choices, *, field: str, label: str) -> str:
    if value not in {str(choice) for choice in choices.values}:
        raise _error(field, _("Kies een geldige waarde bij “%(field)s”.") % {"field": label}, "invalid")
    return str(value)


def _moment(value, *, field: str, label: str) -> datetime.datetime:
    if not isinstance(value, datetime.datetime):
        raise _error(field, _("Vul bij “%(field)s” een datum en tijd in.") % {"field": label}, "invalid")
    return value if timezone.is_aware(value) else timezone.make_aware(value)


# Budgets ----------------------------------------------------------------------------------------------------

@dataclass
class _Settings:
    """A budget's settings, checked together (the ballot format decides which limits apply)."""

    title: str
    intro: str
    amount: int
    kern: object
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    proposals_until: datetime.date | None
    who_may_vote: str
    ballot_format: str
    counting_rule: str
    min_projects: int
    max_projects: int | None
    points_total: int | None


def _check_settings(values: dict) -> _Settings:
    from community.models import Kern

    kern = values["kern"]
    if kern is not None and not isinstance(kern, Kern):
        raise _error("kern", _("Kies een kern, of laat het leeg voor de hele gemeente."), "invalid")
    checked = _Settings(
        title=_text(values["title"], field="title", label=_("Titel"), max_length=TITLE_MAX, required=True),
        intro=_text(values["intro"], field="intro", label=_("Uitleg"), max_length=SUMMARY_MAX, required=False),
        amount=_whole(values["amount"], field="amount", label=_("Budget in euro"), low=1, high=MAX_AMOUNT),
        kern=kern,
        opens_at=_moment(values["opens_at"], field="opens_at", label=_("Stemmen vanaf")),
        closes_at=_moment(values["closes_at"], field="closes_at", label=_("Stemmen tot")),
        proposals_until=values["proposals_until"],
        who_may_vote=_choice(values["who_may_vote"], WhoMayVote, field="who_may_vote", label=_("Wie mag stemmen")),
        ballot_format=_choice(values["ballot_format"], BallotFormat, field="ballot_format", label=_("Stembiljet")),
        counting_rule=_choice(values["counting_rule"], CountingRule, field="counting_rule", label=_("Telregel")),
        min_projects=_whole(values["min_projects"], field="min_projects", label=_("Minstens zoveel projecten"),
                            low=1, high=MAX_PROJECTS_LIMIT),
        max_projects=None, points_total=None,
    )
    if checked.closes_at <= checked.opens_at:
        raise _error("closes_at", _("De stemming moet sluiten na het begin."), "invalid")
    until = checked.proposals_until
    if until is not None and (not isinstance(until, datetime.date) or isinstance(until, datetime.datetime)):
        raise _error("proposals_until", _("Vul bij “Ideeën indienen tot” een datum in."), "invalid")
    if until is not None and until > timezone.localdate(checked.opens_at):
        raise _error("proposals_until", _("Ideeën indienen moet klaar zijn voordat de stemming begint."), "invalid")
    if checked.ballot_format == BallotFormat.APPROVAL:
        checked.max_projects = _whole(values["max_projects"], field="max_projects",
                                      label=_("Hoogstens zoveel projecten"), low=checked.min_projects,
                                      high=MAX_PROJECTS_LIMIT, required=False)
    elif checked.ballot_format == BallotFormat.POINTS:
        checked.points_total = _whole(values["points_total"], field="points_total", label=_("Punten per inwoner"),
                                      low=checked.min_projects, high=MAX_POINTS)
    return checked


