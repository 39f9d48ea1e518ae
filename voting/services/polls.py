"""Setting up a poll: create it with its ballot box, change it before it opens, remove it while nobody voted.

Preconditions of every service: keyword-only arguments; ``actor`` is the signed-in person acting. Everything is
checked before anything is written (bad input leaves no half-made poll behind); changes lock the box's row and
ask the rule under the lock. Events on the box's stream (``voting.<box id>``) carry ids only, never a count.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.pagecache import invalidate_pages_after_commit
from core.permissions import may
from core.text import plain
from voting.models import (
    MAX_OPTIONS,
    OPTION_MAX,
    QUESTION_MAX,
    BallotBox,
    CodeEvent,
    Poll,
    PollKind,
    PollOption,
    ResultsShown,
    VotingCode,
    WhoMayVote,
)
from voting.models.polls import SCALE_MAX, SCALE_MIN
from voting.services._common import VotingError, announce, lock_box, require_perm

MIN_OPTIONS = 2
INTRO_MAX = 2000
SCALE_LABEL_MAX = 60
LONGEST_POLL = datetime.timedelta(days=366)
FURTHEST_START = datetime.timedelta(days=2 * 366)
CREATORS_ONLY = gettext_lazy("Alleen medewerkers en de dorpsraad van de kern maken hier een peiling.")
CHANGERS_ONLY = gettext_lazy("Alleen medewerkers en de dorpsraad van de kern veranderen deze peiling.")
CHANGE_REFUSED = gettext_lazy("Een peiling verandert alleen voordat hij opengaat.")
REMOVE_REFUSED = gettext_lazy("Een peiling gaat alleen weg zolang niemand heeft gestemd.")


class PollError(VotingError):
    """A poll that cannot be set up like this (the message says why). Changes nothing."""


@dataclass(frozen=True)
class PollSettings:
    """Everything a poll is set up with, checked and cleaned (``check_poll``)."""

    kern: object
    question: str
    intro: str
    kind: str
    options: tuple[str, ...]
    max_choices: int
    scale_size: int
    scale_low: str
    scale_high: str
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    who_may_vote: str
    secret: bool
    results_shown: str
    initiative: object
    page: object


SETTING_NAMES = frozenset(field.name for field in fields(PollSettings))


def _choice(value, allowed, message: str, code: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise PollError(message, code=code)
    return value


def _whole_number(value, *, low: int, high: int, message: str, code: str) -> int:
    if isinstance(value, bool):
        raise PollError(message, code=code)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or not low <= value <= high:
        raise PollError(message, code=code)
    return value


def _moment(value, field: str) -> datetime.datetime:
    if not isinstance(value, datetime.datetime) or timezone.is_naive(value):
        raise PollError(_("Vul bij “%(field)s” een datum en tijd in.") % {"field": field}, code="invalid_time")
    return value


def _options(kind: str, raw) -> tuple[str, ...]:
    if raw is None:
        raw = []
    if isinstance(raw, str) or not isinstance(raw, (list, tuple)):
        raise PollError(_("De antwoorden zijn een lijst met teksten."), code="invalid_options")
    if len(raw) > MAX_OPTIONS * 4:  # a list this long is not a poll: refuse before cleaning every item
        raise PollError(_("Een peiling heeft hoogstens %(n)s antwoorden.") % {"n": MAX_OPTIONS}, code="too_many")
    labels = [plain(item, field=_("antwoord"), max_length=OPTION_MAX, error=PollError) for item in raw]
    labels = [label for label in labels if label]
    if kind == PollKind.SCALE:
        if labels:
            raise PollError(_("Een schaal heeft geen antwoorden om uit te kiezen. Laat de antwoorden leeg."),
                            code="scale_has_options")
        return ()
    if len(labels) < MIN_OPTIONS:
        raise PollError(_("Geef minstens twee antwoorden om uit te kiezen."), code="too_few")
    if len(labels) > MAX_OPTIONS:
        raise PollError(_("Een peiling heeft hoogstens %(n)s antwoorden.") % {"n": MAX_OPTIONS}, code="too_many")
    if len({label.casefold() for label in labels}) != len(labels):
        raise PollError(_("Twee antwoorden zijn hetzelfde. Maak ze verschillend."), code="duplicate")
    return tuple(labels)


def _place(actor, kern, initiative, page):
    """The initiative (of the poll's kern, one the actor may see) or the content page the poll belongs to."""
    from cms.models import ContentPage
    from initiatives.models import Initiative

    if initiative is not None and page is not None:
        raise PollError(_("Een peiling hoort bij een initiatief of bij een pagina, niet bij allebei."),
                        code="two_places")
    if initiative is not None:
        if not isinstance(initiative, Initiative) or not may(actor, "initiatives.view_initiative", initiative):
            raise PollError(_("Dat initiatief bestaat niet."), code="unknown_initiative")
        if kern is None or initiative.kern_id != kern.pk:
            raise PollError(_("Het initiatief hoort bij een andere kern dan de peiling."), code="other_kern")
    if page is not None and not isinstance(getattr(page, "specific", None), ContentPage):
        raise PollError(_("Een peiling staat alleen op een inhoudspagina."), code="not_a_content_page")
    return initiative, page


def check_poll(*, actor, values: dict, now: datetime.datetime | None = None) -> PollSettings:
    """``values`` (every name of ``PollSettings``) checked and cleaned; ``PollError`` says what is wrong."""
    from community.models import Kern

    now = now or timezone.now()
    kern = values["kern"]
    if kern is not None and not isinstance(kern, Kern):
        raise PollError(_("Die kern bestaat niet."), code="unknown_kern")
    question = plain(values["question"], field=_("vraag"), max_length=QUESTION_MAX, required=True, error=PollError)
    intro = plain(values["intro"], field=_("uitleg"), max_length=INTRO_MAX, error=PollError)
    kind = _choice(values["kind"], PollKind.values, _("Kies het soort vraag."), "kind")
    options = _options(kind, values["options"])
    max_choices, scale_size, scale_low, scale_high = 1, 5, "", ""
    if kind == PollKind.MULTIPLE:
        wanted = len(options) if values["max_choices"] is None else values["max_choices"]
        max_choices = _whole_number(wanted, low=2, high=len(options), code="max_choices",
                                    message=_("Kies hoeveel antwoorden iemand mag kiezen: 2 tot en met %(n)s.")
                                    % {"n": len(options)})
    if kind == PollKind.SCALE:
        scale_size = _whole_number(values["scale_size"], low=SCALE_MIN, high=SCALE_MAX, code="scale_size",
                                   message=_("Een schaal heeft 2 tot en met 10 punten."))
        scale_low = plain(values["scale_low"], field=_("betekenis van de laagste waarde"),
                          max_length=SCALE_LABEL_MAX, required=True, error=PollError)
        scale_high = plain(values["scale_high"], field=_("betekenis van de hoogste waarde"),
                           max_length=SCALE_LABEL_MAX, required=True, error=PollError)
    opens_at = _moment(values["opens_at"], _("open vanaf"))
    closes_at = _moment(values["closes_at"], _("open tot"))
    if closes_at <= opens_at:
        raise PollError(_("De peiling sluit na het openen."), code="times")
    if closes_at <= now:
        raise PollError(_("Het sluiten ligt in het verleden. Kies een later moment."), code="closes_in_past")
    if closes_at - opens_at > LONGEST_POLL or opens_at - now > FURTHEST_START:
        raise PollError(_("Een peiling duurt hoogstens een jaar en begint binnen twee jaar."), code="too_long")
    who_may_vote = _choice(values["who_may_vote"], WhoMayVote.values, _("Kies wie mag stemmen."), "who_may_vote")
    results_shown = _choice(values["results_shown"], ResultsShown.values, _("Kies wanneer de uitslag te zien is."),
                            "results_shown")
    secret = values["secret"]
    if not isinstance(secret, bool):
        raise PollError(_("Kies een geheime of een open stemming."), code="secret")
    if not secret and who_may_vote == WhoMayVote.LETTER:
        raise PollError(_("Met een stemcode per brief is de stemming altijd geheim."), code="open_by_letter")
    initiative, page = _place(actor, kern, values["initiative"], values["page"])
    return PollSettings(kern=kern, question=question, intro=intro, kind=kind, options=options,
                        max_choices=max_choices, scale_size=scale_size, scale_low=scale_low, scale_high=scale_high,
                        opens_at=opens_at, closes_at=closes_at, who_may_vote=who_may_vote, secret=secret,
                        results_shown=results_shown, initiative=initiative, page=page)


def _write_options(poll: Poll, labels: tuple[str, ...]) -> None:
    PollOption.objects.bulk_create([PollOption(poll=poll, label=label, order=order)
                                    for order, label in enumerate(labels)])


def create_poll(*, actor, kern, question: str, opens_at: datetime.datetime, closes_at: datetime.datetime,
                options=(), kind: str = PollKind.SINGLE, intro: str = "", max_choices=None, scale_size=5,
                scale_low: str = "", scale_high: str = "", who_may_vote: str = WhoMayVote.RESIDENTS,
                secret: bool = True, results_shown: str = ResultsShown.AFTER_CLOSE, initiative=None,
                page=None) -> Poll:
    """A new poll with its ballot box, in ``kern`` (None: the whole municipality, staff only).

    ``options``: 2-12 texts (none for a scale); ``max_choices``: how many a multiple-choice voter may pick
    (default: all). Raises ``PermissionDenied`` (rule ``voting.create_poll``) or ``PollError``.
    """
    require_perm(actor, "voting.create_poll", BallotBox(kern=kern), CREATORS_ONLY)
    values = {"kern": kern, "question": question, "intro": intro, "kind": kind, "options": options,
              "max_choices": max_choices,
              "scale_size": scale_size, "scale_low": scale_low, "scale_high": scale_high, "opens_at": opens_at,
              "closes_at": closes_at, "who_may_vote": who_may_vote, "secret": secret,
              "results_shown": results_shown, "initiative": initiative, "page": page}
    checked = check_poll(actor=actor, values=values)
    with transaction.atomic():
        box = BallotBox.objects.create(kern=checked.kern, opens_at=checked.opens_at, closes_at=checked.closes_at,
                                       who_may_vote=checked.who_may_vote, secret=checked.secret,
                                       results_shown=checked.results_shown)
        poll = Poll.objects.create(box=box, question=checked.question, intro=checked.intro, kind=checked.kind,
                                   max_choices=checked.max_choices, scale_size=checked.scale_size,
                                   scale_low=checked.scale_low, scale_high=checked.scale_high,
                                   initiative=checked.initiative, page=checked.page, created_by=actor)
        _write_options(poll, checked.options)
        invalidate_pages_after_commit()
    return poll


def current_values(poll: Poll) -> dict:
    """What ``poll`` is set up with now, by the names of ``PollSettings``."""
    box = poll.box
    return {"kern": box.kern, "question": poll.question, "intro": poll.intro, "kind": poll.kind,
            "options": [option.label for option in poll.options.all()], "max_choices": poll.max_choices,
            "scale_size": poll.scale_size, "scale_low": poll.scale_low, "scale_high": poll.scale_high,
            "opens_at": box.opens_at, "closes_at": box.closes_at, "who_may_vote": box.who_may_vote,
            "secret": box.secret, "results_shown": box.results_shown, "initiative": poll.initiative,
            "page": poll.page}


def change_poll(*, actor, poll: Poll, **changes) -> Poll:
    """Change what is given in ``changes`` (names of ``PollSettings``; ``options`` replaces all answers) before the
    poll opens. Moving it to another kern is asked of the rule ``voting.create_poll`` there as well."""
    unknown = set(changes) - SETTING_NAMES
    if unknown:
        raise PollError(_("Dit kan bij een peiling niet veranderen: %(names)s.")
                        % {"names": ", ".join(sorted(unknown))}, code="unknown_field")
    with transaction.atomic():
        locked = lock_box(poll.box)
        poll = Poll.objects.select_related("box__kern", "initiative", "page").get(pk=poll.pk)
        poll.box = locked
        require_perm(actor, "voting.change_poll", poll, CHANGE_REFUSED if locked.has_started() else CHANGERS_ONLY)
        values = {**current_values(poll), **changes}
        if "kind" in changes and changes["kind"] == PollKind.SCALE and "options" not in changes:
            values["options"] = []
        if "kern" in changes and values["kern"] != locked.kern:
            require_perm(actor, "voting.create_poll", BallotBox(kern=values["kern"]), CREATORS_ONLY)
        checked = check_poll(actor=actor, values=values)
        for name in ("kern", "opens_at", "closes_at", "who_may_vote", "secret", "results_shown"):
            setattr(locked, name, getattr(checked, name))
        locked.save(update_fields=["kern", "opens_at", "closes_at", "who_may_vote", "secret", "results_shown"])
        for name in ("question", "intro", "kind", "max_choices", "scale_size", "scale_low", "scale_high",
                     "initiative", "page"):
            setattr(poll, name, getattr(checked, name))
        poll.save(update_fields=["question", "intro", "kind", "max_choices", "scale_size", "scale_low", "scale_high",
                                 "initiative", "page"])
        if [option.label for option in poll.options.all()] != list(checked.options):
            # Nobody can have voted or kept a draft before the opening: the answers are simply made again.
            poll.options.all().delete()
            _write_options(poll, checked.options)
        announce(locked, "poll.changed", {"box": locked.pk, "poll": poll.pk})
        invalidate_pages_after_commit()
    return Poll.objects.select_related("box__kern").prefetch_related("options").get(pk=poll.pk)


def remove_poll(*, actor, poll: Poll) -> None:
    """Remove the poll and its box (its letter codes too) while nobody is in its register."""
    with transaction.atomic():
        locked = lock_box(poll.box)
        poll = Poll.objects.select_related("box").get(pk=poll.pk)
        poll.box = locked
        # Who may set up polls here is refused only because someone voted; anyone else is not one of them.
        message = REMOVE_REFUSED if may(actor, "voting.create_poll", locked) else CHANGERS_ONLY
        require_perm(actor, "voting.remove_poll", poll, message)
        announce(locked, "poll.removed", {"box": locked.pk, "poll": poll.pk})
        CodeEvent.objects.filter(box=locked).delete()
        codes = VotingCode.objects.filter(box=locked)
        while codes.exists():  # a re-issued code protects the one it replaces: the newest go first
            codes.filter(replaced_by__isnull=True).delete()
        locked.delete()  # the poll and its answers go with their box
        invalidate_pages_after_commit()
