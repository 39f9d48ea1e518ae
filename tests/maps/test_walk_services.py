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


# --- the guarding lines of the walk services, one by one ---------------------------------------------------

def test_a_plan_keeps_everything_that_was_planned(kern, council_member):
    walk = plan(council_member, kern, meeting_latitude="51.9275", meeting_longitude="4.835",
                route_description="r" * 2000, description="d" * 2000, meeting_point="m" * 200,
                observations_public=True, target_level="A", max_participants=1, themes=["green", "paving"])
    walk = Walk.objects.get(pk=walk.pk)
    assert (str(walk.meeting_latitude), str(walk.meeting_longitude)) == ("51.927500", "4.835000")
    assert (len(walk.route_description), len(walk.description), len(walk.meeting_point)) == (2000, 2000, 200)
    assert (walk.observations_public, walk.target_level, walk.created_by, walk.max_participants) == (
        True, "A", council_member, 1)
    assert walk.themes == ["paving", "green"]  # in the order of the list of themes
    assert walk.route == ROUTE
    assert plan(council_member, kern, route=[]).route == []
    assert plan(council_member, kern, route=[[4.835, 51.9275], ["4.837", "51.928"]]).route[1] == [4.837, 51.928]
    with pytest.raises(WalkError):
        plan(council_member, kern, route=[[4.835, 51.9275], [True, 51.9]])
    with pytest.raises(WalkError):
        plan(council_member, kern, route=[[4.835, 51.9275, 3], [4.837, 51.928]])
    with pytest.raises(WalkError):
        plan(council_member, kern, route=[[4.835, 51.9275]] * 501)
    assert len(plan(council_member, kern, route=[[4.835, 51.9275]] * 500).route) == 500


@pytest.mark.parametrize(("field", "length"), [("title", 120), ("meeting_point", 200), ("description", 2000),
                                               ("route_description", 2000)])
def test_the_longest_texts_of_a_plan(kern, council_member, field, length):
    assert len(getattr(plan(council_member, kern, **{field: "x" * length}), field)) == length
    with pytest.raises(WalkError):
        plan(council_member, kern, **{field: "x" * (length + 1)})


def test_the_edges_of_times_and_numbers(kern, council_member):
    now = timezone.now()
    start = now + datetime.timedelta(hours=1)
    with pytest.raises(WalkError):
        plan(council_member, kern, starts_at=now, ends_at=now + datetime.timedelta(hours=1), now=now)
    with pytest.raises(WalkError):
        plan(council_member, kern, starts_at=start, ends_at=start)
    assert plan(council_member, kern, starts_at=start, ends_at=start + datetime.timedelta(hours=8))
    with pytest.raises(WalkError):
        plan(council_member, kern, starts_at=start, ends_at=start + datetime.timedelta(hours=8, seconds=1))
    with pytest.raises(WalkError):
        plan(council_member, kern, starts_at="morgen", ends_at=start)
    assert plan(council_member, kern, max_participants=500).max_participants == 500
    with pytest.raises(WalkError):
        plan(council_member, kern, max_participants=501)
    with pytest.raises(WalkError):
        plan(council_member, kern, max_participants=True)


def test_every_change_of_a_walk_is_live_and_starts_a_new_page_generation(kern, council_member, resident,
                                                                         django_capture_on_commit_callbacks):
    from core.pagecache import generation

    walk = WalkFactory(kern=kern, organisers=[council_member])
    steps = [
        lambda: services.sign_up(user=resident, walk=walk),
        lambda: services.cancel_signup(user=resident, walk=walk),
        lambda: services.move_walk(actor=council_member, walk=walk, starts_at=in_days(8), ends_at=in_days(8, 12),
                                   meeting_point="Het plein"),
        lambda: services.start_walk(actor=council_member, walk=walk),
        lambda: services.finish_walk(actor=council_member, walk=walk),
    ]
    for step in steps:
        before = generation()
        with django_capture_on_commit_callbacks(execute=True):
            step()
        assert generation() != before
    walk.refresh_from_db()
    assert walk.meeting_point == "Het plein"
    states = [e.payload["state"] for e in LiveEvent.objects.filter(stream=walk.stream, type="walk.changed")]
    assert states == ["planned", "in_progress", "finished"]
    other = WalkFactory(kern=kern, organisers=[council_member])
    before = generation()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_walk(actor=council_member, walk=other, reason="Regen")
    assert generation() != before
    assert LiveEvent.objects.filter(stream=other.stream, type="walk.changed").get().payload["state"] == "cancelled"


def test_only_organisers_move_start_and_finish(kern, council_member, resident):
    walk = WalkFactory(kern=kern, organisers=[council_member])
    with pytest.raises(PermissionDenied):
        services.move_walk(actor=resident, walk=walk, starts_at=in_days(8), ends_at=in_days(8, 12))
    services.start_walk(actor=council_member, walk=walk)
    with pytest.raises(PermissionDenied):
        services.finish_walk(actor=resident, walk=walk)
    assert Walk.objects.get(pk=walk.pk).state == WalkState.IN_PROGRESS


def test_signing_off_is_for_ones_own_sign_up_while_the_walk_is_open(kern, resident):
    walk = WalkFactory(kern=kern)
    other_walk = WalkFactory(kern=kern)
    neighbour = UserFactory(kern=kern)
    for person, on in ((resident, walk), (neighbour, walk), (resident, other_walk)):
        services.sign_up(user=person, walk=on)
    services.cancel_signup(user=resident, walk=walk)
    assert set(WalkSignup.objects.values_list("user", "walk")) == {(neighbour.pk, walk.pk),
                                                                   (resident.pk, other_walk.pk)}
    other_walk.state = WalkState.FINISHED
    other_walk.save()
    with pytest.raises(PermissionDenied):
        services.cancel_signup(user=resident, walk=other_walk)
    assert WalkSignup.objects.filter(user=resident, walk=other_walk).exists()


def test_an_open_walk_without_a_maximum_takes_everyone(kern):
    walk = WalkFactory(kern=kern, max_participants=None)
    for _ in range(3):
        services.sign_up(user=UserFactory(kern=kern), walk=walk)
    assert walk.signups.count() == 3


def test_reminders_only_for_planned_walks_within_a_day(kern, django_capture_on_commit_callbacks):
    soon = timezone.now() + datetime.timedelta(hours=23)
    walks = {
        "due": WalkFactory(kern=kern, starts_at=soon),
        "also_due": WalkFactory(kern=kern, starts_at=soon + datetime.timedelta(minutes=30)),
        "cancelled": WalkFactory(kern=kern, starts_at=soon, state=WalkState.CANCELLED),
        "in_25_hours": WalkFactory(kern=kern, starts_at=timezone.now() + datetime.timedelta(hours=25)),
        "started": WalkFactory(kern=kern, starts_at=timezone.now() - datetime.timedelta(minutes=5)),
    }
    for walk in walks.values():
        WalkSignupFactory(walk=walk)
    walks["due"].reminder_sent_for = walks["due"].starts_at
    walks["due"].save()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_walk_reminders() == 1
    reminded = set(Notification.objects.filter(kind="maps.walk_reminder").values_list("recipient", flat=True))
    assert reminded == {walks["also_due"].signups.get().user_id}
