"""The result of a village budget: counted and published by staff after the close, then open to everyone."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import error_text
from core.pagecache import anonymous_cache
from core.permissions import may
from voting.selectors import budgets as selectors
from voting.services._common import VotingError
from voting.services.results import publish_result
from voting.views.budgets._common import budget_or_404, optional_url


@anonymous_cache()
def results(request, slug: str):
    """Only once the rule lets the viewer see it (for everyone alike: after the close and the publication);
    before that the page does not exist, for staff and admins too."""
    budget = budget_or_404(slug)
    if not may(request.user, "voting.view_results", budget) or not budget.box.result:
        raise Http404
    result = budget.box.result
    projects = selectors.projects_of(budget)

    def url_of(project):
        return reverse("voting:project", args=[budget.slug, project.pk])

    explained = selectors.explain_result(budget, result, projects, url_of=url_of)
    return render(request, "voting/budgets/results.html", {
        "budget": budget, "box": budget.box, "figures": selectors.result_figures(result),
        "rule_in_words": selectors.counting_rule_in_words(budget),
        "chosen": [row for row in explained if row.funded], "not_chosen": [row for row in explained if not row.funded],
        "rows": explained, "points_ballot": budget.ballot_format == "points",
        "recount_url": optional_url("voting:recount", (budget.slug,)),
        "downloads": _downloads(budget)})


def _downloads(budget) -> list[tuple[str, str]]:
    """The exports of the result, where they exist: (label, address)."""
    found = []
    for name, label in (("voting:budget_ballots", _("Alle stembiljetten zonder namen (CSV)")),
                        ("voting:budget_pabulib", _("De stemming en de uitslag als Pabulib-bestand"))):
        url = optional_url(name, (budget.slug,))
        if url:
            found.append((label, url))
    return found


@require_POST
def publish(request, slug: str):
    """"Uitslag tellen en publiceren": staff, once, after the close."""
    budget = budget_or_404(slug)
    try:
        publish_result(actor=request.user, box=budget.box)
    except PermissionDenied as refusal:
        messages.error(request, str(refusal) or _("Dat kan nu niet bij deze stemming."))
        return redirect("voting:budget", slug=budget.slug)
    except VotingError as error:
        messages.error(request, error_text(error))
        return redirect("voting:budget", slug=budget.slug)
    messages.success(request, _("De uitslag is geteld en gepubliceerd."))
    return redirect("voting:results", slug=budget.slug)
