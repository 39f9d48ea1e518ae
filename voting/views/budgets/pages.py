"""The public budget pages: every budget, one budget with its projects and phases, one project."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from core.pagecache import anonymous_cache
from core.permissions import may
from voting.models import PHASE_ORDER, BudgetPhase, ProjectState
from voting.rules import budget_in_proposals
from voting.selectors import budgets as selectors
from voting.views.budgets._common import budget_or_404, enter_code_url

BUDGET_RULES = ("propose_project", "review_project", "change_budget", "publish_result", "view_results", "vote",
                "vote_with_code")


# Anonymous visitors get these from the page cache; every budget service empties it after commit.
@anonymous_cache()
def budget_list(request):
    return render(request, "voting/budgets/list.html", {
        "groups": selectors.budgets_by_kern(), "can_create": may(request.user, "voting.create_budget")})


@anonymous_cache()
def budget_detail(request, slug: str):
    """The budget with its phases, how to take part now, every project (cost, state, reasons, progress) and, for
    staff, the next step. A fixed number of queries whatever the number of projects."""
    budget = budget_or_404(slug)
    user = request.user
    can = {perm: may(user, f"voting.{perm}", budget) for perm in BUDGET_RULES}
    projects = selectors.projects_of(budget, with_updates=budget.phase_reached(BudgetPhase.RESULT))
    for project in projects:
        project.can_withdraw = may(user, "voting.withdraw_project", project)
    shown = [project for project in projects if project.state != ProjectState.WITHDRAWN]
    funded = [project for project in shown if project.funded]
    for project in funded:  # news is posted from the list of chosen projects only
        project.can_update = may(user, "voting.post_project_update", project)
    index = PHASE_ORDER.index(budget.phase)
    context = {
        "budget": budget, "box": budget.box, "can": can, "phases": selectors.phases(budget),
        "projects": shown, "withdrawn": len(projects) - len(shown),
        "funded": funded,
        "on_ballot": sum(1 for project in shown if project.state == ProjectState.FEASIBLE),
        "enter_code_url": enter_code_url() if budget.box.uses_letters else "",
        "next_phase": PHASE_ORDER[index + 1] if index + 1 < len(PHASE_ORDER) else None,
        "next_phase_label": dict(BudgetPhase.choices).get(PHASE_ORDER[index + 1]) if index + 1 < len(PHASE_ORDER)
        else None,
        "box_open": budget.box.is_open(), "box_closed": budget.box.is_closed(),
        "box_started": budget.box.has_started(),
        "proposals_open": bool(budget_in_proposals(user, budget)),  # for visitors who still have to sign in
        "personal_projects": any(project.can_withdraw for project in shown),
    }
    if can["change_budget"]:
        context["turnout"] = budget.box.turnout.count()
    return render(request, "voting/budgets/detail.html", context)


@anonymous_cache()
def project_detail(request, slug: str, pk: int):
    budget = budget_or_404(slug)
    project = selectors.project_of(budget, pk)
    if project is None:
        raise Http404
    user = request.user
    return render(request, "voting/budgets/project.html", {
        "budget": budget, "project": project, "updates": project.recent_updates,
        "can": {"withdraw": may(user, "voting.withdraw_project", project),
                "review": may(user, "voting.review_project", project),
                "update": may(user, "voting.post_project_update", project)}})
