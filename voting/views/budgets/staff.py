"""Staff pages of village budgets: set one up, change it, move it on, check ideas, report on chosen projects."""

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
from voting.forms.budgets import BudgetForm, ProjectUpdateForm, ReviewForm
from voting.models import BudgetPhase
from voting.selectors import budgets as selectors
from voting.services import budgets as services
from voting.services._common import VotingError
from voting.views.budgets._common import budget_or_404


def _refuse(message, budget=None):
    back = reverse("voting:budget", args=[budget.slug]) if budget is not None else reverse("voting:budgets")
    return Refused(str(message), back_url=back, back_label=_("Terug naar het kernbudget") if budget else
                   _("Naar de kernbudgetten"))


def _form_error(form, error: VotingError) -> None:
    """A service's refusal beside the field it is about (above the form when the form has no such field)."""
    if hasattr(error, "error_dict") and set(error.error_dict) <= set(form.fields):
        form.add_error(None, error)
    else:
        form.add_error(None, error_text(error))


@login_required
def budget_new(request):
    if not may(request.user, "voting.create_budget"):
        raise _refuse(services.ONLY_STAFF)
    form = BudgetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            budget = services.create_budget(actor=request.user, **form.service_values())
        except VotingError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Het kernbudget staat klaar. Inwoners kunnen nu ideeën indienen."))
            return redirect("voting:budget", slug=budget.slug)
    return render(request, "voting/budgets/budget_form.html", {"form": form, "budget": None},
                  status=400 if form.errors else 200)


@login_required
def budget_edit(request, slug: str):
    budget = budget_or_404(slug)
    if not may(request.user, "voting.change_budget", budget):
        raise _refuse(services.ONLY_STAFF, budget)
    form = BudgetForm(request.POST or None, budget=budget)
    if request.method == "POST" and form.is_valid():
        try:
            budget = services.change_budget(actor=request.user, budget=budget, **form.service_values())
        except VotingError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("De wijzigingen zijn bewaard."))
            return redirect("voting:budget", slug=budget.slug)
    return render(request, "voting/budgets/budget_form.html", {"form": form, "budget": budget},
                  status=400 if form.errors else 200)


@require_POST
def change_phase(request, slug: str):
    budget = budget_or_404(slug)
    try:
        services.set_phase(actor=request.user, budget=budget, phase=request.POST.get("phase", ""))
    except PermissionDenied as refusal:
        raise _refuse(str(refusal) or services.ONLY_STAFF, budget) from None
    except VotingError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Het kernbudget is nu in de fase “%(phase)s”.")
                         % {"phase": dict(BudgetPhase.choices)[budget.phase]})
    return redirect("voting:budget", slug=budget.slug)


def _project_or_404(budget, pk: int):
    project = selectors.project_of(budget, pk)
    if project is None:
        raise Http404
    return project


@login_required
def review_project(request, slug: str, pk: int):
    budget = budget_or_404(slug)
    project = _project_or_404(budget, pk)
    if not may(request.user, "voting.review_project", project):
        raise _refuse(services.NOT_REVIEWING if may(request.user, "voting.change_budget", budget)
                      else services.ONLY_STAFF, budget)
    form = ReviewForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_project(actor=request.user, project=project, **form.service_values())
        except VotingError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Het oordeel is bewaard. De indiener krijgt een bericht."))
            return redirect("voting:budget", slug=budget.slug)
    return render(request, "voting/budgets/review.html", {"form": form, "budget": budget, "project": project},
                  status=400 if form.errors else 200)


@login_required
def project_update(request, slug: str, pk: int):
    budget = budget_or_404(slug)
    project = _project_or_404(budget, pk)
    if not may(request.user, "voting.post_project_update", project):
        raise _refuse(services.NOT_UPDATING, budget)
    form = ProjectUpdateForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_project_update(actor=request.user, project=project, **form.cleaned_data)
        except VotingError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Het nieuws staat bij het project."))
            return redirect("voting:project", slug=budget.slug, pk=project.pk)
    return render(request, "voting/budgets/update_form.html", {"form": form, "budget": budget, "project": project},
                  status=400 if form.errors else 200)
