"""The walk services: planning, sign-ups, moving and cancelling, reminders, and what each refuses."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from community.models import Notification
from live.models import LiveEvent
from maps import services
from maps.models import Walk, WalkSignup, WalkState
from maps.services import WalkError
from maps.services.errors import WalkStateError
from tests.factories import StaffFactory, UserFactory
from tests.factories_maps import WalkFactory, WalkSignupFactory

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


def test_the_council_plans_a_walk_and_the_kern_hears_of_it(kern, council_member, resident,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        walk = plan(council_member, kern, description="<script>x</script>Samen kijken")
    assert walk.description == "Samen kijken"
    assert list(walk.organisers.all()) == [council_member]
    assert Notification.objects.filter(recipient=resident, kind="maps.walk_planned").count() == 1
    assert not Notification.objects.filter(recipient=council_member).exists()  # not told of their own act


@pytest.mark.parametrize(("changes", "code"), [
    ({"route": [[4.835, 51.9275], [200, 51.9]]}, "outside_municipality"),
    ({"route": [[4.46, 51.92], [4.47, 51.93]]}, "outside_municipality"),  # Rotterdam
    ({"route": [[4.835, 51.9275]]}, "route"),
    ({"route": [[4.835, "x"], [4.837, 51.928]]}, "route"),
    ({"route": [[4.835, float("nan")], [4.837, 51.928]]}, "route"),
    ({"route": "not a list"}, "route"),
    ({"starts_at": in_days(-1), "ends_at": in_days(-1, 12)}, "past"),
    ({"ends_at": in_days(5, 9)}, "times"),
    ({"ends_at": in_days(6, 12)}, "times"),
    ({"themes": []}, "themes"),
    ({"themes": ["paving", "<b>"]}, "themes"),
    ({"max_participants": 0}, "max_participants"),
    ({"max_participants": "5"}, "max_participants"),
    ({"title": "<p></p>"}, "required"),
    ({"title": "x" * 121}, "too_long"),
    ({"meeting_latitude": "200", "meeting_longitude": "4.8"}, "invalid_coordinates"),
    ({"target_level": "E"}, "target_level"),
])
def test_bad_plans_are_refused_and_nothing_is_made(kern, council_member, changes, code):
    with pytest.raises(WalkError) as refused:
        plan(council_member, kern, **changes)
    assert refused.value.code == code
    assert not Walk.objects.exists()


def test_organisers_are_staff_or_council_of_the_kern(kern, council_member, resident):
    with pytest.raises(WalkError):
        plan(council_member, kern, organisers=[resident])
    staff = StaffFactory()
    walk = plan(council_member, kern, organisers=[council_member, staff])
    assert set(walk.organisers.all()) == {council_member, staff}


def test_a_resident_cannot_plan(kern, resident):
    with pytest.raises(PermissionDenied) as refused:
        plan(resident, kern)
    assert "dorpsraad" in str(refused.value)


def test_signing_up_twice_is_one_sign_up_and_a_full_walk_refuses(kern):
    walk = WalkFactory(kern=kern, max_participants=1)
    first, second = UserFactory(kern=kern), UserFactory(kern=kern)
    services.sign_up(user=first, walk=walk)
    services.sign_up(user=first, walk=walk)
    assert WalkSignup.objects.filter(walk=walk).count() == 1
    with pytest.raises(WalkStateError) as refused:
        services.sign_up(user=second, walk=walk)
    assert refused.value.code == "full"
    services.cancel_signup(user=first, walk=walk)
    services.cancel_signup(user=first, walk=walk)
    services.sign_up(user=second, walk=walk)
    assert list(walk.signups.values_list("user", flat=True)) == [second.pk]


@pytest.mark.parametrize("state", [WalkState.FINISHED, WalkState.CANCELLED])
def test_no_sign_up_for_a_walk_that_is_over(kern, resident, state):
    walk = WalkFactory(kern=kern, state=state)
    with pytest.raises(WalkStateError):
        services.sign_up(user=resident, walk=walk)
    assert not walk.signups.exists()


def test_moving_tells_everyone_signed_up_and_the_live_map(kern, council_member, django_capture_on_commit_callbacks):
    walk = WalkFactory(kern=kern, organisers=[council_member])
    walkers = [WalkSignupFactory(walk=walk).user for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        services.move_walk(actor=council_member, walk=walk, starts_at=in_days(9), ends_at=in_days(9, 12))
    assert Notification.objects.filter(kind="maps.walk_changed", recipient__in=walkers).count() == 3
    assert LiveEvent.objects.filter(stream=walk.stream, type="walk.changed").count() == 1


def test_cancelling_needs_a_reason_and_tells_everyone(kern, council_member, django_capture_on_commit_callbacks):
    walk = WalkFactory(kern=kern, organisers=[council_member])
    walker = WalkSignupFactory(walk=walk).user
    with pytest.raises(WalkError):
        services.cancel_walk(actor=council_member, walk=walk, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_walk(actor=council_member, walk=walk, reason="Storm verwacht")
    walk.refresh_from_db()
    assert walk.state == WalkState.CANCELLED and walk.cancel_reason == "Storm verwacht"
    note = Notification.objects.get(kind="maps.walk_changed", recipient=walker)
    assert note.body == "Storm verwacht"
    with pytest.raises(PermissionDenied):
        services.cancel_walk(actor=council_member, walk=walk, reason="nog eens")


def test_someone_else_cannot_move_or_cancel(kern, resident, other_council_member):
    walk = WalkFactory(kern=kern)
    for actor in (resident, other_council_member):
        with pytest.raises(PermissionDenied):
            services.cancel_walk(actor=actor, walk=walk, reason="weg")
    assert Walk.objects.get(pk=walk.pk).state == WalkState.PLANNED


def test_the_reminder_goes_once_per_start_time(kern, council_member, django_capture_on_commit_callbacks):
    walk = WalkFactory(kern=kern, starts_at=timezone.now() + datetime.timedelta(hours=20), organisers=[council_member])
    walker = WalkSignupFactory(walk=walk).user
    later = WalkFactory(kern=kern, starts_at=timezone.now() + datetime.timedelta(hours=30))
    WalkSignupFactory(walk=later, user=walker)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_walk_reminders() == 1
        assert services.send_walk_reminders() == 0
    assert Notification.objects.filter(kind="maps.walk_reminder", recipient=walker).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.move_walk(actor=council_member, walk=walk, starts_at=timezone.now() + datetime.timedelta(hours=22),
                           ends_at=timezone.now() + datetime.timedelta(hours=23))
        assert services.send_walk_reminders() == 1


def test_start_and_finish_the_walk(kern, council_member, resident):
    walk = WalkFactory(kern=kern, organisers=[council_member])
    with pytest.raises(WalkStateError):
        services.finish_walk(actor=council_member, walk=walk)
    with pytest.raises(PermissionDenied):
        services.start_walk(actor=resident, walk=walk)
    services.start_walk(actor=council_member, walk=walk)
    with pytest.raises(WalkStateError):
        services.start_walk(actor=council_member, walk=walk)
    services.finish_walk(actor=council_member, walk=walk)
    walk.refresh_from_db()
    assert walk.state == WalkState.FINISHED and walk.finished_at is not None and walk.is_capturing


def test_finishing_asks_everyone_who_walked_along_how_it_was(kern, council_member, django_capture_on_commit_callbacks,
                                                             client):
    from django.urls import reverse

    from lab.models import FeedbackInvitation

    walk = WalkFactory(kern=kern, state=WalkState.IN_PROGRESS, organisers=[council_member])
    walkers = [WalkSignupFactory(walk=walk).user for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        services.finish_walk(actor=council_member, walk=walk)
    invitations = FeedbackInvitation.objects.filter(subject_kind="walk", subject_id=walk.pk)
    invited = set(invitations.values_list("user", flat=True))
    assert invited == {council_member.pk, *(w.pk for w in walkers)}
    assert Notification.objects.filter(recipient=walkers[0], kind="lab.feedback_asked").count() == 1
    client.force_login(walkers[0])
    page = client.get(walk.get_absolute_url()).content.decode()
    assert reverse("lab:feedback_answer", args=["walk", walk.pk]) in page
    assert client.get(reverse("lab:feedback_answer", args=["walk", walk.pk])).status_code == 200
    client.force_login(council_member)
    assert client.get(reverse("lab:feedback_results", args=["walk", walk.pk])).status_code == 200
    client.force_login(walkers[1])
    assert client.get(reverse("lab:feedback_results", args=["walk", walk.pk])).status_code in (403, 404)
