"""Permission grid: every workshop rule of lab/rules.py × role (the shared cast plus the workshop's own
facilitator and three kinds of seat) × workshop state × phase × board lock × the card or lane asked about;
and the board's list of cards (``visible_cards``) equals ``lab.view_card`` for every role."""

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser

from core.permissions import may
from lab.models import Card, Lane, LaneKind, Participant, Phase, ResultsVisibility, Stage, Workshop, WorkshopState
from lab.rules import facilitates
from lab.workshops.seats import At, seat_for
from lab.workshops.selectors import visible_cards
from tests.factories import UserFactory
from tests.factories_workshops import (
    AnonymousParticipantFactory,
    CardFactory,
    DeviceParticipantFactory,
    ParticipantFactory,
    WorkshopFactory,
)
from tests.lab.workshops.conftest import in_group
from tests.roles import ROLES as CAST_ROLES
from tests.roles import STAFF, fresh

pytestmark = pytest.mark.django_db

# "facilitator" of the cast is in the lab's facilitators group and runs another workshop; "facilitator_here"
# runs this one. "resident" does not take part; "superuser_not_staff" is an admin only.
HERE = "facilitator_here"
SEATS = ["participant", "device_participant", "anonymous_participant", "signed_in_anonymously"]
ROLES = [*CAST_ROLES, HERE, *SEATS]
PARTICIPANTS = set(SEATS)
ON_BOARD = PARTICIPANTS | {HERE} | STAFF
PLANNERS = STAFF | {"facilitator", HERE}
STATES = list(WorkshopState.values)
PHASES = list(Phase.values)


@pytest.fixture
def people(cast, kern):
    """Each role's person (signed in or not) and the device token its phone sends ("" when none)."""
    people = {role: (user, "") for role, user in cast.items()}
    people[HERE] = (in_group(UserFactory(kern=kern, first_name="Hanna")), "")
    people["participant"] = (UserFactory(kern=kern, first_name="Piet"), "")
    people["device_participant"] = (AnonymousUser(), "")
    people["anonymous_participant"] = (AnonymousUser(), "")
    people["signed_in_anonymously"] = (UserFactory(kern=kern, first_name="Stijn"), "")
    return people


def build(people, kern, state, phase, board_locked):
    """A workshop in that state, a seat for each participant role, and cards in every state that matters."""
    workshop = WorkshopFactory(kern=kern, state=state, phase=phase, board_locked=board_locked,
                               facilitators=[people[HERE][0]])
    WorkshopFactory(kern=kern, facilitators=[people["facilitator"][0]])  # the cast's facilitator runs another
    ParticipantFactory(workshop=workshop, user=people["participant"][0])
    device = DeviceParticipantFactory(workshop=workshop)
    anonymous = AnonymousParticipantFactory(workshop=workshop)
    signed_in_anonymously = AnonymousParticipantFactory(workshop=workshop)
    people = {**people, "device_participant": (AnonymousUser(), device.token),
              "anonymous_participant": (AnonymousUser(), anonymous.token),
              "signed_in_anonymously": (people["signed_in_anonymously"][0], signed_in_anonymously.token)}
    # A seat of another workshop, by the same person, must not count here.
    ParticipantFactory(workshop=WorkshopFactory(state=WorkshopState.OPEN), user=people["resident"][0])
    lanes = {lane.kind: lane for lane in workshop.lanes.all()}
    Lane.objects.filter(pk=lanes[LaneKind.IDEAS].pk).update(locked=True)
    stage = workshop.stages.first()
    authors = {"participant": Participant.objects.get(workshop=workshop, user=people["participant"][0]),
               "device_participant": device, "anonymous_participant": anonymous, HERE: None}
    for author in authors.values():
        for kind in (LaneKind.DOES, LaneKind.PAIN, LaneKind.IDEAS):
            for private in (False, True):
                CardFactory(workshop=workshop, stage=stage, lane=lanes[kind], author=author, private=private)
    survivor = CardFactory(workshop=workshop, stage=stage, lane=lanes[LaneKind.PAIN], author=device)
    CardFactory(workshop=workshop, stage=stage, lane=lanes[LaneKind.PAIN], author=authors["participant"],
                merged_into=survivor)
    return workshop, people


def seat_of(people, role, workshop):
    user, token = people[role]
    return seat_for(user=user, workshop=workshop, device_token=token)


