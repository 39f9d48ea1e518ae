"""Village budgets: staff set one up and move it through its phases, residents propose projects, staff check
them and report on the chosen ones.

Every service asks its rule (``voting.rules``) and then checks the state only to pick
its message; bad input raises ``VotingError`` (keyed by field where a form shows it) and changes nothing.
Pages that show a budget are emptied from the page cache after each commit.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community.notifications.services import notify
from core.pagecache import invalidate_pages_after_commit
from core.text import plain
from voting.models import (
    PHASE_ORDER,
    SUMMARY_MAX,
    TITLE_MAX,
    BallotBox,
    BallotFormat,
    Budget,
    BudgetPhase,
    CountingRule,
    Project,
    ProjectState,
    ProjectUpdate,
    ResultsShown,
    WhoMayVote,
)
from voting.notification_kinds import PROJECT_PROGRESS, PROJECT_REVIEWED
from voting.services._common import VotingError, require_perm

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


def _error(field: str | None, message: str, code: str) -> VotingError:
    """A refusal a form shows beside ``field`` (or above the form); ``code`` says which refusal it is."""
    if not field:
        return VotingError(message, code=code)
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


def _free_slug(title: str, *, exclude_pk=None) -> str:
    base = slugify(title)[:SLUG_MAX].strip("-") or "kernbudget"
    taken = Budget.objects.exclude(pk=exclude_pk).filter(slug__startswith=base).values_list("slug", flat=True)
    taken = set(taken) | RESERVED_SLUGS
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base[:SLUG_MAX - 6]}-{number}"
    return slug


def create_budget(*, actor, title: str, amount: int, opens_at: datetime.datetime, closes_at: datetime.datetime,
                  kern=None, intro: str = "", who_may_vote: str = WhoMayVote.RESIDENTS,
                  ballot_format: str = BallotFormat.KNAPSACK, counting_rule: str = CountingRule.EQUAL_SHARES,
                  min_projects: int = 1, max_projects: int | None = None, points_total: int | None = None,
                  proposals_until: datetime.date | None = None) -> Budget:
    """A new budget in its proposals phase, with its own (secret) ballot box for ``kern`` (``None``: the whole
    municipality). The result is shown after the close, once staff publish it."""
    require_perm(actor, "voting.create_budget", None, ONLY_STAFF)
    checked = _check_settings({
        "title": title, "intro": intro, "amount": amount, "kern": kern, "opens_at": opens_at, "closes_at": closes_at,
        "proposals_until": proposals_until, "who_may_vote": who_may_vote, "ballot_format": ballot_format,
        "counting_rule": counting_rule, "min_projects": min_projects, "max_projects": max_projects,
        "points_total": points_total})
    if checked.closes_at <= timezone.now():
        raise _error("closes_at", _("De stemming moet in de toekomst sluiten."), "invalid")
    for attempt in range(3):
        try:
            with transaction.atomic():
                box = BallotBox.objects.create(
                    kern=checked.kern, opens_at=checked.opens_at, closes_at=checked.closes_at,
                    who_may_vote=checked.who_may_vote, secret=True, results_shown=ResultsShown.AFTER_CLOSE)
                budget = Budget.objects.create(
                    box=box, title=checked.title, slug=_free_slug(checked.title) if attempt == 0
                    else f"{_free_slug(checked.title)[:SLUG_MAX - 9]}-{box.pk}", intro=checked.intro,
                    amount=checked.amount, phase=BudgetPhase.PROPOSALS, proposals_until=checked.proposals_until,
                    ballot_format=checked.ballot_format, max_projects=checked.max_projects,
                    min_projects=checked.min_projects, points_total=checked.points_total,
                    counting_rule=checked.counting_rule, created_by=actor)
        except IntegrityError:  # a parallel budget took the same address: try the next one
            continue
        invalidate_pages_after_commit()
        return budget
    raise VotingError(_("Dit kernbudget kon niet worden bewaard. Probeer het opnieuw."), code="slug")


def voting_started(budget: Budget, now=None) -> bool:
    """Whether residents may have voted: the budget reached its voting phase and the box has opened."""
    return budget.phase_reached(BudgetPhase.VOTING) and budget.box.has_started(now)


def lock_budget(budget: Budget | int) -> Budget:
    """The budget's row (with its box), locked until the surrounding transaction ends (call inside ``atomic``)."""
    pk = budget if isinstance(budget, int) else budget.pk
    return Budget.objects.select_for_update(of=("self",)).select_related("box__kern").get(pk=pk)


