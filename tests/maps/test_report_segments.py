"""Scores per segment of the route: the split, the nearest segment within 50 m, worst and typical score,
and the verdict against the walk's target level; RD New coordinates of a known point."""

from decimal import Decimal

import pytest

from maps.models import ObservationState, WalkState
from maps.report import build_report
from maps.report.projection import clean_route, to_rd
from maps.report.segments import MAX_SEGMENTS, Segment, split_route
from tests.factories_maps import ObservationFactory, WalkFactory

ROUTE = [[4.8350, 51.9275], [4.8370, 51.9280], [4.8390, 51.9290]]
# Half-way along the second piece of ROUTE, and half-way along the first.
ON_SEGMENT_2 = (Decimal("51.928500"), Decimal("4.838000"))
ON_SEGMENT_1 = (Decimal("51.927750"), Decimal("4.836000"))
# About 450 m north of the route.
FAR_AWAY = (Decimal("51.933000"), Decimal("4.837000"))


def test_the_amersfoort_reference_point_is_155000_463000_in_rd_new():
    x, y = to_rd(5.38720621, 52.15517440)
    assert x == pytest.approx(155000, abs=2) and y == pytest.approx(463000, abs=2)


def test_bad_route_points_are_skipped():
    assert clean_route([[4.8, 51.9], "x", [None, 1], [float("nan"), 51], [200, 51], [4.9, 52.0, 3]]) == [
        (4.8, 51.9), (4.9, 52.0)]
    assert clean_route({"type": "LineString"}) == []


def test_a_short_route_has_one_segment_per_piece_and_repeated_points_are_dropped():
    segments = split_route([(0, 0), (100, 0), (100, 0), (100, 50)])
    assert [(s.first_point, s.last_point, s.start_m, s.end_m) for s in segments] == [
        (1, 2, 0, 100), (2, 3, 100, 150)]
    assert split_route([(0, 0)]) == [] and split_route([]) == []


def test_a_long_route_is_merged_into_at_most_ten_segments_of_roughly_equal_length():
    points = [(i * 10.0, 0.0) for i in range(61)]  # 60 pieces of 10 m
    segments = split_route(points)
    assert len(segments) == MAX_SEGMENTS
    assert all(segment.length_m == pytest.approx(60) for segment in segments)
    assert segments[0].start_m == 0 and segments[-1].end_m == pytest.approx(600)
    uneven = [(0.0, 0.0)] + [(x, 0.0) for x in (5, 10, 15, 400, 405, 410, 800, 805, 810, 815, 820, 1000)]
    pieces = split_route(uneven)
    assert len(pieces) <= MAX_SEGMENTS and pieces[-1].end_m == pytest.approx(1000)
    assert all(a.last_point == b.first_point for a, b in zip(pieces, pieces[1:], strict=False))


def test_worst_typical_and_the_verdict():
    segment = Segment(number=1, first_point=1, last_point=2, start_m=0, end_m=1, line=None, target="B",
                      scores=["A", "D", "B", "A+"])
    assert segment.worst == "D" and segment.typical == "B" and segment.meets is True and segment.below_target == 1
    segment.scores.append("C")  # A+, A, B, C, D: the middle one is B
    assert segment.typical == "B" and segment.meets is True
    segment.scores.extend(["C", "D"])
    assert segment.typical == "C" and segment.meets is False
    assert Segment(1, 1, 2, 0, 1, None, target="B").meets is None
    assert Segment(1, 1, 2, 0, 1, None, scores=["A"], target="Z").meets is None


@pytest.mark.django_db
def test_a_d_near_segment_2_fails_target_b_and_unscored_or_far_observations_count_nowhere(kern):
    walk = WalkFactory(kern=kern, route=ROUTE, target_level="B", state=WalkState.FINISHED)
    made = dict(walk=walk, state=ObservationState.NO_ACTION)
    poor = ObservationFactory(**made, crow_score="D", latitude=ON_SEGMENT_2[0], longitude=ON_SEGMENT_2[1])
    ObservationFactory(**made, crow_score="", latitude=ON_SEGMENT_2[0], longitude=ON_SEGMENT_2[1])
    ObservationFactory(**made, crow_score="A", latitude=ON_SEGMENT_1[0], longitude=ON_SEGMENT_1[1])
    ObservationFactory(**made, crow_score="D", latitude=FAR_AWAY[0], longitude=FAR_AWAY[1])
    ObservationFactory(**made, crow_score="D", latitude=None, longitude=None, address="Dorpsstraat 1")
    ObservationFactory(walk=walk, crow_score="D", state=ObservationState.MERGED, latitude=ON_SEGMENT_1[0],
                       longitude=ON_SEGMENT_1[1])

    report = build_report(walk, None)

    first, second = report.segments
    assert (second.count, second.worst, second.typical, second.meets) == (1, "D", "D", False)
    assert (first.count, first.worst, first.meets) == (1, "A", True)
    assert report.scored_away == 2 and report.count == 5
    assert next(i for i in report.items if i.observation == poor).segment == 2
    assert [i.segment for i in report.items if not i.observation.crow_score] == [None]


@pytest.mark.django_db
def test_a_walk_without_a_route_has_no_segments(kern):
    walk = WalkFactory(kern=kern, route=[], state=WalkState.FINISHED)
    ObservationFactory(walk=walk, state=ObservationState.PRAISE, crow_score="A")
    report = build_report(walk, None)
    assert report.segments == [] and report.scored_away == 1 and report.route_length_m == 0
