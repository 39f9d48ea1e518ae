"""The public workshop pages: the list, one workshop (with the join code and, for its facilitators, a QR code),
and planning a new one."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.models import Kern
from core.errors import error_text
from core.permissions import may, require
from lab.forms import PlanWorkshopForm, initial_plan
from lab.models import Participant, Workshop, WorkshopState
from lab.workshops import services
from lab.workshops.services.journeys import plan_from_journey
from lab.workshops.services.journeys import save_as_template as save_workshop_as_template
from lab.workshops.services.workshops import PLANNERS_ONLY
from lab.workshops.views._common import at, seat_of
from live.services import last_seq

LIST_LIMIT = 50


def workshop_list(request):
    """Workshops still to come and the ones that took place; per kern with ``?kern=slug`` (``?kern=gemeente``:
    the ones for the whole municipality)."""
    workshops = Workshop.objects.select_related("kern").order_by("starts_at")
    kern, whole = None, request.GET.get("kern") == "gemeente"
    if whole:
        workshops = workshops.filter(kern__isnull=True)
    elif request.GET.get("kern"):
        kern = get_object_or_404(Kern, slug=request.GET["kern"])
        workshops = workshops.filter(kern=kern)
    now = timezone.now()
    upcoming = list(workshops.exclude(state=WorkshopState.ENDED).filter(ends_at__gte=now)[:LIST_LIMIT])
    past = list(workshops.exclude(pk__in=[w.pk for w in upcoming]).order_by("-starts_at")[:LIST_LIMIT])
    return render(request, "lab/workshops/list.html", {
        "upcoming": upcoming, "past": past, "kern": kern, "whole": whole, "kernen": Kern.objects.order_by("name"),
        "can_plan": may(request.user, "lab.plan_workshop")})


def _join_url(request, workshop: Workshop) -> str:
    return request.build_absolute_uri(reverse("lab:join")) + f"?code={workshop.join_code}"


def join_qr_svg(url: str, title: str) -> str:
    """The join link as an inline SVG QR code, drawn on the server (no script, no outside service)."""
    svg = segno.make(url, error="m").svg_inline(scale=8, border=2, dark="#000", light="#fff", title=title,
                                                svgclass="join-qr__code")
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)


def workshop_detail(request, pk: int):
    facilitators = Prefetch("facilitators", queryset=get_user_model().objects.select_related("staff_profile__photo")
                            .order_by("first_name", "pk"))
    workshop = (Workshop.objects.select_related("kern").prefetch_related(facilitators, "personas")
                .filter(pk=pk).first())
    if workshop is None or not may(request.user, "lab.view_workshop", workshop):
        raise Http404
    people = list(workshop.facilitators.all())
    workshop._facilitator_ids = frozenset(person.pk for person in people)  # the rule's cache: no second query
    seat = seat_of(request, workshop)
    place = at(seat, workshop)
    can = {perm: may(request.user, f"lab.{perm}", place) for perm in (
        "run_workshop", "view_board", "view_results", "join_workshop", "change_workshop", "save_template")}
    open_for_joining = workshop.state in (WorkshopState.PLANNED, WorkshopState.OPEN)
    context = {"workshop": workshop, "facilitators": people, "personas": list(workshop.personas.all()),
               "can": can, "seat": seat,
               "open_for_joining": open_for_joining, "join_url": _join_url(request, workshop)}
    if can["run_workshop"]:
        context["participants"] = list(Participant.objects.filter(workshop=workshop).select_related("user"))
        context["ws_path"] = f"/ws/werksessie/{workshop.pk}/"
        context["last_seq"] = last_seq(services.stream_of(workshop))
        if open_for_joining:
            context["qr_svg"] = join_qr_svg(context["join_url"], _("QR-code om mee te doen"))
    return render(request, "lab/workshops/detail.html", context)


@login_required
def plan_workshop(request):
    require(request.user, "lab.plan_workshop", None, PLANNERS_ONLY)
    bound = request.method == "POST"
    chosen = request.GET.get("sjabloon", "")  # "Plan met dit sjabloon" on the templates page
    form = PlanWorkshopForm(request.POST if bound else None, request.FILES if bound else None,
                            initial={**initial_plan(), **({"template": chosen} if chosen.isdigit() else {})})
    if bound and form.is_valid():
        journey = form.journey()
        try:
            if journey is None:
                workshop = services.plan_workshop(actor=request.user, **form.service_values())
            else:
                workshop = plan_from_journey(actor=request.user, data=journey, **form.journey_values())
        except ValidationError as error:
            if getattr(error, "code", None) == "invalid_journey":
                form.add_error("journey_file" if form.cleaned_data.get("journey_file") else "template",
                               _("Dit is geen klantreis die Samenlab kent. %(reason)s") % {"reason": error_text(error)})
            else:
                form.add_error(None, error_text(error))
        else:
            messages.success(request, _("De werksessie is gepland. Deel de code met de deelnemers."))
            return redirect("lab:workshop", pk=workshop.pk)
    return render(request, "lab/workshops/plan.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
def save_as_template(request, pk: int):
    """Keep this workshop's journey as a template (its facilitators and staff); others get 403."""
    workshop = get_object_or_404(Workshop, pk=pk)
    try:
        template = save_workshop_as_template(actor=request.user, workshop=workshop,
                                             title=request.POST.get("title", ""))
    except ValidationError as error:
        messages.error(request, error_text(error))
    except ValueError as error:  # the export does not fit the journey format (validate_journey's reason)
        messages.error(request, str(error))
    else:
        messages.success(request, _("De klantreis is bewaard als sjabloon “%(title)s”. U kunt er nu een nieuwe "
                                    "werksessie mee plannen.") % {"title": template.title})
    return redirect("lab:workshop", pk=workshop.pk)