def change_budget(*, actor, budget: Budget, **changes) -> Budget:
    """Change the settings named in ``changes`` (keys of ``SETTINGS``). Amount, ballot, counting rule, who may
    vote and the opening are frozen once voting has started; the closing time once the box has closed."""
    require_perm(actor, "voting.change_budget", budget, ONLY_STAFF)
    unknown = set(changes) - set(SETTINGS)
    if unknown:
        raise VotingError(_("Dit kunt u niet wijzigen."), code="invalid")
    with transaction.atomic():
        locked = lock_budget(budget)
        box = locked.box
        current = {"title": locked.title, "intro": locked.intro, "amount": locked.amount, "kern": box.kern,
                   "opens_at": box.opens_at, "closes_at": box.closes_at, "proposals_until": locked.proposals_until,
                   "who_may_vote": box.who_may_vote, "ballot_format": locked.ballot_format,
                   "counting_rule": locked.counting_rule, "min_projects": locked.min_projects,
                   "max_projects": locked.max_projects, "points_total": locked.points_total}
        wanted = {**current, **{name: value for name, value in changes.items() if value is not UNCHANGED}}
        checked = _check_settings(wanted)
        new = checked.__dict__
        changed = {name for name in SETTINGS if new[name] != current[name]}
        if voting_started(locked):
            frozen = changed & set(RULES_OF_THE_VOTE)
            if frozen:
                raise _error(sorted(frozen)[0], str(FROZEN), "frozen")
            if "closes_at" in changed and box.is_closed():
                raise _error("closes_at", str(FROZEN_AFTER_CLOSE), "frozen")
        if "closes_at" in changed and checked.closes_at <= timezone.now() and not box.is_closed():
            raise _error("closes_at", _("De stemming moet in de toekomst sluiten."), "invalid")
        for name in ("title", "intro", "amount", "proposals_until", "ballot_format", "counting_rule",
                     "min_projects", "max_projects", "points_total"):
            setattr(locked, name, new[name])
        box.kern, box.opens_at, box.closes_at, box.who_may_vote = (checked.kern, checked.opens_at,
                                                                   checked.closes_at, checked.who_may_vote)
        box.save(update_fields=["kern", "opens_at", "closes_at", "who_may_vote"])
        locked.save()
    invalidate_pages_after_commit()
    _copy(locked, budget)
    return locked


def _copy(source, target) -> None:
    """Leave the caller's instance as saved, not stale."""
    if target is source:
        return
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    if isinstance(source, Budget):
        target.box = source.box


def set_phase(*, actor, budget: Budget, phase: str) -> Budget:
    """Move the budget on to ``phase``, the next one in ``PHASE_ORDER`` (never back, never a phase skipped).

    Voting needs at least two feasible projects and changes nothing else (the box keeps its own times).
    The budget leaves voting only after the box has closed, and is carried out only after its result is out.
    """
    require_perm(actor, "voting.change_budget", budget, ONLY_STAFF)
    if phase not in PHASE_ORDER:
        raise _error("phase", _("Deze fase bestaat niet."), "invalid")
    with transaction.atomic():
        locked = lock_budget(budget)
        now_at, wanted = PHASE_ORDER.index(locked.phase), PHASE_ORDER.index(phase)
        if wanted <= now_at:
            raise _error("phase", _("Een kernbudget gaat alleen vooruit, naar de volgende fase."), "backwards")
        if wanted > now_at + 1:
            raise _error("phase", _("Sla geen fase over: kies de volgende fase."), "skipped")
        if phase == BudgetPhase.VOTING:
            feasible = locked.projects.filter(state=ProjectState.FEASIBLE).count()
            if feasible < MIN_ON_BALLOT:
                raise _error("phase", _("Voor de stemming zijn minstens twee haalbare projecten nodig. Nu zijn het "
                                        "er %(n)s.") % {"n": feasible}, "too_few_projects")
        if phase == BudgetPhase.RESULT and not locked.box.is_closed():
            raise _error("phase", _("De uitslag komt pas na het sluiten van de stemming."), "still_open")
        if phase == BudgetPhase.REALISATION and locked.box.result_published_at is None:
            raise _error("phase", _("Publiceer eerst de uitslag."), "not_published")
        locked.phase = phase
        locked.save(update_fields=["phase"])
    invalidate_pages_after_commit()
    _copy(locked, budget)
    return locked


# Projects ---------------------------------------------------------------------------------------------------

def lock_project(project: Project | int) -> Project:
    pk = project if isinstance(project, int) else project.pk
    return Project.objects.select_for_update(of=("self",)).select_related("budget__box").get(pk=pk)


def _own_initiative(actor, budget: Budget, initiative):
    """The actor's own public initiative in the budget's kern, or ``VotingError``."""
    from initiatives.models import Initiative
    from initiatives.models.initiative import PUBLIC_STATUSES

    pk = getattr(initiative, "pk", initiative)
    found = (Initiative.objects.initiated_by(actor).filter(pk=pk, status__in=PUBLIC_STATUSES).first()
             if isinstance(pk, int) and not isinstance(pk, bool) else None)
    if found is None or (budget.kern_id is not None and found.kern_id != budget.kern_id):
        raise _error("initiative", _("Kies een van uw eigen openbare initiatieven in deze kern."), "initiative")
    return found


