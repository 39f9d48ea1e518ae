"""What comes out of a workshop: the exports, the facilitator's summary, what happens with each idea, and
"Hoe was deze bijeenkomst?" for a seat without an account. Thin views: a rule, one service, a response."""

from __future__ import annotations

import json

from django import forms
from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.permissions import may, require
from lab.models import Card, FollowUpStatus, IdeaFollowUp, Participant, ResultsVisibility
from lab.workshops import exports, services
from lab.workshops.journey_json import SCHEMA, journey_and_cards
from lab.workshops.seats import At
from lab.workshops.services.feedback import feedback_link
from lab.workshops.services.follow_up import change_follow_up, follow_up_as_action, follow_up_as_initiative
from lab.workshops.views._common import post_action, seat_of, workshop_or_404

# name: (media type, render(journey, lane, photos)); ``photos`` (the shared cards' photos, in the journey's order)
# go to the PDFs only: the JSON, the CSV and the picture of the map carry none.
EXPORTS = {
    "poster.pdf": ("application/pdf", lambda journey, lane, photos: exports.poster_pdf(journey, photos=photos)),
    "verslag.pdf": ("application/pdf", lambda journey, lane, photos: exports.report_pdf(journey, photos=photos)),
    "kaart.png": ("image/png", lambda journey, lane, photos: exports.map_png(journey)),
    "kaartjes.csv": ("text/csv; charset=utf-8", lambda journey, lane, photos: exports.lane_csv(journey, lane)),
    "klantreis.json": ("application/json", lambda journey, lane, photos: json.dumps(journey, ensure_ascii=False,
                                                                                    indent=2).encode()),
}


def _results_place(request, pk: int):
    workshop = workshop_or_404(pk)
    place = At(seat_of(request, workshop), workshop)
    if not may(request.user, "lab.view_results", place):
        raise Http404
    return workshop, place


def render_export(workshop, name: str, *, with_dots: bool, lane: int | None = None) -> HttpResponse:
    """One export of ``workshop`` as a download (its bytes, media type and file name), shared by the page and the
    API. ``lane``: one lane of ``kaartjes.csv`` by its position. Http404 for an unknown name or lane.
    Precondition: the viewer may ``lab.view_results``; ``with_dots`` is whether they may ``lab.view_votes``."""
    if name not in EXPORTS:
        raise Http404
    journey, cards = journey_and_cards(workshop, with_dots=with_dots)
    if name != "kaartjes.csv":
        lane = None
    if lane is not None and not 0 <= lane < len(journey["lanes"]):
        raise Http404
    content_type, render_file = EXPORTS[name]
    photos = exports.card_photos(cards)  # of the shared cards only, beside the journey: never in its JSON
    response = HttpResponse(render_file(journey, lane, photos), content_type=content_type)
    stem = f"werksessie-{workshop.pk}"
    suffix = f"-rij-{lane + 1}" if lane is not None else ""
    response["Content-Disposition"] = f'attachment; filename="{stem}-{name.replace(".", suffix + ".", 1)}"'
    return response


def export(request, pk: int, name: str):
    """One export of the results; ``kaartjes.csv?rij=<n>``: one lane (by its position)."""
    if name not in EXPORTS:
        raise Http404
    workshop, place = _results_place(request, pk)
    lane = None
    if name == "kaartjes.csv" and request.GET.get("rij", "") != "":
        try:
            lane = int(request.GET["rij"])
        except ValueError:
            raise Http404 from None
    return render_export(workshop, name, with_dots=may(request.user, "lab.view_votes", place), lane=lane)


def journey_schema(request):
    """The documented format of ``klantreis.json`` (JSON Schema)."""
    return HttpResponse(json.dumps(SCHEMA, indent=2), content_type="application/schema+json")


class SummaryForm(forms.Form):
    summary = forms.CharField(label=gettext_lazy("Samenvatting"), widget=forms.Textarea(attrs={"rows": 5}),
                              max_length=5000, required=False)
    results_visibility = forms.ChoiceField(label=gettext_lazy("Wie ziet de resultaten?"),
                                           choices=ResultsVisibility.choices, widget=forms.RadioSelect)


