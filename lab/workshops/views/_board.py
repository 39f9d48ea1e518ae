"""The board as one viewer sees it, read in a fixed number of queries whatever its size.

Every "may" is the rule itself, asked per card in memory: the cards, lanes and stages carry the workshop
object they belong to, so no rule reaches the database again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Max, Q

from core.permissions import may
from lab.models import Card, Dot, Feeling, FeelingKind, Lane, Participant, Phase, Stage, Workshop, WorkshopState
from lab.workshops.seats import At
from lab.workshops.selectors import dot_counts
from lab.workshops.services import stream_of
from live.services import last_seq

# The curve's drawing: one column per stage, the score −2 … +2 from bottom to top.
CURVE_STEP, CURVE_LEFT, CURVE_TOP, CURVE_UNIT = 120, 60, 20, 40


@dataclass
class CardView:
    card: Card
    visible: bool
    own: bool = False
    can_change: bool = False
    can_run: bool = False
    can_dot: bool = False
    my_dots: list[int] = field(default_factory=list)
    votes: int | None = None

    @property
    def dot_client_id(self) -> uuid.UUID:
        """A fresh id for the "stip zetten" form without scripts: a second tap of the same form is one dot."""
        return uuid.uuid4()


@dataclass
class Cell:
    stage: Stage
    lane: Lane
    cards: list[CardView]
    can_add: bool
    client_id: uuid.UUID = field(default_factory=uuid.uuid4)

    @property
    def anchor(self) -> str:
        return f"cel-{self.stage.pk}-{self.lane.pk}"


@dataclass
class StageView:
    stage: Stage
    cells: list[Cell]
    current: bool
    averages: dict[str, float | None]
    counts: dict[str, int]
    mine: dict[str, int | None]
    can_feel: bool


@dataclass
class Board:
    workshop: Workshop
    seat: Participant | None
    stages: list[StageView]
    lanes: list[Lane]
    current_stage: Stage | None
    can_run: bool
    can_view_votes: bool
    dots_left: int | None
    spotlight: CardView | None
    last_seq: int
    curve: dict

    @property
    def voting(self) -> bool:
        return self.workshop.phase == Phase.VOTE and self.workshop.state == WorkshopState.OPEN


def dot_totals(workshop: Workshop) -> dict[int, int]:
    return dot_counts(workshop)


def curve_drawing(stages: list[StageView]) -> dict:
    """The SVG's lines (one per kind of feeling, broken where a stage has no score yet) and its size."""
    width = CURVE_LEFT * 2 + CURVE_STEP * max(len(stages) - 1, 1)
    height = CURVE_TOP * 2 + CURVE_UNIT * 4
    lines = {}
    for kind in FeelingKind.values:
        parts, points, pen_down = [], [], False
        for index, view in enumerate(stages):
            average = view.averages.get(kind)
            if average is None:
                pen_down = False
                continue
            x = CURVE_LEFT + index * CURVE_STEP
            y = round(CURVE_TOP + (2 - average) * CURVE_UNIT, 1)
            parts.append(f"{'L' if pen_down else 'M'}{x} {y}")
            points.append((x, y))
            pen_down = True
        lines[kind] = {"path": " ".join(parts), "points": points}
    axis = [{"score": score, "y": CURVE_TOP + (2 - score) * CURVE_UNIT,
             "label": f"{score:+d}" if score else "0"} for score in (2, 1, 0, -1, -2)]
    columns = [{"x": CURVE_LEFT + index * CURVE_STEP, "n": index + 1} for index in range(len(stages))]
    return {"width": width, "height": height, "lines": lines, "axis": axis, "columns": columns,
            "left": CURVE_LEFT, "right": width - CURVE_LEFT + 20, "step": CURVE_STEP, "top": CURVE_TOP,
            "unit": CURVE_UNIT}


def card_view(user, seat, card: Card, *, can_run: bool, voting: bool, my_dots=None, votes=None) -> CardView:
    """One card as ``user`` (with ``seat``) sees it. Precondition: ``card.workshop`` and ``card.lane`` are loaded."""
    place = At(seat, card)
    visible = may(user, "lab.view_card", place)
    own = seat is not None and card.author_id == seat.pk
    return CardView(
        card=card, visible=visible, own=own, can_run=can_run and visible,
        can_change=visible and (own or can_run) and may(user, "lab.change_card", place),
        can_dot=voting and visible and card.lane.votable and may(user, "lab.place_dot", place),
        my_dots=list(my_dots or []), votes=votes)


