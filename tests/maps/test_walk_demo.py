"""The demo walks: planned, in progress and finished with every triage state, in three kernen; safe twice."""

import pytest

from maps import demo
from maps.models import MunicipalReport, Observation, Walk

pytestmark = pytest.mark.django_db


def test_demo_walks_cover_every_state_and_are_idempotent(django_capture_on_commit_callbacks):
    from community import demo as community_demo
    from initiatives import demo as initiatives_demo

    community_demo.seed()
    initiatives_demo.seed()
    with django_capture_on_commit_callbacks(execute=False):
        demo.seed()
    assert set(Walk.objects.values_list("state", flat=True)) == {"planned", "in_progress", "finished"}
    assert Walk.objects.values("kern").distinct().count() == 3
    finished = Walk.objects.get(state="finished")
    assert set(finished.observations.values_list("state", flat=True)) == {
        "new", "merged", "reported", "initiative", "no_action", "praise"}
    assert MunicipalReport.objects.filter(observation__walk=finished).count() == 1
    assert Observation.objects.filter(photos__isnull=False).exists()
    counts = (Walk.objects.count(), Observation.objects.count())
    demo.seed()
    assert (Walk.objects.count(), Observation.objects.count()) == counts
