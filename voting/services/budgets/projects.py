"""Residents propose projects; staff check them and report on the chosen ones."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from community.notifications.services import notify
from core.pagecache import invalidate_pages_after_commit
from voting.models import (
    SUMMARY_MAX,
    TITLE_MAX,
    Budget,
    Project,
    ProjectState,
    ProjectUpdate,
)
from voting.notification_kinds import PROJECT_PROGRESS, PROJECT_REVIEWED
from voting.services._common import VotingError, require_perm
from voting.services.budgets._checks import (
    MAX_OPEN_IDEAS,
    NOT_PROPOSING,
    NOT_REVIEWING,
    NOT_UPDATING,
    NOT_WITHDRAWING,
    _error,
    _text,
    _whole,
)
from voting.services.budgets.budgets import _copy, lock_budget

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
    return reverse("voting:project", args=[project.budget.slug, project.pk])
