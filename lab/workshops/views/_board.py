"""The board as one viewer sees it, read in a fixed number of queries whatever its size.

Every "may" is the rule itself, asked per card in memory: the cards, lanes and stages carry the workshop
object they belong to, so no rule reaches the database again.

The board page shows every card with its buttons: rendering 600 of them takes a core a quarter of a second,
so the page keeps its stages, cells and cards rendered (decision 29). What they look like depends on the viewer
only through their *kind* (``ViewerKind``) and through what is *theirs*: the cards they wrote or put a dot on,
their feelings, the stage their phone shows. So the board is rendered once per board position (the stream's
sequence number: every change to the board publishes an event), workshop state, language and kind, as a viewer
of that kind who wrote nothing; what is the viewer's own is a slot (``core.slots``), filled in per
request, their own cards rendered for them. The CSRF token and the forms' client ids are slots too.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Avg, Count, Max, Q
from django.middleware.csrf import get_token
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from core.aggregates import split_texts
from core.pagecache import shared_value
from core.permissions import may
from core.slots import fill, slot, templates_digest
from lab.forms import SCORES
from lab.models import Card, Dot, Feeling, FeelingKind, Lane, Participant, Phase, Stage, Workshop, WorkshopState
from lab.rules import facilitates
from lab.workshops.seats import At
from lab.workshops.selectors import dot_counts
from lab.workshops.services import stream_of
from live.services import last_seq

# The curve's drawing: one column per stage, the score −2 … +2 from bottom to top.
CURVE_STEP, CURVE_LEFT, CURVE_TOP, CURVE_UNIT = 120, 60, 20, 40

# A seat that wrote no card and placed no dot: the kept cards are rendered as such a participant sees them.
# Its id is no row's id (ids start at 1), so no card is its own, not even one whose author was erased.
_NOBODYS_SEAT_ID = 0


# A card's forms post to these (name: URL name); the URLs are reversed once per workshop, not per card.
CARD_URLS = {"edit": "lab:edit_card", "remove": "lab:remove_card", "dot": "lab:place_dot",
             "manage": "lab:manage_card"}
_ANY_ID = 987654321


@lru_cache(maxsize=128)
def _card_url_patterns(workshop_pk: int) -> dict[str, str]:
    found = {key: reverse(name, args=[workshop_pk, _ANY_ID]) for key, name in CARD_URLS.items()}
    found["undot"] = reverse("lab:remove_dot", args=[workshop_pk, _ANY_ID])
    return found


# Whitespace between tags that spans lines (the templates' indentation) is one space to a browser: a kept board
# carries one space instead, a quarter less HTML for a facilitator's 600 cards. Text never holds a "<".
_INDENTATION = re.compile(r">\s*\n\s*<")


def tidy(html: str) -> str:
    return _INDENTATION.sub("> <", html)


KEPT_TEMPLATES = ("lab/workshops/_grid.html", "lab/workshops/_card.html", "lab/workshops/_curve.html",
                  "lab/workshops/_controls.html")


@lru_cache(maxsize=1)
def kept_version() -> str:
    """A digest of the templates of the kept board (``core.slots``) and of this module's format of it."""
    return hashlib.sha256(f"{templates_digest(*KEPT_TEMPLATES)}:{KEPT_FORMAT}".encode()).hexdigest()[:12]


KEPT_FORMAT = "pieces, grid, curve, controls, spotlight"


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
    kept: bool = False

    @property
    def urls(self) -> dict[str, str]:
        """Where this card's forms post (``undot`` removes the viewer's first dot on it)."""
        patterns, any_id = _card_url_patterns(self.card.workshop_id), str(_ANY_ID)
        found = {key: patterns[key].replace(any_id, str(self.card.pk)) for key in CARD_URLS}
        if self.my_dots:
            found["undot"] = patterns["undot"].replace(any_id, str(self.my_dots[0]))
        return found

    @property
    def dot_client_id(self) -> uuid.UUID | str:
        """A fresh id for the "stip zetten" form without scripts: a second tap of the same form is one dot.
        In kept HTML a slot, filled in per request."""
        return slot("client-id") if self.kept else uuid.uuid4()


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
    spotlight: Card | None  # the card in the spotlight (its text and photo), if the viewer may see it
    last_seq: int
    curve: dict
    grid: SafeString = mark_safe("")  # the stages and cells as HTML (``build_board(..., as_html=True)``)
    curve_html: SafeString = mark_safe("")  # the curve and its table, the same for everyone (idem)
    controls_html: SafeString = mark_safe("")  # the facilitator's panel (idem)

    @property
    def voting(self) -> bool:
        return self.workshop.phase == Phase.VOTE and self.workshop.state == WorkshopState.OPEN