def build_board(request, workshop: Workshop, seat: Participant | None, *, stage_id=None) -> Board:
    user = request.user
    place = At(seat, workshop)
    can_run = may(user, "lab.run_workshop", place)
    can_view_votes = may(user, "lab.view_votes", place)
    stages = list(Stage.objects.filter(workshop=workshop))
    lanes = list(Lane.objects.filter(workshop=workshop))
    for item in (*stages, *lanes):
        item.workshop = workshop
    lanes_by_id = {lane.pk: lane for lane in lanes}
    cards = list(Card.objects.filter(workshop=workshop, merged_into__isnull=True)
                 .select_related("author__user").order_by("order", "pk"))
    my_dots: dict[int, list[int]] = {}
    dots_left = None
    if seat is not None:
        mine = list(Dot.objects.filter(participant=seat).values_list("card_id", "pk"))
        for card_id, dot_id in mine:
            my_dots.setdefault(card_id, []).append(dot_id)
        dots_left = max(workshop.dots_per_participant - len(mine), 0)
    votes = dot_totals(workshop) if can_view_votes else {}
    voting = workshop.phase == Phase.VOTE and workshop.state == WorkshopState.OPEN
    by_cell: dict[tuple[int, int], list[CardView]] = {}
    spotlight = None
    for card in cards:
        card.workshop = workshop
        card.lane = lanes_by_id[card.lane_id]
        view = card_view(user, seat, card, can_run=can_run, voting=voting, my_dots=my_dots.get(card.pk),
                         votes=votes.get(card.pk, 0) if can_view_votes else None)
        by_cell.setdefault((card.stage_id, card.lane_id), []).append(view)
        if card.pk == workshop.spotlight_id and view.visible:
            spotlight = view
    feelings = _feelings(workshop, seat)
    valid = {stage.pk for stage in stages}
    try:
        wanted = int(stage_id) if stage_id else None
    except (TypeError, ValueError):
        wanted = None
    current_id = wanted if wanted in valid else (workshop.focus_stage_id if workshop.focus_stage_id in valid
                                                 else (stages[0].pk if stages else None))
    views = []
    for stage in stages:
        cells = [Cell(stage=stage, lane=lane, cards=by_cell.get((stage.pk, lane.pk), []),
                      can_add=may(user, "lab.add_card", At(seat, lane))) for lane in lanes]
        found = feelings.get(stage.pk, {})
        views.append(StageView(
            stage=stage, cells=cells, current=stage.pk == current_id,
            averages={kind: found.get(kind, {}).get("average") for kind in FeelingKind.values},
            counts={kind: found.get(kind, {}).get("count", 0) for kind in FeelingKind.values},
            mine={kind: found.get(kind, {}).get("mine") for kind in FeelingKind.values},
            can_feel=seat is not None and may(user, "lab.set_feeling", At(seat, stage))))
    return Board(workshop=workshop, seat=seat, stages=views, lanes=lanes,
                 current_stage=next((v.stage for v in views if v.current), None), can_run=can_run,
                 can_view_votes=can_view_votes, dots_left=dots_left, spotlight=spotlight,
                 last_seq=last_seq(stream_of(workshop)), curve=curve_drawing(views))


def _feelings(workshop: Workshop, seat: Participant | None) -> dict[int, dict[str, dict]]:
    """Per stage and kind: the average, how many placed one, and the viewer's own score (one query)."""
    rows = (Feeling.objects.filter(stage__workshop=workshop).values("stage_id", "kind")
            .annotate(average=Avg("score"), count=Count("pk")))
    if seat is not None:
        rows = rows.annotate(mine=Max("score", filter=Q(participant=seat)))
    found: dict[int, dict[str, dict]] = {}
    for row in rows:
        found.setdefault(row["stage_id"], {})[row["kind"]] = {
            "average": round(float(row["average"]), 2) if row["average"] is not None else None,
            "count": row["count"], "mine": row.get("mine")}
    return found