def load(workshop_pk):
    """The workshop and its cards, all pointing at one workshop object (as a request has them)."""
    workshop = Workshop.objects.get(pk=workshop_pk)
    cards = list(Card.objects.filter(workshop=workshop).select_related("lane", "author"))
    for card in cards:
        card.workshop = workshop
        card.lane.workshop = workshop
    lanes = list(workshop.lanes.all())
    stages = list(workshop.stages.all())
    for item in [*lanes, *stages]:
        item.workshop = workshop
    return workshop, cards, lanes, stages


def workshop_expected(role, state):
    return {
        "view_workshop": True,
        "change_workshop": role in {HERE} | STAFF and state != WorkshopState.ENDED,
        "join_workshop": state != WorkshopState.ENDED,
        "run_workshop": role == HERE and state != WorkshopState.ENDED,
        "view_board": role in ON_BOARD,
        "view_workshop_feedback": role in {HERE} | STAFF,
        "save_template": role in {HERE} | STAFF,
        "change_template": False,  # a workshop is no template (tests/lab/test_journey_templates_page.py)
    }


def card_expected(role, state, phase, board_locked, card, own):
    is_open = state == WorkshopState.OPEN
    live = card.merged_into_id is None
    return {
        "view_card": role in ON_BOARD and (not card.private or own or role == HERE),
        "change_card": is_open and live and ((own and not board_locked and not card.lane.locked
                                              and phase != Phase.VOTE) or role == HERE),
        "place_dot": (is_open and role in PARTICIPANTS and not board_locked and phase == Phase.VOTE and live
                      and card.lane.votable and not card.private),
        "follow_up_idea": role in {HERE} | STAFF and live and not card.private and card.lane.votable,
    }


def place_expected(role, state, phase, board_locked, target):
    """Cards are added to a lane (the service asks with it); feelings are placed on a stage."""
    is_open = state == WorkshopState.OPEN
    if isinstance(target, Lane):
        return {"add_card": is_open and ((role in PARTICIPANTS and not board_locked and not target.locked
                                          and phase != Phase.VOTE) or role == HERE),
                "set_feeling": False}
    return {
        "set_feeling": isinstance(target, Stage) and is_open and role in PARTICIPANTS and not board_locked,
    }


def results_expected(role, state, votes_shown, public):
    ended = state == WorkshopState.ENDED
    return {
        "view_votes": votes_shown and (role in ON_BOARD or (ended and public)),
        "view_results": ended and (public or role in ON_BOARD),
    }


@pytest.mark.parametrize("board_locked", [False, True])
@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("state", STATES)
def test_workshop_rules_grid(people, kern, state, phase, board_locked):
    built, people = build(people, kern, state, phase, board_locked)
    workshop, cards, lanes, stages = load(built.pk)
    assert len(cards) == 26 and sum(lane.locked for lane in lanes) == 1
    wrong = []
    for role in ROLES:
        user = fresh(people[role][0])
        seat = seat_of(people, role, workshop)
        assert (seat is not None) == (role in PARTICIPANTS), role
        for perm, want in workshop_expected(role, state).items():
            if may(user, f"lab.{perm}", At(seat, workshop)) != want:
                wrong.append((perm, role))
        for target in [*lanes, *stages]:
            for perm, want in place_expected(role, state, phase, board_locked, target).items():
                if may(user, f"lab.{perm}", At(seat, target)) != want:
                    wrong.append((perm, role, target))
        for card in cards:
            own = seat is not None and card.author_id == seat.pk
            for perm, want in card_expected(role, state, phase, board_locked, card, own).items():
                if may(user, f"lab.{perm}", At(seat, card)) != want:
                    wrong.append((perm, role, card.pk, card.private, card.lane.kind, own))
        for votes_shown in (False, True):
            for visibility in ResultsVisibility.values:
                workshop.votes_shown, workshop.results_visibility = votes_shown, visibility
                expected = results_expected(role, state, votes_shown, visibility == ResultsVisibility.PUBLIC)
                for perm, want in expected.items():
                    if may(user, f"lab.{perm}", At(seat, workshop)) != want:
                        wrong.append((perm, role, votes_shown, visibility))
                for card in cards:  # a card's photo goes where the card goes: the board, and the results once shared
                    own = seat is not None and card.author_id == seat.pk
                    want = (card_expected(role, state, phase, board_locked, card, own)["view_card"]
                            or (expected["view_results"] and not card.private))
                    if may(user, "lab.view_card_photo", At(seat, card)) != want:
                        wrong.append(("view_card_photo", role, card.pk, card.private, visibility, own))
        workshop.votes_shown, workshop.results_visibility = False, ResultsVisibility.PARTICIPANTS
    assert wrong == []


