"""Staff set up a village budget and move it through its phases."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.pagecache import invalidate_pages_after_commit
from voting.models import (
    PHASE_ORDER,
    BallotBox,
    BallotFormat,
    Budget,
    BudgetPhase,
    CountingRule,
    ProjectState,
    ResultsShown,
    WhoMayVote,
)
from voting.services._common import VotingError, require_perm
from voting.services.budgets._checks import (
    FROZEN,
    FROZEN_AFTER_CLOSE,
    MIN_ON_BALLOT,
    ONLY_STAFF,
    RESERVED_SLUGS,
    RULES_OF_THE_VOTE,
    SETTINGS,
    SLUG_MAX,
    UNCHANGED,
    _check_settings,
    _error,
)


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


