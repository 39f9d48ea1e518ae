"""Planning, opening, joining and the facilitator's controls: each refusal is a clear error that changes
nothing, and each control is told to the board once, after commit."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from lab.models import Card, Lane, LaneKind, Participant, Phase, Stage, Workshop, WorkshopState
from lab.workshops import services
from lab.workshops.seats import seat_for, token_hash
from lab.workshops.services import WorkshopError
from lab.workshops.services.workshops import DEFAULT_LANES, DEFAULT_STAGES, MAX_TIMER_SECONDS
from tests import factories
from tests.factories_workshops import CardFactory, WorkshopFactory
from tests.lab.workshops.conftest import events, guest_joins, plan, write

pytestmark = pytest.mark.django_db


# -- planning


def test_plan_makes_the_default_journey_with_the_planner_as_facilitator(lead, kern):
    other = factories.StaffFactory()
    workshop = plan(lead, kern=kern, facilitators=[other], place="<b>Dorpshuis</b>",
                    online_url="https://meet.example.org/abc")
    assert [s.title for s in workshop.stages.all()] == [str(t) for t in DEFAULT_STAGES]
    assert [(lane.kind, lane.title) for lane in workshop.lanes.all()] == [(k.value, str(k.label))
                                                                         for k in DEFAULT_LANES]
    assert set(workshop.facilitators.all()) == {lead, other}
    assert (workshop.state, workshop.phase, workshop.dots_per_participant) == ("planned", "brainstorm", 3)
    assert len(workshop.join_code) == 6 and workshop.join_code.isdigit()
    assert workshop.place == "Dorpshuis" and workshop.online_url == "https://meet.example.org/abc"
    assert workshop.created_by == lead


def test_plan_strips_html_from_every_text(lead):
    workshop = plan(lead, title="<script>alert(1)</script>Verhuizen", service="<i>Verhuizing</i>",
                    customer_group="<b>Jongeren</b>", description="<img src=x onerror=alert(1)>Samen",
                    stages=["<em>Begin</em>", "Eind"], lanes=[(LaneKind.PAIN, "<u>Knelpunt</u>")])
    assert (workshop.title, workshop.service, workshop.customer_group, workshop.description) == (
        "Verhuizen", "Verhuizing", "Jongeren", "Samen")
    assert [s.title for s in workshop.stages.all()] == ["Begin", "Eind"]
    assert [lane.title for lane in workshop.lanes.all()] == ["Knelpunt"]


NOW = timezone.now()


def later(hours):
    return NOW + datetime.timedelta(days=1, hours=hours)


@pytest.mark.parametrize("bad, code", [
    ({"title": "  "}, "required"),
    ({"title": "<b></b>"}, "required"),
    ({"title": "x" * 151}, "too_long"),
    ({"service": ""}, "required"),
    ({"starts_at": later(5), "ends_at": later(4)}, "times"),
    ({"starts_at": later(5), "ends_at": later(5)}, "times"),
    ({"dots_per_participant": 0}, "dots"),
    ({"dots_per_participant": 21}, "dots"),
    ({"dots_per_participant": True}, "dots"),
    ({"dots_per_participant": "3"}, "dots"),
    ({"stages": ["Fase"] * 13}, "shape"),
    ({"lanes": [(LaneKind.PAIN, "Rij")] * 13}, "shape"),
    ({"stages": ["Goed", ""]}, "required"),
    ({"lanes": [(LaneKind.PAIN, "Goed"), (LaneKind.IDEAS, "<p></p>")]}, "required"),
    ({"lanes": [("bogus", "Rij")]}, "invalid"),
    ({"online_url": "javascript:alert(1)"}, "invalid"),
    ({"online_url": "niet een adres"}, "invalid"),
    ({"place": "x" * 201}, "too_long"),
    ({"service": "x" * 301}, "too_long"),
    ({"customer_group": "x" * 201}, "too_long"),
    ({"stages": ["x" * 81]}, "too_long"),
    ({"lanes": [(LaneKind.PAIN, "x" * 81)]}, "too_long"),
    ({"online_url": "https://meet.example.org/" + "x" * 176}, "too_long"),
    ({"description": "x" * 2001}, "too_long"),
])
def test_plan_refuses_bad_input_and_writes_nothing(lead, bad, code):
    with pytest.raises(WorkshopError) as refused:
        plan(lead, **bad)
    assert refused.value.code == code
    assert (Workshop.objects.count(), Stage.objects.count(), Lane.objects.count()) == (0, 0, 0)


def test_the_longest_texts_and_the_fewest_dots_are_fine(lead, kern):
    workshop = plan(lead, kern=kern, title="t" * 150, service="s" * 300, place="p" * 200, customer_group="c" * 200,
                    stages=["f" * 80], lanes=[(LaneKind.IDEAS, "r" * 80)], dots_per_participant=1,
                    online_url="https://meet.example.org/" + "x" * 175)
    assert (workshop.kern, workshop.dots_per_participant, len(workshop.online_url)) == (kern, 1, 200)
    assert Workshop.objects.get(pk=workshop.pk).kern == kern


def test_twelve_stages_and_lanes_are_the_most(lead):
    workshop = plan(lead, stages=[f"Fase {i}" for i in range(12)], lanes=[(LaneKind.OTHER, "Rij")] * 12,
                    dots_per_participant=20)
    assert (workshop.stages.count(), workshop.lanes.count(), workshop.dots_per_participant) == (12, 12, 20)


@pytest.mark.parametrize("who", ["resident", "council_member", "admin_not_staff", "anonymous"])
def test_only_staff_and_lab_facilitators_plan(request, who):
    users = {"anonymous": AnonymousUser, "admin_not_staff": lambda: factories.AdminFactory(is_staff=False)}
    user = users[who]() if who in users else request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        plan(user)
    assert Workshop.objects.count() == 0
    assert plan(factories.StaffFactory()).pk


# -- opening and the controls


def test_open_starts_the_brainstorm_and_tells_the_board(planned, lead, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        opened = services.open_workshop(actor=lead, workshop=planned)
    assert opened.state == WorkshopState.OPEN and len(callbacks) >= 1
    [event] = events(planned)
    assert event.type == "workshop.changed" and event.payload["state"] == "open"
    with pytest.raises(WorkshopError):
        services.open_workshop(actor=lead, workshop=opened)


def test_only_the_workshops_own_facilitators_open_it(planned, staff, kern):
    other_lead = factories.UserFactory(kern=kern)
    for actor in (staff, other_lead, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.open_workshop(actor=actor, workshop=planned)
    assert Workshop.objects.get(pk=planned.pk).state == WorkshopState.PLANNED and events(planned) == []


def test_controls_wait_until_the_workshop_is_open(planned, lead):
    for control in (lambda: services.set_phase(actor=lead, workshop=planned, phase=Phase.VOTE),
                    lambda: services.start_timer(actor=lead, workshop=planned, seconds=60),
                    lambda: services.lock_board(actor=lead, workshop=planned, locked=True),
                    lambda: services.reveal(actor=lead, workshop=planned),
                    lambda: services.show_votes(actor=lead, workshop=planned)):
        with pytest.raises(WorkshopError) as refused:
            control()
        assert refused.value.code == "state"
    assert Workshop.objects.get(pk=planned.pk).phase == Phase.BRAINSTORM and events(planned) == []


@pytest.mark.parametrize("phase", Phase.values)
def test_set_phase(board, lead, phase):
    assert services.set_phase(actor=lead, workshop=board, phase=phase).phase == phase
    assert events(board, "workshop.changed")[-1].payload["phase"] == phase


def test_set_phase_refuses_a_phase_that_does_not_exist_and_a_participant(board, lead, member):
    with pytest.raises(WorkshopError):
        services.set_phase(actor=lead, workshop=board, phase="party")
    with pytest.raises(PermissionDenied):
        services.set_phase(actor=member.user, workshop=board, phase=Phase.VOTE)
    assert Workshop.objects.get(pk=board.pk).phase == Phase.BRAINSTORM


def test_leaving_the_brainstorm_does_not_reveal(board, lead, guest):
    card, _created = write(guest)
    services.set_phase(actor=lead, workshop=board, phase=Phase.SHARE)
    assert Card.objects.get(pk=card.pk).private


@pytest.mark.parametrize("seconds", [10, 300, MAX_TIMER_SECONDS])
def test_the_timer_ends_at_a_moment(board, lead, seconds):
    before = timezone.now()
    ends = services.start_timer(actor=lead, workshop=board, seconds=seconds).timer_ends_at
    assert before + datetime.timedelta(seconds=seconds) <= ends <= timezone.now() + datetime.timedelta(
        seconds=seconds)
    assert events(board)[-1].payload["timer_ends_at"] == ends.isoformat()
    assert services.stop_timer(actor=lead, workshop=board).timer_ends_at is None


@pytest.mark.parametrize("seconds", [9, MAX_TIMER_SECONDS + 1, True, 60.0, "60", None])
def test_the_timer_refuses_odd_times(board, lead, seconds):
    with pytest.raises(WorkshopError):
        services.start_timer(actor=lead, workshop=board, seconds=seconds)
    assert Workshop.objects.get(pk=board.pk).timer_ends_at is None


def test_spotlight_a_shared_card_but_never_a_private_one(board, lead, guest):
    private, _created = write(guest)
    with pytest.raises(WorkshopError):
        services.spotlight(actor=lead, workshop=board, card=private)
    assert Workshop.objects.get(pk=board.pk).spotlight is None
    elsewhere = CardFactory(workshop=WorkshopFactory(state=WorkshopState.OPEN, facilitators=[lead]))
    with pytest.raises(WorkshopError):
        services.spotlight(actor=lead, workshop=board, card=elsewhere)
    services.reveal(actor=lead, workshop=board)
    shown = services.spotlight(actor=lead, workshop=board, card=Card.objects.get(pk=private.pk))
    assert shown.spotlight_id == private.pk and events(board)[-1].payload["spotlight"] == private.pk
    assert services.spotlight(actor=lead, workshop=board, card=None).spotlight is None


def test_bring_everyone_to_a_stage_of_this_board_only(board, lead):
    stage = board.stages.last()
    assert services.bring_to_stage(actor=lead, workshop=board, stage=stage).focus_stage == stage
    other = WorkshopFactory(state=WorkshopState.OPEN, facilitators=[lead])
    with pytest.raises(WorkshopError):
        services.bring_to_stage(actor=lead, workshop=board, stage=other.stages.first())
    assert Workshop.objects.get(pk=board.pk).focus_stage == stage


def test_lock_lane_and_board_are_the_facilitators(board, lead, member):
    lane = board.lanes.get(kind=LaneKind.IDEAS)
    with pytest.raises(PermissionDenied):
        services.lock_lane(actor=member.user, lane=lane, locked=True)
    assert services.lock_lane(actor=lead, lane=lane, locked=True).locked
    assert events(board, "lane.changed")[-1].payload == {"id": lane.pk, "kind": "ideas", "title": lane.title,
                                                          "order": lane.order, "locked": True, "votable": True}
    with pytest.raises(PermissionDenied):
        services.lock_board(actor=member.user, workshop=board, locked=True)
    assert services.lock_board(actor=lead, workshop=board, locked=1).board_locked is True


def test_add_stage_and_lane(board, lead, staff, member):
    stage = services.add_stage(actor=lead, workshop=board, title="<b>Verhuisd</b>")
    assert stage.title == "Verhuisd" and stage.order == 5 and list(board.stages.all())[-1] == stage
    assert events(board, "stage.added")[-1].payload == {"id": stage.pk, "title": "Verhuisd", "order": 5}
    lane = services.add_lane(actor=staff, workshop=board, title="Gevoel", kind=LaneKind.FEELS)
    assert lane.order == 6 and events(board, "lane.added")[-1].payload["id"] == lane.pk
    with pytest.raises(WorkshopError):
        services.add_lane(actor=lead, workshop=board, title="Rij", kind="bogus")
    with pytest.raises(PermissionDenied):
        services.add_stage(actor=member.user, workshop=board, title="Nee")
    for _i in range(6):
        services.add_stage(actor=lead, workshop=board, title="Meer")
    with pytest.raises(WorkshopError):
        services.add_stage(actor=lead, workshop=board, title="Te veel")
    for _i in range(5):
        services.add_lane(actor=lead, workshop=board, title="Meer")
    with pytest.raises(WorkshopError):
        services.add_lane(actor=lead, workshop=board, title="Te veel")
    assert (board.stages.count(), board.lanes.count()) == (12, 12)


def test_end_makes_the_board_read_only_and_refuses_joining(board, lead, guest):
    ended = services.end_workshop(actor=lead, workshop=board)
    assert ended.state == WorkshopState.ENDED
    with pytest.raises(PermissionDenied):
        services.join(user=AnonymousUser(), workshop=ended, display_name="Laat")
    with pytest.raises(PermissionDenied):
        write(guest)
    with pytest.raises(PermissionDenied):
        services.set_phase(actor=lead, workshop=ended, phase=Phase.VOTE)
    with pytest.raises(WorkshopError):
        services.open_workshop(actor=lead, workshop=ended)
    assert Participant.objects.filter(workshop=board).count() == 1 and Card.objects.count() == 0


# -- reveal


def test_reveal_shares_every_private_card_in_one_event_and_moves_to_share(board, lead, guest, member):
    mine, _c = write(guest, "Geen bevestiging")
    theirs, _c = write(member, "Formulier te lang", kind=LaneKind.IDEAS)
    before = len(events(board))
    revealed = services.reveal(actor=lead, workshop=board)
    assert revealed.revealed and revealed.phase == Phase.SHARE
    assert not Card.objects.filter(private=True).exists()
    new = events(board)[before:]
    assert [e.type for e in new] == ["cards.revealed", "workshop.changed"]
    cards = {c["id"]: c for c in new[0].payload["cards"]}
    assert cards[mine.pk]["text"] == "Geen bevestiging" and cards[mine.pk]["author"] == "Sanne"
    assert cards[theirs.pk]["text"] == "Formulier te lang" and cards[theirs.pk]["private"] is False
    assert new[1].payload["revealed"] is True and new[1].payload["phase"] == "share"


def test_reveal_shares_this_boards_cards_only(board, lead, guest):
    elsewhere = CardFactory(workshop=WorkshopFactory(state=WorkshopState.OPEN, facilitators=[lead]), private=True)
    write(guest)
    services.reveal(actor=lead, workshop=board)
    assert Card.objects.get(pk=elsewhere.pk).private
    assert Card.objects.filter(workshop=board, private=False).count() == 1


def test_reveal_later_keeps_the_phase(board, lead):
    services.set_phase(actor=lead, workshop=board, phase=Phase.DISCUSS)
    assert services.reveal(actor=lead, workshop=board).phase == Phase.DISCUSS


def test_a_participant_cannot_reveal(board, guest, member):
    write(guest)
    with pytest.raises(PermissionDenied):
        services.reveal(actor=member.user, workshop=board)
    assert Card.objects.get().private and events(board, "cards.revealed") == []


# -- joining


def test_signed_in_twice_is_one_seat(board, resident):
    first, token = services.join(user=resident, workshop=board)
    again, token_again = services.join(user=resident, workshop=board, display_name="Ander")
    assert first == again and (token, token_again) == ("", "")
    assert first.user == resident and first.display_name == resident.first_name and not first.anonymous
    assert Participant.objects.filter(workshop=board).count() == 1
    assert [e.payload for e in events(board, "participant.joined")] == [{"id": first.pk,
                                                                          "name": resident.first_name}]


def test_a_device_token_brings_back_the_same_seat(board):
    seat = guest_joins(board, "<b>Sanne</b>")
    assert seat.display_name == "Sanne" and seat.user is None
    assert seat.device_token_hash == token_hash(seat.token) and seat.token not in seat.device_token_hash
    again, new_token = services.join(user=AnonymousUser(), workshop=board, display_name="Iemand",
                                     device_token=seat.token)
    assert again == seat and new_token == ""
    assert Participant.objects.filter(workshop=board).count() == 1


def test_a_forged_token_gets_a_new_seat_of_its_own_never_someone_elses(board, guest):
    forged = guest.device_token_hash  # what a leak of the stored hash would give: not the token
    seat, token = services.join(user=AnonymousUser(), workshop=board, display_name="Mallory", device_token=forged)
    assert seat != guest and token and token != forged
    assert seat_for(user=AnonymousUser(), workshop=board, device_token=forged) is None
    assert seat_for(user=AnonymousUser(), workshop=board, device_token=token) == seat


def test_a_token_of_another_workshop_is_a_new_seat_here_on_the_same_token(board, guest, lead):
    other = services.open_workshop(actor=lead, workshop=plan(lead))
    seat, token = services.join(user=AnonymousUser(), workshop=other, display_name="Sanne", device_token=guest.token)
    assert seat.workshop == other and seat != guest and token == ""  # the device keeps its one cookie
    assert seat.device_token_hash == Participant.objects.get(pk=guest.pk).device_token_hash


def test_an_anonymous_seat_stores_no_user_and_no_name(board, resident):
    seat, token = services.join(user=resident, workshop=board, display_name="Rik", anonymous=True)
    stored = Participant.objects.get(pk=seat.pk)
    assert (stored.user, stored.display_name, stored.anonymous) == (None, "", True) and token
    assert stored.public_name == "Deelnemer"
    assert events(board, "participant.joined")[-1].payload == {"id": seat.pk, "name": "Deelnemer"}
    guest = guest_joins(board, "Sanne", anonymous=True)
    assert (guest.user, guest.display_name) == (None, "")


def test_a_guest_needs_a_name_unless_anonymous(board):
    for name in ("", "   ", "<b></b>", "x" * 61):
        with pytest.raises(WorkshopError):
            services.join(user=AnonymousUser(), workshop=board, display_name=name)
    assert not Participant.objects.exists() and events(board, "participant.joined") == []


def test_a_planned_workshop_can_be_joined_an_ended_one_not(planned, lead, resident):
    seat, _token = services.join(user=resident, workshop=planned)
    assert seat.workshop == planned
    ended = services.end_workshop(actor=lead, workshop=services.open_workshop(actor=lead, workshop=planned))
    with pytest.raises(PermissionDenied):
        services.join(user=factories.UserFactory(), workshop=ended)
    assert Participant.objects.count() == 1


def test_add_stage_and_lane_refuse_bad_titles_and_participants(board, lead, member):
    for title in ("", "<b></b>", "x" * 81):
        with pytest.raises(WorkshopError):
            services.add_stage(actor=lead, workshop=board, title=title)
        with pytest.raises(WorkshopError):
            services.add_lane(actor=lead, workshop=board, title=title)
    with pytest.raises(PermissionDenied):
        services.add_lane(actor=member.user, workshop=board, title="Nee")
    assert (board.stages.count(), board.lanes.count()) == (5, 6)
    lane = services.add_lane(actor=lead, workshop=board, title="<i>Wie helpt</i>", kind=LaneKind.TOUCHPOINTS)
    stored = Lane.objects.get(pk=lane.pk)
    assert (stored.kind, stored.title, stored.workshop) == ("touchpoints", "Wie helpt", board)
    assert services.add_stage(actor=lead, workshop=board, title="s" * 80).title == "s" * 80


def test_a_board_without_stages_starts_counting_at_one(lead):
    workshop = WorkshopFactory(state=WorkshopState.OPEN, facilitators=[lead], board=False)
    assert services.add_stage(actor=lead, workshop=workshop, title="Eerste").order == 1
    assert services.add_lane(actor=lead, workshop=workshop, title="Eerste").order == 1