@pytest.mark.parametrize("state", STATES)
def test_the_list_of_cards_is_the_rule_for_every_role(people, kern, state):
    """What the board lists for a viewer who may see it equals ``lab.view_card`` on the live cards."""
    built, people = build(people, kern, state, Phase.BRAINSTORM, False)
    workshop, cards, _lanes, _stages = load(built.pk)
    wrong = []
    for role in ROLES:
        user = fresh(people[role][0])
        seat = seat_of(people, role, workshop)
        allowed = {card.pk for card in cards if card.merged_into_id is None and may(user, "lab.view_card",
                                                                                     At(seat, card))}
        if not may(user, "lab.view_board", At(seat, workshop)):
            assert allowed == set(), role
            continue
        listed = set(visible_cards(workshop, seat, facilitator=facilitates(user, workshop))
                     .values_list("pk", flat=True))
        if listed != allowed:
            wrong.append((role, sorted(listed ^ allowed)))
    assert wrong == []


def test_plan_workshop_grid(people):
    wrong = [role for role in ROLES if may(fresh(people[role][0]), "lab.plan_workshop") != (role in PLANNERS)]
    assert wrong == []


def test_a_seat_of_another_workshop_counts_for_nothing_here(kern):
    """``takes_part`` compares the seat's workshop: a seat elsewhere (a stale or forged one) adds nothing."""
    here = WorkshopFactory(state=WorkshopState.OPEN)
    elsewhere = DeviceParticipantFactory(workshop=WorkshopFactory(state=WorkshopState.OPEN))
    stage, lane = here.stages.first(), here.lanes.get(kind=LaneKind.PAIN)
    card = CardFactory(workshop=here, lane=lane)
    anyone = AnonymousUser()
    assert not may(anyone, "lab.view_board", At(elsewhere, here))
    assert not may(anyone, "lab.add_card", At(elsewhere, lane))
    assert not may(anyone, "lab.set_feeling", At(elsewhere, stage))
    assert not may(anyone, "lab.view_card", At(elsewhere, card))
    Workshop.objects.filter(pk=here.pk).update(phase=Phase.VOTE)
    assert not may(anyone, "lab.place_dot", At(elsewhere, Card.objects.get(pk=card.pk)))
    assert may(anyone, "lab.place_dot", At(DeviceParticipantFactory(workshop=here), Card.objects.get(pk=card.pk)))


def test_a_card_by_a_seat_elsewhere_with_the_same_number_is_not_ones_own(kern):
    """``own_card`` compares the author with the request's own seat, not with any seat of the person."""
    here = WorkshopFactory(state=WorkshopState.OPEN)
    mine = DeviceParticipantFactory(workshop=here)
    card = CardFactory(workshop=here, author=DeviceParticipantFactory(workshop=here), private=True)
    assert not may(AnonymousUser(), "lab.view_card", At(mine, card))
    assert not may(AnonymousUser(), "lab.change_card", At(mine, card))
    assert may(AnonymousUser(), "lab.view_card", At(card.author, card))


def test_a_deactivated_facilitator_runs_nothing(kern):
    lead = in_group(UserFactory(kern=kern))
    workshop = WorkshopFactory(state=WorkshopState.OPEN, facilitators=[lead])
    assert may(fresh(lead), "lab.run_workshop", At(None, workshop))
    type(lead).objects.filter(pk=lead.pk).update(is_active=False)
    assert not may(fresh(lead), "lab.run_workshop", At(None, workshop))
    assert not may(fresh(lead), "lab.view_card", At(None, CardFactory(workshop=workshop, private=True)))


def test_a_card_client_id_is_no_key_to_a_seat():
    """The rule never looks a seat up: a seat must come from ``seat_for`` (asked with a token, not an id)."""
    workshop = WorkshopFactory(state=WorkshopState.OPEN)
    seat = DeviceParticipantFactory(workshop=workshop)
    assert seat_for(user=AnonymousUser(), workshop=workshop, device_token=seat.token) == seat
    assert seat_for(user=AnonymousUser(), workshop=workshop, device_token=str(uuid.uuid4())) is None
    assert seat_for(user=AnonymousUser(), workshop=workshop, device_token=seat.device_token_hash) is None
    assert seat_for(user=AnonymousUser(), workshop=WorkshopFactory(), device_token=seat.token) is None
    assert seat_for(user=AnonymousUser(), workshop=workshop, device_token=seat.token + "x" * 100) is None
