"""The report's data, computed once per request and shared by the page and every export.

Only what the viewer may see (``maps.selectors.visible_observations``); merged observations are left
out, their survivor stands for them. Observers are not named: the report goes to a public meeting.
Three queries, whatever the number of observations: the observations with their melding, their photos,
and (inside the first) the walks the viewer takes part in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.db.models import Prefetch

from maps import selectors
from maps.models import ObservationKind, ObservationPhoto, ObservationState, ObservationTheme, Walk
from maps.report.projection import clean_route, many_to_rd
from maps.report.segments import Segment, crow_rank, nearest_segment, split_route

# Photos per observation in the report; the observation's own page has them all.
PHOTOS_PER_OBSERVATION = 4


@dataclass
class ReportPhoto:
    name: str  # the stored file (the smallest rendition)
    url: str
    alt: str
    width: int = 0
    height: int = 0


@dataclass
class ReportItem:
    """One observation in the report, numbered as on the PDF's map and in every export."""

    number: int
    observation: object
    rd: tuple[float, float] | None = None
    segment: int | None = None
    outcome: dict = field(default_factory=dict)
    photos: list[ReportPhoto] = field(default_factory=list)
    photo_count: int = 0

    @property
    def is_problem(self) -> bool:
        return self.observation.kind == ObservationKind.PROBLEM


@dataclass
class ThemeRow:
    theme: str
    label: str
    total: int = 0
    problems: int = 0
    good: int = 0


@dataclass
class StateRow:
    state: str
    label: str
    count: int = 0


@dataclass
class WalkReport:
    walk: Walk
    items: list[ReportItem]
    themes: list[ThemeRow]
    states: list[StateRow]
    segments: list[Segment]
    route: list[tuple[float, float]]  # (lng, lat), cleaned
    route_rd: list[tuple[float, float]]
    target_level: str
    target_valid: bool
    scored_away: int = 0  # scores that count in no segment (no point, or too far from the route)

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def problems(self) -> int:
        return sum(1 for item in self.items if item.is_problem)

    @property
    def good(self) -> int:
        return self.count - self.problems

    @property
    def scored(self) -> int:
        return sum(1 for item in self.items if item.observation.crow_score)

    @property
    def route_length_m(self) -> float:
        return self.segments[-1].end_m if self.segments else 0.0

    @property
    def segments_meeting(self) -> int:
        return sum(1 for segment in self.segments if segment.meets is True)

    @property
    def segments_failing(self) -> int:
        return sum(1 for segment in self.segments if segment.meets is False)

    @property
    def segments_unscored(self) -> int:
        return sum(1 for segment in self.segments if segment.meets is None)


def report_observations(walk: Walk, user):
    photos = Prefetch("photos", queryset=ObservationPhoto.objects.order_by("order", "pk"))
    return (selectors.visible_observations(user).filter(walk=walk).exclude(state=ObservationState.MERGED)
            .select_related("report").prefetch_related(photos).order_by("observed_at", "pk"))


def _photos(observation) -> tuple[list[ReportPhoto], int]:
    photos = list(observation.photos.all())
    shown = []
    for photo in photos[:PHOTOS_PER_OBSERVATION]:
        renditions = [r for r in (photo.renditions or []) if isinstance(r, dict) and r.get("name")]
        if renditions:
            smallest = renditions[0]
            name, width, height = smallest["name"], smallest.get("width") or 0, smallest.get("height") or 0
        elif photo.image and photo.image.name:
            name, width, height = photo.image.name, photo.width, photo.height
        else:
            continue
        shown.append(ReportPhoto(name=name, url=default_storage.url(name), alt=photo.alt_text,
                                 width=int(width), height=int(height)))
    return shown, len(photos)


def build_report(walk: Walk, user) -> WalkReport:
    """Everything the page and the exports show about ``walk``, for ``user``."""
    observations = list(report_observations(walk, user))
    route = clean_route(walk.route)
    located = [o for o in observations if o.has_point]
    projected = many_to_rd([(float(r[0]), float(r[1])) for r in route]
                           + [(float(o.longitude), float(o.latitude)) for o in located])
    route_rd, point_rd = projected[:len(route)], projected[len(route):]
    rd_of = {o.pk: xy for o, xy in zip(located, point_rd, strict=True)}

    target = walk.target_level or ""
    segments = split_route(route_rd, target=target)
    themes = {value: ThemeRow(value, str(label)) for value, label in ObservationTheme.choices}
    states = {value: StateRow(value, str(label)) for value, label in ObservationState.choices
              if value != ObservationState.MERGED}
    items, scored_away = [], 0
    for number, observation in enumerate(observations, start=1):
        item = ReportItem(number=number, observation=observation, rd=rd_of.get(observation.pk),
                          outcome=selectors.outcome_of(observation))
        item.photos, item.photo_count = _photos(observation)
        if crow_rank(observation.crow_score) is not None:
            segment = nearest_segment(segments, *item.rd) if item.rd else None
            if segment is None:
                scored_away += 1
            else:
                item.segment = segment.number
                segment.scores.append(observation.crow_score)
                segment.observation_numbers.append(number)
        row = themes.get(observation.theme)
        if row is not None:
            row.total += 1
            row.problems += item.is_problem
            row.good += not item.is_problem
        if observation.state in states:
            states[observation.state].count += 1
        items.append(item)

    walk_themes = set(walk.themes or [])
    return WalkReport(
        walk=walk, items=items, segments=segments, route=route, route_rd=route_rd,
        themes=[row for row in themes.values() if row.total or row.theme in walk_themes],
        states=[row for row in states.values() if row.count],
        target_level=target, target_valid=crow_rank(target) is not None, scored_away=scored_away,
    )
