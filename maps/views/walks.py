"""Walk pages: the list, one walk, planning, signing up, managing it, and its calendar file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.models import Kern
from core.errors import error_text
from core.permissions import may, require
from live.services import last_seq
from maps import calendar, selectors, services
from maps.forms import CancelForm, MoveForm, WalkForm, initial_walk_times
from maps.models import ObservationTheme, Walk, WalkState
from maps.rules import is_signed_up


def _walk_or_404(pk: int) -> Walk:
    walk = selectors.walk_with_counts(pk)
    if walk is None:
        raise Http404
    return walk


def walk_list(request):
    """Walks still to come (per kern with ``?kern=slug``), and the ones that were walked."""
    walks = Walk.objects.select_related("kern").order_by("starts_at")
    kern = None
    if request.GET.get("kern"):
        kern = get_object_or_404(Kern, slug=request.GET["kern"])
        walks = walks.filter(kern=kern)
    now = timezone.now()
    upcoming = list(walks.filter(state__in=[WalkState.PLANNED, WalkState.IN_PROGRESS], ends_at__gte=now)[:50])
    past = list(walks.exclude(pk__in=[w.pk for w in upcoming]).order_by("-starts_at")[:50])
    plannable = [k for k in Kern.objects.all() if may(request.user, "maps.plan_walk", k)] \
        if request.user.is_authenticated else []
    return render(request, "maps/walk_list.html", {"upcoming": upcoming, "past": past, "kern": kern,
                                                   "kernen": Kern.objects.all(), "plannable": plannable})


def walk_detail(request, pk: int):
    walk = _walk_or_404(pk)
    user = request.user
    can = {perm: may(user, f"maps.{perm}", walk) for perm in (
        "sign_up", "cancel_signup", "follow_walk_live", "observe", "change_walk", "run_walk", "triage",
        "view_walk_feedback")}
    return render(request, "maps/walk_detail.html", {
        "walk": walk, "can": can, "organisers": list(walk.organisers.all()),
        "observation_list": selectors.observation_list_html(request, walk, takes_part=can["follow_walk_live"]),
        "signed_up": bool(is_signed_up(user, walk)),
        "themes": [ObservationTheme(t).label for t in walk.themes if t in ObservationTheme.values],
        "last_seq": last_seq(walk.stream) if can["follow_walk_live"] else None,
    })


@login_required
def plan_walk(request):
    kern = get_object_or_404(Kern, slug=request.GET.get("kern") or request.POST.get("kern") or "")
    require(request.user, "maps.plan_walk", kern, _("Alleen de dorpsraad van deze kern en medewerkers plannen "
                                                    "een wijkschouw."))
    form = WalkForm(request.POST or None, initial=initial_walk_times())
    if request.method == "POST" and form.is_valid():
        try:
            walk = services.plan_walk(actor=request.user, kern=kern, **form.service_values())
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("De wijkschouw is gepland. Bewoners van %(kern)s krijgen bericht.")
                             % {"kern": kern.name})
            return redirect(walk)
    return render(request, "maps/walk_plan.html", {"form": form, "kern": kern})


def _post_action(request, walk, action, success: str, anchor: str = ""):
    try:
        action()
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, success)
    return redirect(walk.get_absolute_url() + (f"#{anchor}" if anchor else ""))


@login_required
@require_POST
def sign_up(request, pk: int):
    walk = _walk_or_404(pk)
    return _post_action(request, walk, lambda: services.sign_up(user=request.user, walk=walk),
                        _("U bent aangemeld. Zet de wijkschouw in uw agenda met de knop hieronder."), "meedoen")


@login_required
@require_POST
def cancel_signup(request, pk: int):
    walk = _walk_or_404(pk)
    return _post_action(request, walk, lambda: services.cancel_signup(user=request.user, walk=walk),
                        _("U bent afgemeld."), "meedoen")


@login_required
@require_POST
def start_walk(request, pk: int):
    walk = _walk_or_404(pk)
    return _post_action(request, walk, lambda: services.start_walk(actor=request.user, walk=walk),
                        _("De wijkschouw is begonnen. Waarnemingen komen nu live binnen."))


@login_required
@require_POST
def finish_walk(request, pk: int):
    walk = _walk_or_404(pk)
    return _post_action(request, walk, lambda: services.finish_walk(actor=request.user, walk=walk),
                        _("De wijkschouw is afgerond. De deelnemers krijgen de vraag hoe het was."))


@login_required
def manage_walk(request, pk: int):
    """Move the walk or call it off (the organisers, the kern's council, staff)."""
    walk = _walk_or_404(pk)
    require(request.user, "maps.change_walk", walk, _("Alleen de organisatoren veranderen deze wijkschouw."))
    local = timezone.localtime(walk.starts_at)
    move_form = MoveForm(request.POST if request.POST.get("action") == "move" else None, initial={
        "date": local.date(), "start_time": local.time(), "end_time": timezone.localtime(walk.ends_at).time(),
        "meeting_point": walk.meeting_point})
    cancel_form = CancelForm(request.POST if request.POST.get("action") == "cancel" else None)
    if request.method == "POST":
        form = move_form if request.POST.get("action") == "move" else cancel_form
        if form.is_valid():
            data = form.cleaned_data
            try:
                if form is move_form:
                    services.move_walk(actor=request.user, walk=walk, starts_at=data["starts_at"],
                                       ends_at=data["ends_at"], meeting_point=data["meeting_point"])
                    messages.success(request, _("De wijkschouw is verplaatst. Iedereen die is aangemeld, krijgt "
                                                "bericht."))
                else:
                    services.cancel_walk(actor=request.user, walk=walk, reason=data["reason"])
                    messages.success(request, _("De wijkschouw is afgelast. Iedereen die is aangemeld, krijgt "
                                                "bericht."))
            except ValidationError as error:
                form.add_error(None, error_text(error))
            else:
                return redirect(walk)
    return render(request, "maps/walk_manage.html", {"walk": walk, "move_form": move_form,
                                                      "cancel_form": cancel_form})


def walk_ics(request, pk: int):
    """The walk as an iCalendar file for the resident's own agenda."""
    walk = _walk_or_404(pk)
    response = HttpResponse(calendar.walk_calendar(walk, url=request.build_absolute_uri(walk.get_absolute_url())),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="wijkschouw-{walk.pk}.ics"'
    return response
