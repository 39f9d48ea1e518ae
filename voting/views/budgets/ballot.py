"""The ballot of a village budget: fill it in (with or without JavaScript), check it, cast it, see the receipt.

Every change goes through ``voting.services.drafts.change_draft``, which locks the voter's draft: the ballot is
never lost and a knapsack never goes over budget, however many clicks arrive at once. A voter is the signed-in
resident, or (for a box by letter) the holder of the code the code page put in the session.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import error_text
from voting.models import BallotFormat
from voting.rules import has_voted_in
from voting.selectors import budgets as selectors
from voting.services._common import VotingError
from voting.services.casting import CODE_NOT_VALID, cast_ballot
from voting.services.choices import MAX_ENTRIES, clean_budget_choices
from voting.services.drafts import change_draft, draft_choices
from voting.views._session import forget_code
from voting.views.budgets._common import (
    CAST_KEY,
    RECEIPT_KEY,
    Voter,
    already_voted,
    budget_or_404,
    cannot_vote,
    optional_url,
    voter_for,
)
from voting.views.budgets._kept import ballot_items

KEY_MAX = 20
NOT_A_NUMBER = gettext_lazy("Vul een heel getal in.")


def _draft(request, budget, voter: Voter) -> dict[str, int] | None:
    try:
        return draft_choices(actor=request.user, box=budget.box, code=voter.code)
    except VotingError:  # the code was revoked since it was typed
        return None


def _code_gone(request, budget):
    return cannot_vote(request, budget, Voter(request.user, None, str(CODE_NOT_VALID)))


def _wanted(post, budget, projects) -> tuple[dict[str, int], dict[str, str], bool]:
    """What the form asks for: ``{id: points}``, errors per project, and whether it named unknown projects."""
    keys = {str(project.pk) for project in projects}
    errors: dict[str, str] = {}
    if budget.ballot_format == BallotFormat.POINTS:
        wanted = {}
        for key in keys:
            raw = post.get(f"points-{key}", "").strip()
            if raw == "":
                continue
            if not raw.isdigit() or len(raw) > 6:
                errors[key] = str(NOT_A_NUMBER)
                continue
            if int(raw):
                wanted[key] = int(raw)
        return wanted, errors, False
    named = post.getlist("project")[:MAX_ENTRIES]
    return {key: 1 for key in named if key in keys}, errors, any(key not in keys for key in named)


def _refusal(error: VotingError, budget, projects, choices: dict[str, int], key: str) -> str:
    """What a refused change says; over budget with the amounts as the page writes them."""
    if getattr(error, "code", "") == "over_budget" and budget.ballot_format == BallotFormat.KNAPSACK:
        costs = selectors.costs(projects)
        spent = sum(costs.get(chosen, 0) for chosen in choices if chosen != key) + costs.get(key, 0)
        return selectors.over_budget_text(budget, spent)
    return error_text(error)


def _apply(request, budget, voter: Voter, choices: dict[str, int], wanted: dict[str, int],
           projects) -> tuple[dict[str, int], dict[str, str]]:
    """Change the draft towards ``wanted``, one project at a time: what is taken away or lowered first (so a
    swap fits), then what is added in ballot order. A refused change is reported beside its project."""
    errors: dict[str, str] = {}
    order = [str(project.pk) for project in projects]
    lower = [key for key in order if choices.get(key, 0) > wanted.get(key, 0)]
    higher = [key for key in order if wanted.get(key, 0) > choices.get(key, 0)]
    for key in lower + higher:
        try:
            choices = change_draft(actor=request.user, box=budget.box, key=key, points=wanted.get(key, 0),
                                   code=voter.code)
        except VotingError as error:
            errors[key] = _refusal(error, budget, projects, choices, key)
    return choices, errors


@require_http_methods(["GET", "POST"])
def ballot(request, slug: str):
    """The ballot as a plain form. "Opslaan" keeps the choices; "Opslaan en verder" goes on to the check."""
    budget = budget_or_404(slug)
    voter = voter_for(request, budget)
    if voter.refused:
        return cannot_vote(request, budget, voter)
    projects = selectors.ballot_projects(budget)
    choices = _draft(request, budget, voter)
    if choices is None:
        return _code_gone(request, budget)
    errors: dict[str, str] = {}
    general = ""
    if request.method == "POST":
        wanted, errors, forged = _wanted(request.POST, budget, projects)
        for key in errors:  # a number that could not be read leaves that project as it was
            wanted[key] = choices.get(key, 0)
        if forged:
            general = _("Een van de projecten staat niet op dit stembiljet. De andere keuzes zijn bewaard.")
        try:
            choices, refused = _apply(request, budget, voter, choices, wanted, projects)
        except PermissionDenied:
            return cannot_vote(request, budget, voter_for(request, budget))
        errors.update(refused)
        if not errors and not general:
            if request.POST.get("action") == "next":
                return redirect("voting:ballot_summary", slug=budget.slug)
            messages.success(request, _("Uw keuzes zijn bewaard."))
            return redirect("voting:ballot", slug=budget.slug)
    state = selectors.ballot_state(budget, projects, choices)
    items = ballot_items(budget, projects, choices=choices, notes=state.notes, limits=state.limits, errors=errors)
    return render(request, "voting/budgets/ballot.html", {
        "budget": budget, "items": items, "state": state, "general_error": general,
        "has_errors": bool(errors or general), "uses_code": voter.code is not None,
    }, status=400 if errors or general else 200)


@require_POST
def ballot_choice(request, slug: str):
    """One change of the ballot, from the page's script: ``project`` and ``points`` (0 takes it away).
    Answers with the whole draft, the progress and the notes; a refusal says why (400) and changes nothing."""
    budget = budget_or_404(slug)
    voter = voter_for(request, budget)
    if voter.refused:
        return JsonResponse({"error": voter.reason}, status=403)
    key = request.POST.get("project", "")
    points = request.POST.get("points", "")
    error, status = "", 200
    projects = selectors.ballot_projects(budget)
    if not key or len(key) > KEY_MAX or not points.strip().isdigit() or len(points) > 6:
        error, status = _("Deze keuze kunnen we niet lezen."), 400
        choices = _draft(request, budget, voter)
    else:
        try:
            choices = change_draft(actor=request.user, box=budget.box, key=key, points=int(points), code=voter.code)
        except VotingError as refusal:
            choices = _draft(request, budget, voter)
            error, status = _refusal(refusal, budget, projects, choices or {}, key), 400
        except PermissionDenied:
            return JsonResponse({"error": voter_for(request, budget).reason or _("U kunt nu niet stemmen.")},
                                status=403)
    if choices is None:
        return JsonResponse({"error": str(CODE_NOT_VALID)}, status=403)
    state = selectors.ballot_state(budget, projects, choices)
    return JsonResponse({**state.as_json(choices), "error": error, "project": key}, status=status)


@require_http_methods(["GET", "POST"])
def ballot_summary(request, slug: str):
    """The choices and their total, to check before casting. The key made here lets a second send of this
    same page (Back, then send again) be recognised as the same ballot."""
    budget = budget_or_404(slug)
    if request.method == "POST":
        return _cast(request, budget)
    voter = voter_for(request, budget)
    if voter.refused:
        return cannot_vote(request, budget, voter)
    projects = selectors.ballot_projects(budget)
    choices = _draft(request, budget, voter)
    if choices is None:
        return _code_gone(request, budget)
    try:
        clean_budget_choices(budget, choices, selectors.costs(projects))
    except VotingError as error:
        messages.error(request, error_text(error))
        return redirect("voting:ballot", slug=budget.slug)
    chosen = selectors.chosen_projects(projects, choices)
    return render(request, "voting/budgets/summary.html", {
        "budget": budget, "chosen": chosen, "state": selectors.ballot_state(budget, projects, choices),
        "key": uuid.uuid4().hex, "fields": [f"{project.pk}:{points}" for project, points in chosen],
        "total_cost": sum(project.cost for project, _points in chosen)})


def _cast(request, budget):
    box = budget.box
    key = request.POST.get("key", "")
    cast_before = request.session.get(CAST_KEY) or {}
    if key and cast_before.get(str(box.pk)) == key:  # this very page was sent before: counted already
        return _to_receipt(request, budget, key, receipt="")
    voter = voter_for(request, budget, check_voted=False)
    if voter.refused:
        return cannot_vote(request, budget, voter)
    choices = {}
    for field in request.POST.getlist("choice")[:MAX_ENTRIES + 1]:
        project, _sep, points = field.partition(":")
        choices[project] = points or 1
    try:
        cast = cast_ballot(actor=request.user, box=box, choices=choices, idempotency_key=key, code=voter.code)
    except VotingError as error:
        if error.code == "already_voted":
            return cannot_vote(request, budget, already_voted(budget))
        if error.code == "code_invalid":
            return _code_gone(request, budget)
        messages.error(request, error_text(error))
        return redirect("voting:ballot", slug=budget.slug)
    except PermissionDenied:
        return cannot_vote(request, budget, voter_for(request, budget))
    if voter.code is not None:
        forget_code(request, box)
    return _to_receipt(request, budget, key, receipt=cast.receipt or "")


def _to_receipt(request, budget, key: str, *, receipt: str):
    """Remember (in the session, until the receipt page shows it) the receipt, or "" for "counted before"."""
    box_key = str(budget.box.pk)
    request.session[CAST_KEY] = {**(request.session.get(CAST_KEY) or {}), box_key: key}
    request.session[RECEIPT_KEY] = {**(request.session.get(RECEIPT_KEY) or {}), box_key: receipt}
    return redirect("voting:receipt", slug=budget.slug)


@never_cache
def receipt(request, slug: str):
    """"Uw stem is geteld", with the receipt code once: it is in the session only until this page shows it."""
    budget = budget_or_404(slug)
    box_key = str(budget.box.pk)
    receipts = dict(request.session.get(RECEIPT_KEY) or {})
    if box_key in receipts:
        code = receipts.pop(box_key)
        request.session[RECEIPT_KEY] = receipts
        state = "counted" if code else "replayed"
    elif box_key in (request.session.get(CAST_KEY) or {}) or has_voted_in(request.user, budget.box):
        code, state = "", "voted"
    else:
        return redirect("voting:ballot", slug=budget.slug)
    return render(request, "voting/budgets/receipt.html", {
        "budget": budget, "receipt": code, "state": state, "check_url": optional_url("voting:check_receipt")})
