"""Triage after the walk: every observation on a map and in a list; decide, merge, correct (council and staff)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.selectors import council_of
from core.errors import error_text
from core.permissions import require, visible_or_404
from maps import selectors, services
from maps.forms import CorrectForm, MergeForm, TriageForm
from maps.views.walks import _walk_or_404

REFUSED = _("Alleen de dorpsraad van deze kern en medewerkers beoordelen de waarnemingen.")


def _observations(walk):
    return list(walk.observations.select_related("author", "merged_into", "report").prefetch_related("photos")
                .order_by("state", "observed_at", "pk"))


def _people(walk, observations) -> list:
    """Who a draft initiative may be offered to: the observers and the kern's council."""
    people = {o.author for o in observations if o.author is not None}
    people |= set(council_of(walk.kern_id))
    return sorted(people, key=lambda person: person.display_name)


@login_required
def triage(request, pk: int):
    walk = _walk_or_404(pk)
    require(request.user, "maps.triage", walk, REFUSED)
    observations = _observations(walk)
    open_ones = [o for o in observations if o.state in ("new", "no_action", "praise")]
    return render(request, "maps/triage.html", {
        "walk": walk, "observations": observations, "counts": _counts(observations),
        "triage_form": TriageForm(observations=open_ones, people=_people(walk, observations)),
        "merge_form": MergeForm(observations=[o for o in observations if o.state != "merged"]),
    })


def _counts(observations) -> dict:
    counts: dict[str, int] = {}
    for observation in observations:
        counts[observation.state] = counts.get(observation.state, 0) + 1
    return counts


@login_required
@require_POST
def decide(request, pk: int):
    walk = _walk_or_404(pk)
    require(request.user, "maps.triage", walk, REFUSED)
    observations = _observations(walk)
    form = TriageForm(request.POST, observations=observations, people=_people(walk, observations))
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("maps:triage", pk=walk.pk)
    data = form.cleaned_data
    offer_to = next((p for p in _people(walk, observations) if p.pk == data.get("offer_to")), None)
    try:
        decided = services.decide(actor=request.user, observations=data["observations"], decision=data["decision"],
                                  reason=data["reason"], offer_to=offer_to)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Besluit vastgelegd voor %(n)s waarneming(en). De waarnemers krijgen bericht.")
                         % {"n": len(decided)})
    return redirect("maps:triage", pk=walk.pk)


@login_required
@require_POST
def merge(request, pk: int):
    walk = _walk_or_404(pk)
    require(request.user, "maps.triage", walk, REFUSED)
    form = MergeForm(request.POST, observations=_observations(walk))
    if form.is_valid():
        try:
            services.merge(actor=request.user, survivor=form.cleaned_data["survivor"],
                           duplicates=form.cleaned_data["duplicates"], reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("De waarnemingen zijn samengevoegd."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("maps:triage", pk=walk.pk)


@login_required
def correct(request, pk: int):
    queryset = selectors.visible_observations(request.user).select_related("walk__kern", "author")
    observation = visible_or_404(request.user, "maps.view_observation", queryset, pk=pk)
    require(request.user, "maps.triage", observation, REFUSED)
    form = CorrectForm(request.POST or None, initial={
        "theme": observation.theme, "address": observation.address, "latitude": observation.latitude,
        "longitude": observation.longitude})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.correct(actor=request.user, observation=observation, reason=data["reason"], theme=data["theme"],
                             address=data["address"], latitude=data["latitude"], longitude=data["longitude"])
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("De waarneming is gecorrigeerd."))
            return redirect(reverse("maps:triage", kwargs={"pk": observation.walk_id}))
    return render(request, "maps/correct.html", {"observation": observation, "walk": observation.walk,
                                                 "form": form})


def _report_of(request, pk: int):
    from maps.models import MunicipalReport

    queryset = selectors.visible_observations(request.user).select_related("walk__kern", "report")
    observation = visible_or_404(request.user, "maps.view_observation", queryset, pk=pk)
    try:
        return observation, observation.report
    except MunicipalReport.DoesNotExist:
        raise Http404 from None


@login_required
@require_POST
def retry_report(request, pk: int):
    """Send a failed or uncertain melding again (after checking the municipality's system does not have it)."""
    from maps.handoff.outbox import retry_report as retry

    observation, report = _report_of(request, pk)
    try:
        retry(report=report, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("De melding wordt opnieuw verstuurd."))
    return redirect(observation)


@login_required
@require_POST
def link_report(request, pk: int):
    """The melding was found in the municipality's system: record its number, so nothing is sent again."""
    from maps.handoff.outbox import link_report as link

    observation, report = _report_of(request, pk)
    try:
        link(report=report, actor=request.user, number=request.POST.get("number", ""))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Het meldingnummer is vastgelegd."))
    return redirect(observation)