@require_POST
def write_summary(request, pk: int):
    workshop = workshop_or_404(pk)
    form = SummaryForm(request.POST)
    back = reverse("lab:results", args=[pk])
    if not form.is_valid():
        return redirect(back)
    return post_action(request, lambda: services.write_summary(
        actor=request.user, workshop=workshop, summary=form.cleaned_data["summary"],
        results_visibility=form.cleaned_data["results_visibility"]), _("De samenvatting is bewaard."), back)


class FollowUpForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("Wat gebeurt er met dit idee?"), widget=forms.RadioSelect,
                                choices=[("initiative", gettext_lazy("Het wordt een initiatief van een inwoner")),
                                         ("action", gettext_lazy("Het wordt een actie van de gemeente"))])
    carrier = forms.ModelChoiceField(label=gettext_lazy("Voor wie is het concept-initiatief?"), required=False,
                                     queryset=get_user_model().objects.none())
    owner = forms.ModelChoiceField(label=gettext_lazy("Wie van de gemeente is eigenaar?"), required=False,
                                   queryset=get_user_model().objects.filter(is_staff=True, is_active=True))
    title = forms.CharField(label=gettext_lazy("Wat gaat de gemeente doen?"), max_length=200, required=False)
    note = forms.CharField(label=gettext_lazy("Toelichting"), widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=2000, required=False)

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        people = Participant.objects.filter(workshop=workshop, user__isnull=False, anonymous=False)
        self.fields["carrier"].queryset = get_user_model().objects.filter(
            pk__in=people.values("user_id")).order_by("first_name")
        self.fields["carrier"].label_from_instance = lambda user: user.get_full_name() or user.first_name
        self.fields["owner"].label_from_instance = lambda user: user.get_full_name() or user.email


def follow_up(request, pk: int, card_id: int):
    """Decide what happens with one idea or pain point (facilitators and staff)."""
    workshop = workshop_or_404(pk)
    card = get_object_or_404(Card.objects.select_related("lane", "workshop", "author__user"), pk=card_id,
                             workshop=workshop)
    require(request.user, "lab.follow_up_idea", card, _("Alleen de begeleiders en medewerkers beslissen wat er "
                                                         "met een idee gebeurt."))
    initial = {"outcome": "initiative"}
    if card.author_id and card.author.user_id and not card.author.anonymous:
        initial["carrier"] = card.author.user_id
    form = FollowUpForm(request.POST or None, workshop=workshop, initial=initial)
    back = reverse("lab:results", args=[pk])
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        if values["outcome"] == "initiative":
            carrier = values["carrier"] or request.user
            return post_action(request, lambda: follow_up_as_initiative(actor=request.user, card=card,
                                                                       offer_to=carrier),
                               _("Het concept-initiatief staat klaar. De deelnemers krijgen bericht."), back)
        return post_action(request, lambda: follow_up_as_action(
            actor=request.user, card=card, owner=values["owner"], title=values["title"], note=values["note"]),
            _("De actie is vastgelegd. De deelnemers krijgen bericht."), back)
    return render(request, "lab/workshops/follow_up.html", {"workshop": workshop, "card": card, "form": form},
                  status=400 if form.errors else 200)


@require_POST
def change_status(request, pk: int, follow_up_id: int):
    found = get_object_or_404(IdeaFollowUp.objects.select_related("card"), pk=follow_up_id, card__workshop_id=pk)
    status = request.POST.get("status", "")
    if status not in FollowUpStatus.values:
        status = "invalid"  # the service refuses it with a message
    return post_action(request, lambda: change_follow_up(actor=request.user, follow_up=found, status=status,
                                                          note=request.POST.get("note", "")),
                       _("De stand is bijgewerkt. De deelnemers krijgen bericht."),
                       reverse("lab:results", args=[pk]))


@require_POST
def feedback(request, pk: int):
    """"Hoe was deze bijeenkomst?": a signed-in participant goes to their own form; a seat without an account gets
    a fresh one-time link (one answer per seat)."""
    workshop = workshop_or_404(pk)
    seat = seat_of(request, workshop)
    if seat is None or workshop.state != "ended":
        raise Http404
    if seat.user_id:
        return redirect("lab:feedback_answer", kind="workshop", object_id=workshop.pk)
    link = feedback_link(seat)
    return redirect(link or reverse("lab:feedback_thanks"))
