"""Permission grid: every walk rule × role (the shared cast plus walker, organiser, author) × walk state ×
observation state, and the list of visible observations equals the rule for every role."""

import datetime

import pytest
from django.utils import timezone

from core.permissions import may
from maps.models import Observation, Walk, WalkState
from maps.selectors import visible_observations
from tests.factories import UserFactory
from tests.factories_maps import ObservationFactory, WalkFactory, WalkSignupFactory
from tests.roles import ROLES as CAST_ROLES
from tests.roles import STAFF, fresh

pytestmark = pytest.mark.django_db

ROLES = [*CAST_ROLES, "walker", "organiser", "author"]
SIGNED_IN = set(ROLES) - {"anonymous"}
OVERSEE = {"council"} | STAFF
TAKES_PART = {"walker", "organiser", "author"} | OVERSEE
# "finished_late": finished more than 48 hours ago (late phones can no longer send).
WALK_STATES = ["planned", "in_progress", "finished", "finished_late", "cancelled"]
OPEN = {"planned", "in_progress"}
CAPTURING = {"in_progress", "finished"}
OBSERVATION_STATES = ["new", "merged", "reported", "no_action", "praise"]
TRIAGED = {"reported", "no_action", "praise"}


@pytest.fixture
def cast(cast, kern):
    return {**cast, "walker": UserFactory(kern=kern, first_name="Wim"),
            "organiser": UserFactory(kern=kern, first_name="Otto"), "author": UserFactory(kern=kern, first_name="Ans")}


def make_walk(cast, kern, state: str, **fields) -> Walk:
    finished_at = {"finished": timezone.now() - datetime.timedelta(hours=1),
                   "finished_late": timezone.now() - datetime.timedelta(hours=49)}.get(state)
    walk = WalkFactory(kern=kern, state=WalkState.FINISHED if finished_at else state, finished_at=finished_at,
                       organisers=[cast["organiser"]], **fields)
    WalkSignupFactory(walk=walk, user=cast["walker"])
    WalkSignupFactory(walk=walk, user=cast["author"])
    return Walk.objects.get(pk=walk.pk)


WALK_RULES = {
    "plan_walk": None,  # asked about the kern, below
    "change_walk": lambda role, s: s in OPEN and role in OVERSEE | {"organiser"},
    "run_walk": lambda role, s: s in OPEN and role in OVERSEE | {"organiser"},
    "sign_up": lambda role, s: s in OPEN and role in SIGNED_IN - {"walker", "author"},
    "cancel_signup": lambda role, s: s in OPEN and role in {"walker", "author"},
    "follow_walk_live": lambda role, s: s != "cancelled" and role in TAKES_PART,
    "observe": lambda role, s: s in CAPTURING and role in TAKES_PART,
    "triage": lambda role, s: s in {"in_progress", "finished", "finished_late"} and role in OVERSEE,
    "share_group_position": lambda role, s: s in OPEN and role in OVERSEE | {"organiser"},
    "view_walk_feedback": lambda role, s: role in OVERSEE | {"organiser"},
    "view_walk": lambda role, s: True,
}


@pytest.mark.parametrize("state", WALK_STATES)
def test_walk_rules_grid(cast, kern, state):
    walk = make_walk(cast, kern, state)
    wrong = []
    for perm, expected in WALK_RULES.items():
        if expected is None:
            continue
        for role in ROLES:
            got = may(fresh(cast[role]), f"maps.{perm}", Walk.objects.get(pk=walk.pk))
            if got != expected(role, state):
                wrong.append((perm, role, got))
    assert wrong == []


def test_plan_walk_grid(cast, kern, other_kern):
    for role in ROLES:
        assert may(fresh(cast[role]), "maps.plan_walk", kern) == (role in OVERSEE), role
        assert may(fresh(cast[role]), "maps.plan_walk", other_kern) == (
            role in STAFF or role == "council_other_kern"), role


def test_a_full_walk_takes_nobody_else(cast, kern):
    walk = make_walk(cast, kern, "planned", max_participants=2)
    assert not may(fresh(cast["resident"]), "maps.sign_up", Walk.objects.get(pk=walk.pk))


def test_nobody_in_another_kerns_council_oversees_this_walk(cast, kern):
    walk = make_walk(cast, kern, "finished")
    assert not may(fresh(cast["council_other_kern"]), "maps.triage", walk)
    assert not may(fresh(cast["council_other_kern"]), "maps.follow_walk_live", walk)


def observation_expected(role, walk_state, obs_state, public_walk):
    public = obs_state in TRIAGED or (public_walk and obs_state != "merged")
    return {
        "view_observation": public or (role in TAKES_PART and walk_state is not None),
        "add_observation_photo": role == "author" and obs_state == "new" and walk_state in CAPTURING,
    }


@pytest.mark.parametrize("walk_state", ["in_progress", "finished", "finished_late", "cancelled"])
@pytest.mark.parametrize("public_walk", [False, True])
def test_observation_rules_grid_and_the_list_agrees(cast, kern, walk_state, public_walk):
    walk = make_walk(cast, kern, walk_state, observations_public=public_walk)
    observations = {state: ObservationFactory(walk=walk, author=cast["author"], state=state)
                    for state in OBSERVATION_STATES}
    wrong = []
    for role in ROLES:
        listed = set(visible_observations(fresh(cast[role])).values_list("pk", flat=True))
        for state, observation in observations.items():
            fetched = Observation.objects.select_related("walk__kern").get(pk=observation.pk)
            expected = observation_expected(role, walk_state, state, public_walk)
            for perm, want in expected.items():
                got = may(fresh(cast[role]), f"maps.{perm}", fetched)
                if got != want:
                    wrong.append((perm, role, state, got))
            if (observation.pk in listed) != expected["view_observation"]:
                wrong.append(("list", role, state, observation.pk in listed))
    assert wrong == []
