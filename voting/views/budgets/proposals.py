"""Residents propose projects for a village budget, and may take their own idea back before voting."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import error_text
from core.permissions import Refused, may
from voting.forms.budgets import ProposeForm
from voting.selectors import budgets as selectors
from voting.services import budgets as services
from voting.services._common import VotingError
from voting.views.budgets._common import budget_or_404
from voting.views.budgets.staff import _form_error


def _my_initiatives(user, budget):
    from initiatives.models import Initiative
    from initiatives.models.initiative import PUBLIC_STATUSES

    mine = Initiative.objects.initiated_by(user).filter(status__in=PUBLIC_STATUSES).order_by("title")
    return mine.filter(kern_id=budget.kern_id) if budget.kern_id is not None else mine


@login_required
def propose_project(request, slug: str):
    budget = budget_or_404(slug)
    if not may(request.user, "voting.propose_project", budget):
        raise Refused(str(services.NOT_PROPOSING), back_url=reverse("voting:budget", args=[budget.slug]),
                      back_label=_("Terug naar het kernbudget"))
    form = ProposeForm(request.POST or None, initiatives=_my_initiatives(request.user, budget))
    if request.method == "POST" and form.is_valid():
        try:
            project = services.propose_project(actor=request.user, budget=budget, **form.service_values())
        except VotingError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Dank u wel! Uw idee is ingediend. De gemeente kijkt of het kan."))
            return redirect("voting:project", slug=budget.slug, pk=project.pk)
    return render(request, "voting/budgets/propose.html", {"form": form, "budget": budget},
                  status=400 if form.errors else 200)


@require_POST
def withdraw_project(request, slug: str, pk: int):
    budget = budget_or_404(slug)
    project = selectors.project_of(budget, pk)
    if project is None:
        raise Http404
    try:
        services.withdraw_project(actor=request.user, project=project)
    except PermissionDenied:
        raise Refused(str(services.NOT_WITHDRAWING), back_url=reverse("voting:project", args=[budget.slug, pk]),
                      back_label=_("Terug naar het project")) from None
    except VotingError as error:
        messages.error(request, error_text(error))
        return redirect("voting:project", slug=budget.slug, pk=pk)
    messages.success(request, _("Uw idee is teruggetrokken. Het komt niet op het stembiljet."))
    return redirect("voting:budget", slug=budget.slug)
