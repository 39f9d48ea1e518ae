"""The board: the page (a grid on a wide screen, one stage at a time on a phone, a text view as a document), one
card as HTML for the live script, and the forms participants post: cards, feelings, dots."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.permissions import Refused, may
from lab.forms import SCORES, CardForm, CardTextForm, DotForm, FeelingForm
from lab.models import Card, Dot, FeelingKind, Lane, Phase, Stage, WorkshopState
from lab.workshops import services
from lab.workshops.seats import At
from lab.workshops.views._board import build_board, card_view, dot_totals, tidy
from lab.workshops.views._common import board_url, post_action, seat_of, wants_fragment, workshop_or_404

NOT_ON_BOARD = gettext_lazy("U doet niet mee aan deze werksessie. Doe mee met de code van zes cijfers.")


def _on_board(request, pk: int, *related: str, with_board: bool = False):
    """The workshop and the request's seat, if the rule lets the request see the board; else 403."""
    workshop = workshop_or_404(pk, *related)
    seat = seat_of(request, workshop, with_board=with_board)
    if not may(request.user, "lab.view_board", At(seat, workshop)):
        raise Refused(NOT_ON_BOARD, back_url=reverse("lab:join"), back_label=_("Meedoen met een code"))
    return workshop, seat


def board(request, pk: int):
    workshop, seat = _on_board(request, pk, with_board=True)
    as_text = bool(request.GET.get("tekst"))
    view = build_board(request, workshop, seat, stage_id=request.GET.get("fase"), as_html=not as_text)
    template = "lab/workshops/board_text.html" if as_text else "lab/workshops/board.html"
    return render(request, template, {
        "workshop": workshop, "board": view, "seat": seat, "feelings": FeelingKind.choices, "scores": SCORES,
        "phases": Phase.choices,
        "ws_path": f"/ws/werksessie/{workshop.pk}/",
        "fragment_url": reverse("lab:board_card", args=[workshop.pk, 0])})


def _card_or_404(workshop, card_id: int) -> Card:
    card = Card.objects.select_related("author__user", "lane", "stage").filter(
        pk=card_id, workshop=workshop, merged_into__isnull=True).first()
    if card is None:
        raise Http404
    card.workshop = card.lane.workshop = card.stage.workshop = workshop
    return card


def _render_card(request, workshop, seat, card: Card, status: int = 200) -> HttpResponse:
    place = At(seat, workshop)
    can_run = may(request.user, "lab.run_workshop", place)
    votes = None
    if may(request.user, "lab.view_votes", place):
        votes = dot_totals(workshop).get(card.pk, 0)
    my_dots = list(Dot.objects.filter(participant=seat, card=card).values_list("pk", flat=True)) if seat else []
    voting = workshop.phase == Phase.VOTE and workshop.state == WorkshopState.OPEN
    view = card_view(request.user, seat, card, can_run=can_run, voting=voting, my_dots=my_dots, votes=votes)
    html = tidy(render_to_string("lab/workshops/_card.html", {"item": view}, request=request))
    return HttpResponse(html, status=status)


def card_fragment(request, pk: int, card_id: int):
    """One card as the viewer may see it (a private card of someone else as a placeholder)."""
    workshop, seat = _on_board(request, pk)
    return _render_card(request, workshop, seat, _card_or_404(workshop, card_id))


@require_POST
def add_card(request, pk: int):
    workshop, seat = _on_board(request, pk)
    form = CardForm(request.POST, request.FILES)
    if not form.is_valid():
        error = " ".join(" ".join(errors) for errors in form.errors.values())
        return post_action(request, lambda: _raise(error), "", board_url(workshop))
    data = form.cleaned_data
    stage = Stage.objects.filter(pk=data["stage"], workshop=workshop).first()
    lane = Lane.objects.filter(pk=data["lane"], workshop=workshop).first()
    back = board_url(workshop, stage_id=data["stage"], anchor=f"cel-{data['stage']}-{data['lane']}")
    if stage is None or lane is None:
        return post_action(request, lambda: _raise(_("Die plek hoort niet bij deze werksessie.")), "", back)
    stage.workshop = lane.workshop = workshop
    made = {}

    def action():
        made["card"], _created = services.add_card(actor=request.user, participant=seat, stage=stage, lane=lane,
                                                   text=data["text"], client_id=data["client_id"],
                                                   image=data["photo"], photo_alt=data["photo_alt"])

    response = post_action(request, action, _("Uw kaartje staat op het bord."), back)
    if "card" in made and wants_fragment(request):
        card = _card_or_404(workshop, made["card"].pk)
        return _render_card(request, workshop, seat, card, status=201)
    return response