def propose_project(*, actor, budget: Budget, title: str, summary: str, cost, initiative=None) -> Project:
    """A resident's idea for the budget, waiting for staff to check it. ``initiative``: one of their own public
    initiatives in the kern that the project comes from."""
    require_perm(actor, "voting.propose_project", budget, NOT_PROPOSING)
    title = _text(title, field="title", label=_("Titel"), max_length=TITLE_MAX, required=True)
    summary = _text(summary, field="summary", label=_("Omschrijving"), max_length=SUMMARY_MAX, required=True)
    cost = _whole(cost, field="cost", label=_("Geschatte kosten in euro"), low=1, high=budget.amount)
    found = _own_initiative(actor, budget, initiative) if initiative not in (None, "") else None
    with transaction.atomic():
        locked = lock_budget(budget)  # a double click waits here, then finds the first one
        mine = locked.projects.filter(proposer=actor).exclude(state=ProjectState.WITHDRAWN)
        if any(other.lower() == title.lower() for other in mine.values_list("title", flat=True)):
            raise _error("title", _("U hebt dit idee al ingediend."), "duplicate")
        if mine.count() >= MAX_OPEN_IDEAS:
            raise VotingError(_("U hebt al %(n)s ideeën ingediend voor dit kernbudget. Meer kan niet.")
                              % {"n": MAX_OPEN_IDEAS}, code="too_many")
        project = Project.objects.create(budget=locked, title=title, summary=summary, cost=cost,
                                         state=ProjectState.PROPOSED, proposer=actor, initiative=found)
    invalidate_pages_after_commit()
    return project


def review_project(*, actor, project: Project, feasible: bool, reason: str, cost=None) -> Project:
    """Staff decide: feasible (on the ballot, at the final ``cost``) or not, with a ``reason`` everyone reads.
    The proposer is told. A decision may be changed until voting begins."""
    require_perm(actor, "voting.review_project", project, NOT_REVIEWING)
    if not isinstance(feasible, bool):
        raise _error("feasible", _("Kies: haalbaar of niet haalbaar."), "invalid")
    reason = _text(reason, field="reason", label=_("Toelichting"), max_length=SUMMARY_MAX, required=True)
    with transaction.atomic():
        locked = lock_project(project)
        if locked.state == ProjectState.WITHDRAWN:
            raise VotingError(_("Dit idee is teruggetrokken."), code="withdrawn")
        if feasible:
            locked.cost = _whole(cost, field="cost", label=_("Kosten in euro"), low=1, high=locked.budget.amount)
        locked.state = ProjectState.FEASIBLE if feasible else ProjectState.NOT_FEASIBLE
        locked.review_reason, locked.reviewed_by, locked.reviewed_at = reason, actor, timezone.now()
        locked.save(update_fields=["cost", "state", "review_reason", "reviewed_by", "reviewed_at"])
        if locked.proposer_id is not None:
            notify(kind=PROJECT_REVIEWED, recipients=[locked.proposer], actor=actor, kern=locked.budget.kern_id,
                   params={"title": locked.title, "variant": str(locked.state)}, url=project_url(locked),
                   event_key=f"{PROJECT_REVIEWED}:{locked.pk}:{locked.reviewed_at.isoformat()}")
    invalidate_pages_after_commit()
    _copy(locked, project)
    return locked


def withdraw_project(*, actor, project: Project) -> Project:
    """The proposer takes their idea back (before voting begins). It leaves the ballot."""
    require_perm(actor, "voting.withdraw_project", project, NOT_WITHDRAWING)
    with transaction.atomic():
        locked = lock_project(project)
        require_perm(actor, "voting.withdraw_project", locked, NOT_WITHDRAWING)  # as it is now, under the lock
        locked.state = ProjectState.WITHDRAWN
        locked.save(update_fields=["state"])
    invalidate_pages_after_commit()
    _copy(locked, project)
    return locked


withdraw = withdraw_project


def post_project_update(*, actor, project: Project, text: str, progress) -> ProjectUpdate:
    """News about a chosen project while it is carried out, with how far it is (0-100 %)."""
    require_perm(actor, "voting.post_project_update", project, NOT_UPDATING)
    text = _text(text, field="text", label=_("Bericht"), max_length=SUMMARY_MAX, required=True)
    progress = _whole(progress, field="progress", label=_("Voortgang in procent"), low=0, high=100)
    with transaction.atomic():
        locked = lock_project(project)
        update = ProjectUpdate.objects.create(project=locked, text=text, progress=progress, author=actor)
        locked.progress = progress
        locked.save(update_fields=["progress"])
        if locked.proposer_id is not None:
            notify(kind=PROJECT_PROGRESS, recipients=[locked.proposer], actor=actor, kern=locked.budget.kern_id,
                   params={"title": locked.title, "progress": progress}, url=project_url(locked),
                   event_key=f"{PROJECT_PROGRESS}:{update.pk}")
    invalidate_pages_after_commit()
    _copy(locked, project)
    return update


def project_url(project: Project) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("voting:project", args=[project.budget.slug, project.pk])
    except NoReverseMatch:
        return ""