@dataclass(frozen=True)
class ViewerKind:
    """Everything about a viewer that a card they did not write and put no dot on depends on, besides the
    workshop's state (the rules ``lab.view_card``, ``lab.change_card``, ``lab.place_dot``, ``lab.run_workshop``
    and ``lab.view_votes`` ask only these two about the viewer of a board). Two viewers of one kind see such a
    card the same: tests/lab/workshops/test_board_kept.py compares every card with the card rendered alone."""

    facilitates: bool
    seated: bool


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


def build_board(request, workshop: Workshop, seat: Participant | None, *, stage_id=None,
                as_html: bool = False) -> Board:
    """The board for ``request``'s viewer with ``seat``. With ``as_html`` the stages and cells come as HTML
    (``Board.grid``, kept: see the module's docstring), and the stages carry no cells."""
    user = request.user
    place = At(seat, workshop)
    can_run = may(user, "lab.run_workshop", place)
    can_view_votes = may(user, "lab.view_votes", place)
    stages = list(Stage.objects.filter(workshop=workshop))
    for stage in stages:
        stage.workshop = workshop
    # The lanes are read only when cards or cells are rendered (a kept board needs none of them).
    lanes: list[Lane] = []
    lanes_by_id: dict[int, Lane] = {}

    def load_lanes() -> list[Lane]:
        if not lanes_by_id:
            lanes[:] = Lane.objects.filter(workshop=workshop)
            for lane in lanes:
                lane.workshop = workshop
                lanes_by_id[lane.pk] = lane
        return lanes

    my_dots: dict[int, list[int]] = {}
    dots_left = None
    if seat is not None:
        if hasattr(seat, "board_dots"):  # read along with the seat (seats.seat_for(with_board=True))
            mine = [tuple(int(n) for n in part.split(":")) for part in split_texts(seat.board_dots)]
        else:
            mine = list(Dot.objects.filter(participant=seat).values_list("card_id", "pk"))
        for card_id, dot_id in mine:
            my_dots.setdefault(card_id, []).append(dot_id)
        dots_left = max(workshop.dots_per_participant - len(mine), 0)
    votes = dot_totals(workshop) if can_view_votes else {}
    seq = getattr(workshop, "board_seq", None)  # read along with the workshop (views._common.workshop_or_404)
    if seq is None:
        seq = last_seq(stream_of(workshop))
    voting = workshop.phase == Phase.VOTE and workshop.state == WorkshopState.OPEN

    def view_of(card: Card, viewer_seat, *, kept: bool = False) -> CardView:
        """``card`` as seen with ``viewer_seat`` (the viewer's own, or the kept board's stand-in)."""
        card.workshop = workshop
        load_lanes()
        card.lane = lanes_by_id[card.lane_id]
        own_dots = my_dots.get(card.pk) if viewer_seat is seat else None
        view = card_view(user, viewer_seat, card, can_run=can_run, voting=voting, my_dots=own_dots,
                         votes=votes.get(card.pk, 0) if can_view_votes else None)
        view.kept = kept
        return view

    def cells_of(stage: Stage, viewer_seat, by_cell) -> list[Cell]:
        return [Cell(stage=stage, lane=lane, cards=by_cell.get((stage.pk, lane.pk), []),
                     can_add=may(user, "lab.add_card", At(viewer_seat, lane))) for lane in load_lanes()]

    # The kept board draws the curve from everyone's feelings when it is rendered; the page itself needs only the
    # viewer's own. The text view reads both at once.
    feelings = _own_feelings(seat) if as_html else _feelings(workshop, seat)
    valid = {stage.pk for stage in stages}
    try:
        wanted = int(stage_id) if stage_id else None
    except (TypeError, ValueError):
        wanted = None
    current_id = wanted if wanted in valid else (workshop.focus_stage_id if workshop.focus_stage_id in valid
                                                 else (stages[0].pk if stages else None))
    views = []
    for stage in stages:
        found = feelings.get(stage.pk, {})
        views.append(StageView(
            stage=stage, cells=[], current=stage.pk == current_id,
            averages={kind: found.get(kind, {}).get("average") for kind in FeelingKind.values},
            counts={kind: found.get(kind, {}).get("count", 0) for kind in FeelingKind.values},
            mine={kind: found.get(kind, {}).get("mine") for kind in FeelingKind.values},
            can_feel=seat is not None and may(user, "lab.set_feeling", At(seat, stage))))
    board = Board(workshop=workshop, seat=seat, stages=views, lanes=lanes,
                  current_stage=next((v.stage for v in views if v.current), None), can_run=can_run,
                  can_view_votes=can_view_votes, dots_left=dots_left, spotlight=None,
                  last_seq=seq, curve=curve_drawing(views))
    if not as_html:
        by_cell: dict[tuple[int, int], list[CardView]] = {}
        cards = (Card.objects.filter(workshop=workshop, merged_into__isnull=True)
                 .select_related("author__user").order_by("order", "pk"))
        for card in cards:
            view = view_of(card, seat)
            by_cell.setdefault((card.stage_id, card.lane_id), []).append(view)
            if card.pk == workshop.spotlight_id and view.visible:
                board.spotlight = card
        for view in views:
            view.cells = cells_of(view.stage, seat, by_cell)
        return board

    kind = ViewerKind(facilitates=facilitates(user, workshop), seated=seat is not None)
    rendered_cards: list[Card] = []
    stand_in = Participant(pk=_NOBODYS_SEAT_ID, workshop=workshop) if kind.seated else None

    def render() -> dict:
        """The board as a viewer of this kind who wrote no card, placed no dot and set no feeling sees it."""
        template = get_template("lab/workshops/_card.html")
        pieces: dict[tuple[int, int], list[tuple[int, str]]] = {}
        spotlight = None
        cards = list(Card.objects.filter(workshop=workshop, merged_into__isnull=True)
                     .select_related("author__user").order_by("order", "pk"))
        rendered_cards.extend(cards)  # the viewer's own are among them: no second query for those
        for card in cards:
            view = view_of(card, stand_in, kept=True)
            html = tidy(template.render({"item": view, "csrf_token": slot("csrf")}))
            pieces.setdefault((card.stage_id, card.lane_id), []).append((card.pk, html))
            if card.pk == workshop.spotlight_id and view.visible:
                spotlight = card
        everyone = _feelings(workshop, None)
        kept_stages = [StageView(
            stage=v.stage, cells=cells_of(v.stage, stand_in, {}), current=False, mine={}, can_feel=v.can_feel,
            averages={kind: everyone.get(v.stage.pk, {}).get(kind, {}).get("average") for kind in FeelingKind.values},
            counts={kind: everyone.get(v.stage.pk, {}).get(kind, {}).get("count", 0) for kind in FeelingKind.values})
            for v in views]
        grid = render_to_string("lab/workshops/_grid.html", {
            "workshop": workshop, "board": Board(**{**board.__dict__, "stages": kept_stages}),
            "feelings": FeelingKind.choices, "scores": SCORES, "csrf_token": slot("csrf")})
        curve = render_to_string("lab/workshops/_curve.html", {
            "curve": curve_drawing(kept_stages), "curve_stages": kept_stages, "heading_id": "curve-heading"})
        controls = ""
        if can_run:
            controls = render_to_string("lab/workshops/_controls.html", {
                "workshop": workshop, "board": Board(**{**board.__dict__, "stages": kept_stages}),
                "phases": Phase.choices, "csrf_token": slot("csrf")})
        return {"pieces": pieces, "grid": tidy(grid), "curve": tidy(curve), "controls": tidy(controls),
                "spotlight": spotlight}

    counts = hashlib.sha256(repr(sorted(votes.items())).encode()).hexdigest()[:16] if can_view_votes else ""
    timer = workshop.timer_ends_at.timestamp() if workshop.timer_ends_at else None
    key = (kept_version(), workshop.pk, seq, translation.get_language(), workshop.state, workshop.phase,
           workshop.revealed, workshop.board_locked, workshop.votes_shown, workshop.spotlight_id,
           workshop.focus_stage_id, timer, kind.facilitates, kind.seated, counts)
    kept = shared_value("workshop-board", *key, compute=render)
    board.spotlight = kept["spotlight"]
    personal = _personal_cards(workshop, seat, my_dots, view_of, key, loaded=rendered_cards)
    pieces = kept["pieces"]
    checked = {f"{view.stage.pk}:{kind}:{score}" for view in views for kind, score in view.mine.items()
               if score is not None}

    csrf, token = slot("csrf"), get_token(request)  # one token for every form, put in by plain replacing

    def answer(name: str, parts: tuple[str, ...]) -> str:
        if name == "cards":  # the cell's cards, the viewer's own among them, with their slots filled in too
            stage_id, lane_id = map(int, parts)
            cards = "".join(personal.get(pk, html) for pk, html in pieces.get((stage_id, lane_id), ()))
            return fill(cards.replace(csrf, token), answer)
        if name == "client-id":
            return str(uuid.uuid4())
        if name == "current":
            return " board-stage--current" if parts[0] == str(current_id) else ""
        if name == "checked":
            return " checked" if ":".join(parts) in checked else ""
        if name == "fase":  # the stage a facilitator's form brings them back to
            return str(current_id or "")
        raise ValueError(f"A slot without an answer: {name}")

    grid = fill(kept["grid"].replace(csrf, token), answer)
    board.grid = mark_safe(grid)  # noqa: S308  (rendered by the template engine; the token is letters and digits)
    board.curve_html = mark_safe(kept["curve"])  # noqa: S308  (rendered by the template engine)
    board.controls_html = mark_safe(fill(kept["controls"].replace(csrf, token), answer))  # noqa: S308  (idem)
    return board


