"""Scores per stretch of the route, against the walk's target level (CROW beeldkwaliteit).

The rule, for a reader of the report:

* **Segments.** Repeated points are dropped. A route of at most ``MAX_SEGMENTS`` pieces (pairs of
  consecutive route points) gets one segment per piece. A longer route is cut into at most
  ``MAX_SEGMENTS`` segments of roughly equal length: walking along the route, a segment ends at the
  first route point at or past each tenth of the total length. Segments always start and end at route
  points, so "from point 3 to point 7" stays true on the map.
* **Assigning.** An observation with a point *and* a score belongs to the nearest segment, measured in
  metres in RD New, if it lies within ``MAX_DISTANCE_M``; otherwise it counts as "away from the route".
  An observation without a score counts in no segment.
* **Per segment**: the number of scores, the worst score, and the typical score — the median in CROW
  order (with an even number, the worse of the two middle ones).
* **Meets the target** when the typical score is the target level or better. The number of scores below
  the target is shown beside it, so one very poor spot on an otherwise good stretch is not hidden.
  A segment without scores has no verdict.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shapely.geometry import LineString, Point

from maps.models.observations import CROW_ORDER

MAX_SEGMENTS = 10
MAX_DISTANCE_M = 50.0


def crow_rank(score: str) -> int | None:
    """0 for A+ (best) up to 4 for D (worst); None for no or an unknown score."""
    return CROW_ORDER.index(score) if score in CROW_ORDER else None


@dataclass
class Segment:
    number: int
    first_point: int  # 1-based numbers of the route points it runs between
    last_point: int
    start_m: float
    end_m: float
    line: LineString  # in RD New metres
    scores: list[str] = field(default_factory=list)
    observation_numbers: list[int] = field(default_factory=list)
    target: str = ""

    @property
    def length_m(self) -> float:
        return self.end_m - self.start_m

    @property
    def count(self) -> int:
        return len(self.scores)

    @property
    def worst(self) -> str:
        return max(self.scores, key=crow_rank) if self.scores else ""

    @property
    def typical(self) -> str:
        if not self.scores:
            return ""
        ordered = sorted(self.scores, key=crow_rank)
        return ordered[len(ordered) // 2]

    @property
    def below_target(self) -> int:
        target = crow_rank(self.target)
        if target is None:
            return 0
        return sum(1 for score in self.scores if crow_rank(score) > target)

    @property
    def meets(self) -> bool | None:
        """True or False against the target; None without scores or without a valid target."""
        target = crow_rank(self.target)
        if not self.scores or target is None:
            return None
        return crow_rank(self.typical) <= target


def _drop_repeats(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    kept: list[tuple[float, float]] = []
    for point in points:
        if not kept or (abs(point[0] - kept[-1][0]) > 1e-6 or abs(point[1] - kept[-1][1]) > 1e-6):
            kept.append(point)
    return kept


def split_route(points_rd: list[tuple[float, float]], *, target: str = "",
                max_segments: int = MAX_SEGMENTS) -> list[Segment]:
    """The route (points in RD New metres) as segments, by the rule in this module's docstring."""
    points = _drop_repeats(points_rd)
    if len(points) < 2:
        return []
    cumulative = [0.0]
    for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
        cumulative.append(cumulative[-1] + ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5)
    last = len(points) - 1
    if last <= max_segments:
        ends = list(range(1, last + 1))
    else:
        total = cumulative[-1]
        ends, step = [], 1
        for index in range(1, last):
            if cumulative[index] >= total * step / max_segments:
                ends.append(index)
                while step < max_segments and cumulative[index] >= total * step / max_segments:
                    step += 1
        ends.append(last)
    segments, start = [], 0
    for number, end in enumerate(ends, start=1):
        segments.append(Segment(number=number, first_point=start + 1, last_point=end + 1,
                                start_m=cumulative[start], end_m=cumulative[end],
                                line=LineString(points[start:end + 1]), target=target))
        start = end
    return segments


def nearest_segment(segments: list[Segment], x: float, y: float,
                    max_distance: float = MAX_DISTANCE_M) -> Segment | None:
    """The segment closest to (x, y) in RD New if within ``max_distance`` metres (the first on a tie)."""
    point = Point(x, y)
    best, best_distance = None, max_distance
    for segment in segments:
        distance = segment.line.distance(point)
        if distance <= best_distance and (best is None or distance < best_distance):
            best, best_distance = segment, distance
    return best
