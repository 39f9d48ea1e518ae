"""The facilitator's controls (rule ``lab.run_workshop``): phases, reveal, timer, spotlight, "bring everyone to
this stage", locks, the vote result, the end; and moving, merging and grouping one card. Thin: each control is
one service call; a refusal becomes a message and changes nothing."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.permissions import Refused, may
from lab.forms import ControlForm, ManageCardForm
from lab.models import Card, Lane, Phase, Stage
from lab.workshops import services
from lab.workshops.seats import At
from lab.workshops.views._common import board_url, post_action, seat_of, workshop_or_404

ONLY_FACILITATORS = gettext_lazy("Alleen de begeleiders bedienen de werksessie.")


def _running(request, pk: int):
    workshop = workshop_or_404(pk)
    seat = seat_of(request, workshop)
    if not may(request.user, "lab.run_workshop", At(seat, workshop)):
        raise Refused(ONLY_FACILITATORS)
    return workshop


def _stage(workshop, pk):
    return Stage.objects.filter(pk=pk, workshop=workshop).first() if pk else None


def _lane(workshop, pk):
    return Lane.objects.filter(pk=pk, workshop=workshop).first() if pk else None


def _missing(what: str):
    raise services.WorkshopError(what)


PHASE_DONE = {
    Phase.BRAINSTORM: _("Stil bedenken is begonnen."), Phase.SHARE: _("Delen is begonnen."),
    Phase.VOTE: _("Stippen zetten is begonnen."), Phase.DISCUSS: _("Bespreken is begonnen."),
}


def _controls(request, workshop, data) -> dict:
    """Each control: (what it does, what it says when done)."""
    actor = request.user
    stage, lane = _stage(workshop, data.get("stage")), _lane(workshop, data.get("lane"))
    minutes = data.get("minutes")
    return {
        "open": (lambda: services.open_workshop(actor=actor, workshop=workshop),
                 _("De werksessie is begonnen. Deelnemers kunnen nu kaartjes schrijven.")),
        "phase": (lambda: services.set_phase(actor=actor, workshop=workshop, phase=data.get("phase") or ""),
                  PHASE_DONE.get(data.get("phase"), "")),
        "reveal": (lambda: services.reveal(actor=actor, workshop=workshop),
                   _("Alle kaartjes zijn nu voor iedereen te zien.")),
        "timer": (lambda: services.start_timer(actor=actor, workshop=workshop, seconds=int(minutes or 0) * 60)
                  if minutes else _missing(_("Kies een aantal minuten.")),
                  _("De tijd loopt.")),
        "stop_timer": (lambda: services.stop_timer(actor=actor, workshop=workshop), _("De tijd is gestopt.")),
        "spotlight_off": (lambda: services.spotlight(actor=actor, workshop=workshop, card=None),
                          _("De schijnwerper is uit.")),
        "bring": (lambda: services.bring_to_stage(actor=actor, workshop=workshop, stage=stage),
                  _("Iedereen ziet nu deze fase.") if stage else _("Iedereen kiest weer zelf een fase.")),
        "lock_board": (lambda: services.lock_board(actor=actor, workshop=workshop, locked=True),
                       _("Het bord is op slot.")),
        "unlock_board": (lambda: services.lock_board(actor=actor, workshop=workshop, locked=False),
                         _("Het bord is weer open.")),
        "lock_lane": (lambda: services.lock_lane(actor=actor, lane=lane, locked=True) if lane
                      else _missing(_("Kies een rij.")), _("De rij is op slot.")),
        "unlock_lane": (lambda: services.lock_lane(actor=actor, lane=lane, locked=False) if lane
                        else _missing(_("Kies een rij.")), _("De rij is weer open.")),
        "show_votes": (lambda: services.show_votes(actor=actor, workshop=workshop),
                       _("Iedereen ziet nu hoeveel stippen elk kaartje heeft.")),
        "end": (lambda: services.end_workshop(actor=actor, workshop=workshop),
                _("De werksessie is afgelopen. Het bord kan niet meer veranderen.")),
        "add_stage": (lambda: services.add_stage(actor=actor, workshop=workshop, title=data.get("title") or ""),
                      _("De fase is toegevoegd.")),
        "add_lane": (lambda: services.add_lane(actor=actor, workshop=workshop, title=data.get("title") or ""),
                     _("De rij is toegevoegd.")),
    }


@require_POST
def control(request, pk: int):
    workshop = _running(request, pk)
    form = ControlForm(request.POST)
    back = board_url(workshop, stage_id=request.POST.get("fase") or None, anchor="begeleiden")
    if not form.is_valid():
        return post_action(request, lambda: _missing(_("Dat kan de begeleider hier niet doen. Kijk de invoer na.")),
                           "", back)
    action, success = _controls(request, workshop, form.cleaned_data)[form.cleaned_data["action"]]
    return post_action(request, action, success, back)


def manage_card(request, pk: int, card_id: int):
    """Move one card to another cell, merge it into a card that says the same, give it a group, or spotlight it."""
    workshop = _running(request, pk)
    card = Card.objects.select_related("stage", "lane", "author__user").filter(
        pk=card_id, workshop=workshop, merged_into__isnull=True).first()
    if card is None:
        raise Http404
    stages, lanes = list(Stage.objects.filter(workshop=workshop)), list(Lane.objects.filter(workshop=workshop))
    others = list(Card.objects.filter(workshop=workshop, lane=card.lane_id, merged_into__isnull=True,
                                      private=False).exclude(pk=card.pk).select_related("stage")[:200])
    if request.method == "POST":
        form = ManageCardForm(request.POST)
        back = board_url(workshop, stage_id=card.stage_id, anchor=f"kaartje-{card.pk}")
        if not form.is_valid():
            return post_action(request, lambda: _missing(_("Kijk de invoer na.")), "", back)
        data, actor = form.cleaned_data, request.user
        into = next((other for other in others if other.pk == data.get("into")), None)
        actions = {
            "move": (lambda: services.move_card(actor=actor, card=card, stage=_stage(workshop, data.get("stage")),
                                                lane=_lane(workshop, data.get("lane")))
                     if _stage(workshop, data.get("stage")) and _lane(workshop, data.get("lane"))
                     else _missing(_("Kies een fase en een rij.")), _("Het kaartje is verplaatst.")),
            "merge": (lambda: services.merge_cards(actor=actor, survivor=into, duplicates=[card]) if into
                      else _missing(_("Kies het kaartje dat hetzelfde zegt.")),
                      _("De kaartjes zijn samengevoegd.")),
            "group": (lambda: services.group_cards(actor=actor, cards=[card], label=data.get("label") or ""),
                      _("De groep is bewaard.")),
            "spotlight": (lambda: services.spotlight(actor=actor, workshop=workshop, card=card),
                          _("Iedereen ziet dit kaartje nu groot.")),
        }
        action, success = actions[data["action"]]
        return post_action(request, action, success, back)
    return render(request, "lab/workshops/manage_card.html", {
        "workshop": workshop, "card": card, "stages": stages, "lanes": lanes, "others": others,
        "back": board_url(workshop, stage_id=card.stage_id, anchor=f"kaartje-{card.pk}")})