def _raise(message: str):
    raise services.WorkshopError(message)


@require_POST
def edit_card(request, pk: int, card_id: int):
    workshop, seat = _on_board(request, pk)
    card = _card_or_404(workshop, card_id)
    form = CardTextForm(request.POST, request.FILES)
    back = board_url(workshop, stage_id=card.stage_id, anchor=f"kaartje-{card.pk}")

    def action():
        if not form.is_valid() and set(form.errors) - {"text"}:  # a bad photo; the service judges the text
            _raise(" ".join(" ".join(errors) for errors in form.errors.values()))
        if not form.is_valid():
            return services.edit_card(actor=request.user, participant=seat, card=card,
                                      text=request.POST.get("text", ""))
        return services.edit_card(actor=request.user, participant=seat, card=card, text=form.cleaned_data["text"],
                           **form.photo_changes())

    response = post_action(request, action, _("Het kaartje is gewijzigd."), back)
    if wants_fragment(request) and response.status_code == 200:
        return _render_card(request, workshop, seat, _card_or_404(workshop, card_id))
    return response


@require_POST
def remove_card(request, pk: int, card_id: int):
    workshop, seat = _on_board(request, pk)
    card = _card_or_404(workshop, card_id)
    back = board_url(workshop, stage_id=card.stage_id, anchor=f"cel-{card.stage_id}-{card.lane_id}")
    return post_action(request, lambda: services.remove_card(actor=request.user, participant=seat, card=card),
                       _("Het kaartje is weggehaald."), back)


def _seat_required(seat):
    if seat is None:
        raise PermissionDenied(NOT_ON_BOARD)
    return seat


@require_POST
def place_dot(request, pk: int, card_id: int):
    workshop, seat = _on_board(request, pk)
    card = _card_or_404(workshop, card_id)
    form = DotForm(request.POST)
    client_id = form.cleaned_data["client_id"] if form.is_valid() else None
    back = board_url(workshop, stage_id=card.stage_id, anchor=f"kaartje-{card.pk}")
    return post_action(request, lambda: services.place_dot(actor=request.user, participant=_seat_required(seat),
                                                           card=card, client_id=client_id),
                       _("Uw stip staat op het kaartje."), back)


@require_POST
def remove_dot(request, pk: int, dot_id: int):
    workshop, seat = _on_board(request, pk)
    dot = Dot.objects.filter(pk=dot_id, card__workshop=workshop).select_related("card").first()
    if dot is None:
        raise Http404
    back = board_url(workshop, stage_id=dot.card.stage_id, anchor=f"kaartje-{dot.card_id}")
    return post_action(request, lambda: services.remove_dot(actor=request.user, participant=_seat_required(seat),
                                                            dot=dot), _("Uw stip is weggehaald."), back)


@require_POST
def set_feeling(request, pk: int):
    workshop, seat = _on_board(request, pk)
    form = FeelingForm(request.POST)
    stage = None
    if form.is_valid():
        stage = Stage.objects.filter(pk=form.cleaned_data["stage"], workshop=workshop).first()
    back = board_url(workshop, stage_id=stage.pk if stage else None, anchor=f"gevoel-{stage.pk}" if stage else "")

    def action():
        if stage is None:
            _raise(" ".join(form.non_field_errors()) or _("Kies hoe de persoon zich voelt."))
        stage.workshop = workshop
        for kind in FeelingKind.values:
            score = form.cleaned_data.get(kind)
            if score not in (None, ""):
                services.set_feeling(actor=request.user, participant=_seat_required(seat), stage=stage,
                                     score=int(score), kind=kind)

    return post_action(request, action, _("Uw gevoel is bewaard."), back)
