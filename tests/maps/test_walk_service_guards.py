"""Guards of the walk services that no other test holds on its own: who may sign up, signing off twice, a plan
that is refused half-way, text that is only markup, route points that are not numbers, the page cache after
planning, and every service opening its own transaction so that the walk's row lock holds for the whole change."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from community.models import Notification
from core.pagecache import generation
from maps import services
from maps.models import Walk, WalkSignup, WalkState
from maps.services import WalkError
from tests.factories import UserFactory
from tests.factories_maps import WalkFactory, WalkSignupFactory
from tests.services import require_service

pytestmark = pytest.mark.django_db

ROUTE = [[4.835, 51.9275], [4.837, 51.928], [4.839, 51.929]]


def in_days(days, hour=10):
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def plan(actor, kern, **changes):
    values = {"title": "Rondje dorp", "starts_at": in_days(5), "ends_at": in_days(5, 12), "meeting_point": "De kerk",
              "route": ROUTE, "themes": ["paving", "lighting"]}
    values.update(changes)
    return services.plan_walk(actor=actor, kern=kern, **values)


# --- planning --------------------------------------------------------------------------------------------------

def test_a_plan_refused_for_its_organisers_leaves_no_walk_behind(kern, council_member, resident):
    """The organisers are checked after the walk's row is written: the whole plan is one transaction, so a refused
    organiser takes the half-made walk with it."""
    with pytest.raises(WalkError) as refused:
        plan(council_member, kern, organisers=[resident])
    assert refused.value.code == "organisers"
    assert not Walk.objects.exists()


def test_planning_a_walk_starts_a_new_page_generation(kern, council_member, django_capture_on_commit_callbacks):
    """The kern page and the home page list upcoming walks: a new walk must not wait for the cache to expire."""
    before = generation()
    with django_capture_on_commit_callbacks(execute=True):
        plan(council_member, kern)
    assert generation() != before


def test_a_meeting_point_that_is_only_markup_is_refused_when_planning(kern, council_member):
    """The form only sees that something was typed; the service sees that nothing is left once tags are dropped."""
    with pytest.raises(WalkError) as refused:
        plan(council_member, kern, meeting_point="<p> </p>")
    assert refused.value.code == "required"
    assert not Walk.objects.exists()


@pytest.mark.parametrize("point", [
    [None, 51.9275],
    [{"lng": 4.835}, 51.9275],
    [[4.835], 51.9275],
    [4.835, None],
    [True, 51.9275],
    [4.835, False],
], ids=["null", "object", "list", "null latitude", "true", "false"])
def test_route_points_that_are_not_numbers_are_refused_as_a_bad_route(kern, council_member, point):
    """The web form hands over whatever JSON the map editor sent: anything but a number (a yes/no included) is a
    bad route, never a crash or a point at coordinate 1 or 0."""
    with pytest.raises(WalkError) as refused:
        plan(council_member, kern, route=[[4.835, 51.9275], point])
    assert refused.value.code == "route"
    assert not Walk.objects.exists()


# --- moving ----------------------------------------------------------------------------------------------------

def test_moving_to_a_meeting_point_that_is_only_markup_is_refused(kern, council_member):
    walk = WalkFactory(kern=kern, organisers=[council_member], meeting_point="Bij de kerk")
    starts_at = walk.starts_at
    with pytest.raises(WalkError) as refused:
        services.move_walk(actor=council_member, walk=walk, starts_at=in_days(8), ends_at=in_days(8, 12),
                           meeting_point="<b></b>")
    assert refused.value.code == "required"
    walk.refresh_from_db()
    assert (walk.meeting_point, walk.starts_at) == ("Bij de kerk", starts_at)


# --- signing up and off ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("max_participants", [None, 5])
def test_a_deactivated_account_cannot_sign_up_for_an_open_walk(kern, max_participants):
    """The walk is open and has room: the rule's "no" for an account that is not active is the only thing that
    refuses, with or without a maximum number of walkers."""
    walk = WalkFactory(kern=kern, max_participants=max_participants)
    closed = UserFactory(kern=kern, is_active=False)
    with pytest.raises(PermissionDenied) as refused:
        services.sign_up(user=closed, walk=walk)
    assert "Meld u aan" in str(refused.value)
    assert not WalkSignup.objects.filter(walk=walk).exists()


def test_signing_off_again_while_others_stay_signed_up_changes_nothing(kern, resident):
    """The look-up is for the person's own sign-up: other walkers on the list do not turn a second tap into a
    refusal, and neither does a walk that is over for someone who was never on it."""
    walk = WalkFactory(kern=kern)
    neighbour = UserFactory(kern=kern)
    services.sign_up(user=resident, walk=walk)
    services.sign_up(user=neighbour, walk=walk)
    services.cancel_signup(user=resident, walk=walk)
    assert services.cancel_signup(user=resident, walk=walk) is None
    assert list(walk.signups.values_list("user", flat=True)) == [neighbour.pk]
    finished = WalkFactory(kern=kern, state=WalkState.FINISHED)
    WalkSignupFactory(walk=finished, user=neighbour)
    assert services.cancel_signup(user=resident, walk=finished) is None
    assert finished.signups.get().user == neighbour


# --- each service in its own transaction (PostgreSQL: a row lock outside a transaction is refused) ----------------

def _move(walk, organiser, _walker):
    services.move_walk(actor=organiser, walk=walk, starts_at=in_days(8), ends_at=in_days(8, 12))
    return Walk.objects.get(pk=walk.pk).starts_at == in_days(8)


def _cancel(walk, organiser, _walker):
    services.cancel_walk(actor=organiser, walk=walk, reason="Storm verwacht")
    return Walk.objects.get(pk=walk.pk).state == WalkState.CANCELLED


def _start(walk, organiser, _walker):
    services.start_walk(actor=organiser, walk=walk)
    return Walk.objects.get(pk=walk.pk).state == WalkState.IN_PROGRESS


def _finish(walk, organiser, _walker):
    services.start_walk(actor=organiser, walk=walk)
    services.finish_walk(actor=organiser, walk=walk)
    return Walk.objects.get(pk=walk.pk).state == WalkState.FINISHED


def _sign_up(walk, _organiser, _walker):
    newcomer = UserFactory(kern=walk.kern)
    services.sign_up(user=newcomer, walk=walk)
    return WalkSignup.objects.filter(walk=walk, user=newcomer).exists()


def _sign_off(walk, _organiser, walker):
    services.cancel_signup(user=walker, walk=walk)
    return not WalkSignup.objects.filter(walk=walk, user=walker).exists()


def _remind(walk, _organiser, walker):
    Walk.objects.filter(pk=walk.pk).update(starts_at=timezone.now() + datetime.timedelta(hours=20),
                                           ends_at=timezone.now() + datetime.timedelta(hours=22))
    return services.send_walk_reminders() == 1 and Notification.objects.filter(
        kind="maps.walk_reminder", recipient=walker).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("action", [_move, _cancel, _start, _finish, _sign_up, _sign_off, _remind],
                         ids=["move", "cancel", "start", "finish", "sign up", "sign off", "reminders"])
def test_each_walk_service_holds_the_walk_lock_in_a_transaction_of_its_own(kern, council_member, action):
    """Views, the API and the periodic reminder call the services outside any transaction. Each service opens its
    own, so that the walk's row stays locked from the check to the write (PostgreSQL refuses the lock otherwise)."""
    require_service("PostgreSQL", connection.vendor == "postgresql", "Set DATABASE_URL to a PostgreSQL database.")
    assert not connection.in_atomic_block
    walk = WalkFactory(kern=kern, organisers=[council_member], max_participants=10)
    walker = WalkSignupFactory(walk=walk, user=UserFactory(kern=kern)).user
    assert action(walk, council_member, walker)