def _personal_cards(workshop: Workshop, seat: Participant | None, my_dots: dict[int, list[int]], view_of,
                    board_key: tuple, *, loaded: list[Card]) -> dict[int, str]:
    """The viewer's own cards and the cards they put a dot on, rendered for them: kept like the board
    (``board_key``), for this seat and its dots. Taken from ``loaded`` (every card, when this request rendered the
    board), else one query; none without a seat."""
    if seat is None:
        return {}

    def render() -> dict[int, str]:
        template = get_template("lab/workshops/_card.html")
        if loaded:
            cards = [card for card in loaded if card.author_id == seat.pk or card.pk in my_dots]
        else:
            cards = (Card.objects.filter(workshop=workshop, merged_into__isnull=True)
                     .filter(Q(author=seat) | Q(pk__in=list(my_dots))).select_related("author__user"))
        return {card.pk: tidy(template.render({"item": view_of(card, seat, kept=True), "csrf_token": slot("csrf")}))
                for card in cards}

    dots = hashlib.sha256(repr(sorted(my_dots.items())).encode()).hexdigest()[:16]
    return shared_value("workshop-board-own", *board_key, seat.pk, dots, compute=render)


def _own_feelings(seat: Participant | None) -> dict[int, dict[str, dict]]:
    """Per stage and kind, the viewer's own score, shaped as ``_feelings`` (read along with the seat, else one
    query; none without a seat)."""
    found: dict[int, dict[str, dict]] = {}
    if seat is None:
        return found
    if hasattr(seat, "board_feelings"):
        rows = [part.split(":") for part in split_texts(seat.board_feelings)]
    else:
        rows = Feeling.objects.filter(participant=seat).values_list("stage_id", "kind", "score")
    for stage_id, kind, score in rows:
        found.setdefault(int(stage_id), {})[kind] = {"mine": int(score)}
    return found


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
