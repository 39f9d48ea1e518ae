"""The results of a workshop (rule ``lab.view_results``): the journey map, the curves, the top pain points and
ideas by dots (only once shown, ``lab.view_votes``), and the facilitator's summary."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from core.permissions import may
from lab.models import Card, FeelingKind, FollowUpStatus, IdeaFollowUp, Lane, LaneKind, Stage
from lab.workshops.seats import At
from lab.workshops.views._board import StageView, _feelings, curve_drawing, dot_totals
from lab.workshops.views._common import seat_of, workshop_or_404
from lab.workshops.views.outcomes import SummaryForm

TOP = 5


def results(request, pk: int):
    workshop = workshop_or_404(pk)
    seat = seat_of(request, workshop)
    place = At(seat, workshop)
    if not may(request.user, "lab.view_results", place):
        raise Http404
    stages = list(Stage.objects.filter(workshop=workshop))
    lanes = list(Lane.objects.filter(workshop=workshop))
    cards = list(Card.objects.filter(workshop=workshop, merged_into__isnull=True, private=False)
                 .select_related("author__user").order_by("order", "pk"))
    cells: dict[tuple[int, int], list[Card]] = {}
    for card in cards:
        cells.setdefault((card.stage_id, card.lane_id), []).append(card)
    rows = [{"lane": lane, "cells": [{"stage": stage, "cards": cells.get((stage.pk, lane.pk), [])} for stage in stages]}
            for lane in lanes]
    feelings = _feelings(workshop, None)
    views = [StageView(stage=stage, cells=[], current=False,
                       averages={k: feelings.get(stage.pk, {}).get(k, {}).get("average") for k in FeelingKind.values},
                       counts={k: feelings.get(stage.pk, {}).get(k, {}).get("count", 0) for k in FeelingKind.values},
                       mine={}, can_feel=False) for stage in stages]
    top = {}
    can_view_votes = may(request.user, "lab.view_votes", place)
    if can_view_votes:
        counts = dot_totals(workshop)
        kinds = {lane.pk: lane.kind for lane in lanes}
        stage_titles = {stage.pk: stage.title for stage in stages}
        for kind in (LaneKind.PAIN, LaneKind.IDEAS):
            ranked = sorted((c for c in cards if kinds.get(c.lane_id) == kind and counts.get(c.pk)),
                            key=lambda c: (-counts[c.pk], c.pk))[:TOP]
            top[kind] = [{"card": c, "dots": counts[c.pk], "stage": stage_titles.get(c.stage_id, "")}
                         for c in ranked]
    follow_ups = {f.card_id: f for f in IdeaFollowUp.objects.filter(card__workshop=workshop).select_related(
        "initiative", "owner")}
    lanes_by_id = {lane.pk: lane for lane in lanes}
    for card in cards:  # the rule reads these; they are on hand already
        card.workshop, card.lane = workshop, lanes_by_id[card.lane_id]
    followed = [{"card": c, "follow_up": follow_ups[c.pk]} for c in cards if c.pk in follow_ups]
    open_ideas = [c for c in cards if c.pk not in follow_ups and may(request.user, "lab.follow_up_idea", c)]
    can_follow_up = any(may(request.user, "lab.follow_up_idea", c) for c in cards)
    return render(request, "lab/workshops/results.html", {
        "followed": followed, "open_ideas": open_ideas, "can_follow_up": can_follow_up,
        "can_write_summary": may(request.user, "lab.write_summary", workshop),
        "summary_form": SummaryForm(initial={"summary": workshop.summary,
                                             "results_visibility": workshop.results_visibility}),
        "statuses": FollowUpStatus.choices, "seat": seat, "lanes": lanes,
        "workshop": workshop, "stages": stages, "rows": rows, "curve_stages": views, "curve": curve_drawing(views),
        "can_view_votes": can_view_votes, "top_pain": top.get(LaneKind.PAIN, []),
        "top_ideas": top.get(LaneKind.IDEAS, []), "feelings": FeelingKind.choices})
