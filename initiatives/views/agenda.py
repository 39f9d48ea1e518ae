"""The village council's agenda: the threshold per kern, the open agenda items, the meeting date and the decision.

Thin views: the form checks the shape, the service decides and writes. Another kern's council gets 403 from the
rule (as on the moderation queue); an initiative the viewer may not see answers 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from community.models import Kern
from initiatives import selectors, services
from initiatives.forms import MeetingDateForm, OutcomeForm, ThresholdForm
from initiatives.views._common import error_messages, require, visible_or_404


@login_required
def support_threshold(request, kern: str):
    """The council of ``kern`` (or staff) sets how many supporters put an initiative on the council's agenda."""
    place = get_object_or_404(Kern.objects.select_related("support_threshold"), slug=kern)
    require(request.user, "initiatives.set_support_threshold", place,
            _("Alleen de dorpsraad van deze kern of een medewerker stelt de drempel in."))
    current = selectors.threshold_of(place)
    form = ThresholdForm(request.POST or None, initial={"supporters": current} if current else None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.set_support_threshold(actor=request.user, kern=place,
                                                    supporters=form.cleaned_data["supporters"])
        except ValidationError as error:
            form.add_error("supporters", error_messages(error))
        else:
            number = result.threshold.supporters
            messages.success(request, ngettext("De drempel voor %(kern)s is nu %(number)s steunbetuiging.",
                                               "De drempel voor %(kern)s is nu %(number)s steunbetuigingen.",
                                               number) % {"kern": place.name, "number": number})
            if result.placed:
                messages.info(request, ngettext(
                    "%(count)s initiatief heeft al genoeg steun en staat nu op de agenda.",
                    "%(count)s initiatieven hebben al genoeg steun en staan nu op de agenda.",
                    len(result.placed)) % {"count": len(result.placed)})
            return redirect(f"{reverse('initiatives:moderation_queue')}?kern={place.slug}")
    return render(request, "initiatives/support_threshold.html", {"kern": place, "current": current, "form": form},
                  status=400 if form.errors else 200)


@login_required
def council_agenda(request):
    """Open agenda items of the kernen whose council the viewer sits on (staff: all), with their two forms."""
    require(request.user, "initiatives.view_moderation_queue")
    kern = None
    if request.GET.get("kern"):
        kern = get_object_or_404(Kern, slug=request.GET["kern"])
        require(request.user, "community.moderate_kern", kern)
    items = list(selectors.council_agenda(user=request.user, kern=kern))
    return render(request, "initiatives/council_agenda.html", {
        "kern": kern,
        "items": [(item, MeetingDateForm(prefix_pk=item.initiative_id, initial={"meeting_date": item.meeting_date}),
                   OutcomeForm(prefix_pk=item.initiative_id)) for item in items],
    })


def _handled(request, pk: int):
    """The initiative if the viewer may see it (else 404). While its agenda item is open, only who may handle it
    gets further (else 403); otherwise the service answers with what the state is (nothing changes)."""
    initiative = visible_or_404(request.user, pk)
    item = initiative.agenda_item
    if item is not None and not item.is_decided:
        require(request.user, "initiatives.handle_agenda_item", initiative,
                _("Alleen de dorpsraad van de kern of een medewerker doet dit. Nooit bij uw eigen initiatief."))
    return initiative


def _back(request, initiative):
    """Back to where the form was: the agenda page, or the initiative's page."""
    if request.POST.get("from") == "page":
        return redirect(initiative.get_absolute_url() + "#dorpsraad")
    return redirect("initiatives:council_agenda")


@login_required
@require_POST
def schedule_agenda_item(request, pk: int):
    initiative = _handled(request, pk)
    form = MeetingDateForm(request.POST, prefix_pk=pk)
    if form.is_valid():
        try:
            item = services.schedule_agenda_item(actor=request.user, initiative=initiative,
                                                 meeting_date=form.cleaned_data["meeting_date"])
        except ValidationError as error:
            form.add_error("meeting_date" if getattr(error, "code", None) == "meeting_date" else None,
                           error_messages(error))
        else:
            from django.utils.formats import date_format

            messages.success(request, _("%(title)s staat op de agenda van de dorpsraad van %(date)s.") % {
                "title": initiative.title, "date": date_format(item.meeting_date, "j F Y")})
            return _back(request, initiative)
    return render(request, "initiatives/agenda_form.html",
                  {"initiative": initiative, "form": form, "action": "schedule"}, status=400)


@login_required
@require_POST
def record_agenda_outcome(request, pk: int):
    initiative = _handled(request, pk)
    form = OutcomeForm(request.POST, prefix_pk=pk)
    if form.is_valid():
        try:
            services.record_agenda_outcome(actor=request.user, initiative=initiative,
                                           outcome=form.cleaned_data["outcome"],
                                           text=form.cleaned_data["outcome_text"])
        except ValidationError as error:
            field = {"outcome": "outcome", "outcome_text": "outcome_text"}.get(getattr(error, "code", None))
            form.add_error(field, error_messages(error))
        else:
            messages.success(request,
                             _("Het besluit is opgeslagen. De initiatiefnemers en wie steunt krijgen bericht."))
            return _back(request, initiative)
    return render(request, "initiatives/agenda_form.html",
                  {"initiative": initiative, "form": form, "action": "outcome"}, status=400)
