"""The guards of the workshop services that the other tests left unproven: each test here fails when its guard
(a lock, the transaction that makes a lock hold, an idempotency look-up, a limit, who is told, who may act, the
page cache emptied after commit) is taken out of the service.

The tests marked ``postgres`` hold a real row lock in this test's own connection and let a second thread and
connection run a service against it; ``wait_for`` watches PostgreSQL until that thread waits for our lock (or
has already finished, which is what happens when the guard is gone). Nothing is timed; the one stand-in is
the random draw of a join code, which one test chooses so that it hits a code already taken.
"""

import types
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction

from community.models import Notification, User
from core.pagecache import generation
from initiatives.models import Initiative
from lab.models import (
    Card,
    Dot,
    FollowUpStatus,
    IdeaFollowUp,
    Lane,
    LaneKind,
    Participant,
    Phase,
    Stage,
    Workshop,
    WorkshopState,
)
from lab.workshops import services
from lab.workshops.services import WorkshopError
from lab.workshops.services import workshops as workshop_services
from lab.workshops.services.follow_up import change_follow_up, follow_up_as_action, follow_up_as_initiative
from tests import factories
from tests.lab.workshops.conftest import cell, events, guest_joins, plan, write
from tests.services import require_service
from tests.threads import Other, finish, wait_for

pytestmark = pytest.mark.django_db


def _require_postgres():
    require_service("PostgreSQL", connection.vendor == "postgresql", "Set DATABASE_URL to a PostgreSQL database.")


def after_commit_forgets_pages(django_capture_on_commit_callbacks, action):
    """Run ``action``; the cached pages must be forgotten, and only once the transaction has committed."""
    before = generation()
    with django_capture_on_commit_callbacks() as callbacks:
        result = action()
    assert generation() == before  # a page rendered before the commit would otherwise be kept as new
    for callback in callbacks:
        callback()
    assert generation() != before
    return result


@pytest.fixture
def voting(board, lead, guest, other_guest):
    """Two shared cards in lanes that take dots; the vote is on."""
    services.set_phase(actor=lead, workshop=board, phase=Phase.SHARE)
    cards = [write(other_guest, "Checklist", kind=LaneKind.IDEAS)[0], write(guest, "Wachten", kind=LaneKind.PAIN)[0]]
    services.set_phase(actor=lead, workshop=board, phase=Phase.VOTE)
    return cards


def dot(seat, card, key=None):
    return services.place_dot(actor=seat.user or AnonymousUser(), participant=seat, card=card,
                              client_id=key or uuid.uuid4())


# -- transactions: a lock only holds inside one


@pytest.mark.django_db(transaction=True)
def test_every_locking_write_opens_its_own_transaction(board, lead, guest, staff):
    """Called from code that runs in autocommit (a consumer, a task, a command), each service still takes its
    row locks in a transaction of its own; without it PostgreSQL refuses the lock (and a lock that is released
    at once would guard nothing)."""
    assert connection.get_autocommit()
    card, _created = write(guest, "Eerst")
    services.edit_card(actor=AnonymousUser(), participant=guest, card=card, text="Daarna")
    services.set_feeling(actor=AnonymousUser(), participant=guest, stage=cell(board)[0], score=1)
    lane = board.lanes.get(kind=LaneKind.IDEAS)
    services.lock_lane(actor=lead, lane=lane, locked=True)
    services.lock_lane(actor=lead, lane=lane, locked=False)
    services.add_stage(actor=lead, workshop=board, title="Verhuisd")
    services.add_lane(actor=lead, workshop=board, title="Wie helpt")
    services.reveal(actor=lead, workshop=board)
    second, _created = write(guest, "Tweede")
    third, _created = write(guest, "Derde")
    services.move_card(actor=lead, card=second, stage=cell(board, stage=1)[0], lane=board.lanes.get(kind=LaneKind.PAIN))
    services.group_cards(actor=lead, cards=[card, second], label="Post")
    services.merge_cards(actor=lead, survivor=card, duplicates=[third])
    idea, _created = write(guest, "Een sms bij elke stap", kind=LaneKind.IDEAS)
    services.set_phase(actor=lead, workshop=board, phase=Phase.VOTE)
    placed, _created = dot(guest, card)
    services.remove_dot(actor=AnonymousUser(), participant=guest, dot=placed)
    services.remove_card(actor=lead, participant=None, card=second)
    services.write_summary(actor=lead, workshop=board, summary="Klaar", results_visibility="public")
    action = follow_up_as_action(actor=lead, card=Card.objects.get(pk=card.pk), owner=staff, title="Checklist")
    change_follow_up(actor=lead, follow_up=action, status=FollowUpStatus.IN_PROGRESS)
    offered = follow_up_as_initiative(actor=lead, card=idea, offer_to=guest_user(board))
    stored = Card.objects.get(pk=card.pk)
    assert (stored.text, stored.group_label, stored.private) == ("Daarna", "Post", False)
    assert Card.objects.get(pk=third.pk).merged_into_id == card.pk and not Card.objects.filter(pk=second.pk).exists()
    assert not Dot.objects.exists() and board.stages.count() == 6 and board.lanes.count() == 7
    assert Workshop.objects.get(pk=board.pk).phase == Phase.VOTE
    assert IdeaFollowUp.objects.get(pk=action.pk).status == FollowUpStatus.IN_PROGRESS and offered.initiative_id


def guest_user(board):
    """A resident who joins ``board`` as themselves (they may carry an initiative)."""
    resident = factories.UserFactory(kern=board.kern)
    services.join(user=resident, workshop=board)
    return resident


@pytest.mark.django_db(transaction=True)
def test_a_plan_that_fails_half_way_leaves_no_workshop_behind(lead):
    """The workshop, its facilitators, stages and lanes are written in one transaction: a facilitator whose
    account was removed while the form was open fails the plan, and no half-made workshop is left."""
    gone = factories.StaffFactory()
    User.objects.filter(pk=gone.pk).delete()  # the instance the form holds keeps its id
    with pytest.raises(IntegrityError):
        plan(lead, facilitators=[gone])
    assert (Workshop.objects.count(), Stage.objects.count(), Lane.objects.count()) == (0, 0, 0)


def test_a_join_code_that_is_taken_is_drawn_again(lead, monkeypatch):
    """Two boards never share a join code: a draw that hits a taken code is rolled back to its savepoint and
    drawn again. The draw is the one random part, so the test chooses it."""
    first = plan(lead)
    taken = int(first.join_code)
    fresh = (taken + 1) % 1_000_000
    draws, bounds = iter([taken, taken, fresh]), []

    def randbelow(bound):
        bounds.append(bound)
        return next(draws)

    monkeypatch.setattr(workshop_services, "secrets", types.SimpleNamespace(randbelow=randbelow))
    second = plan(lead)
    assert second.join_code == f"{fresh:06d}" and Workshop.objects.count() == 2
    assert bounds == [1_000_000] * 3  # six digits: a seventh would not fit the code


# -- idempotency: a retry that loses the race gets its own write back


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_card_sent_again_while_the_first_is_written_gets_that_card_back(board, lead, guest):
    """The retry checks "is it there?" before the first copy commits, then loses on the unique constraint; it is
    answered with the card of this board and this client id (another board has a card with the same id, and this
    board has another card of the same seat)."""
    _require_postgres()
    key = uuid.uuid4()
    elsewhere = services.open_workshop(actor=lead, workshop=plan(lead))
    write(guest_joins(elsewhere, "Sanne"), "Op een ander bord", client_id=key)
    write(guest, "Eerder", client_id=uuid.uuid4())
    with transaction.atomic():
        Workshop.objects.select_for_update().get(pk=board.pk)  # the first copy is being written
        retry = Other(lambda: write(guest, "Geen bevestiging", client_id=key))
        assert wait_for(retry)
        first, created = write(guest, "Geen bevestiging", client_id=key)
    finish(retry)
    assert created and retry.error is None, retry.error
    assert retry.result == (first, False)
    assert Card.objects.filter(workshop=board, client_id=key).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_dot_sent_again_while_the_first_is_placed_gets_that_dot_back(voting, guest, other_guest):
    """As for cards: the losing retry is answered with this seat's dot of this client id (another seat used the
    same id, and this seat has another dot)."""
    _require_postgres()
    key = uuid.uuid4()
    dot(other_guest, voting[0], key)
    dot(guest, voting[1])
    with transaction.atomic():
        Participant.objects.select_for_update().get(pk=guest.pk)  # the first tap is being counted
        retry = Other(lambda: dot(guest, voting[0], key))
        assert wait_for(retry)
        first, created = dot(guest, voting[0], key)
    finish(retry)
    assert created and retry.error is None, retry.error
    assert retry.result == (first, False)
    assert Dot.objects.filter(participant=guest).count() == 2


# -- locks


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_idea_merged_away_meanwhile_gets_no_follow_up(board, lead, guest, staff):
    """``lock_card`` holds the card while the rule is asked: a follow-up that starts while the card is being
    merged waits, then sees a merged card and is refused. Without the lock it reads the card from before the
    merge and decides about an idea that no longer stands on its own."""
    _require_postgres()
    survivor, _c = write(guest, "Checklist", kind=LaneKind.IDEAS)
    duplicate, _c = write(guest, "Een lijstje", kind=LaneKind.IDEAS)
    services.reveal(actor=lead, workshop=board)
    duplicate.refresh_from_db()
    with transaction.atomic():
        services.merge_cards(actor=lead, survivor=Card.objects.get(pk=survivor.pk), duplicates=[duplicate])
        deciding = Other(lambda: follow_up_as_action(actor=lead, card=duplicate, owner=staff, title="Doen"))
        wait_for(deciding)
    finish(deciding)
    assert isinstance(deciding.error, PermissionDenied), deciding.error or deciding.result
    assert not IdeaFollowUp.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_status_sent_twice_at_once_is_told_once(board, lead, guest, staff):
    """The follow-up's row is locked while its status changes: the second of two equal changes waits, finds the
    status already set and tells nobody. Without the lock both read the old status and both tell the board."""
    _require_postgres()
    services.reveal(actor=lead, workshop=board)
    idea, _c = write(guest, "Checklist", kind=LaneKind.IDEAS)
    action = follow_up_as_action(actor=lead, card=idea, owner=staff, title="Checklist")
    with transaction.atomic():
        change_follow_up(actor=lead, follow_up=action, status=FollowUpStatus.IN_PROGRESS)
        again = Other(lambda: change_follow_up(actor=lead, follow_up=action, status=FollowUpStatus.IN_PROGRESS))
        wait_for(again)
    finish(again)
    assert again.error is None, again.error
    assert [e.payload["status"] for e in events(board, "idea.followed_up")] == ["planned", "in_progress"]


# -- whose dot, which spotlight, which follow-up


def test_removing_a_card_clears_its_own_boards_spotlight_only_when_it_is_the_one_shown(board, lead, guest):
    elsewhere = services.open_workshop(actor=lead, workshop=plan(lead))
    services.set_phase(actor=lead, workshop=elsewhere, phase=Phase.SHARE)
    shown_elsewhere, _c = write(guest_joins(elsewhere, "Kees"), "Daar in beeld")
    services.spotlight(actor=lead, workshop=elsewhere, card=shown_elsewhere)
    services.set_phase(actor=lead, workshop=board, phase=Phase.SHARE)
    shown, _c = write(guest, "Hier in beeld")
    other, _c = write(guest, "Niet in beeld")
    services.spotlight(actor=lead, workshop=board, card=shown)
    services.remove_card(actor=AnonymousUser(), participant=guest, card=other)
    assert Workshop.objects.get(pk=board.pk).spotlight_id == shown.pk
    services.remove_card(actor=AnonymousUser(), participant=guest, card=shown)
    assert Workshop.objects.get(pk=board.pk).spotlight_id is None
    assert Workshop.objects.get(pk=elsewhere.pk).spotlight_id == shown_elsewhere.pk


def test_removing_a_dot_deletes_only_a_dot_of_the_seat(voting, guest, other_guest):
    """The delete itself is scoped to the seat, so a dot object whose owner was changed in memory (a stale or
    forged instance) still cannot take away someone else's dot."""
    theirs, _c = dot(other_guest, voting[0])
    claimed = Dot.objects.get(pk=theirs.pk)
    claimed.participant_id = guest.pk
    services.remove_dot(actor=AnonymousUser(), participant=guest, dot=claimed)
    assert Dot.objects.filter(pk=theirs.pk, participant=other_guest).exists()


def test_a_status_change_touches_that_follow_up_only(board, lead, guest, staff):
    services.reveal(actor=lead, workshop=board)
    first = follow_up_as_action(actor=lead, card=write(guest, "Een", kind=LaneKind.IDEAS)[0], owner=staff,
                                title="Een")
    second = follow_up_as_action(actor=lead, card=write(guest, "Twee", kind=LaneKind.IDEAS)[0], owner=staff,
                                 title="Twee")
    changed = change_follow_up(actor=lead, follow_up=second, status=FollowUpStatus.DONE)
    assert changed.pk == second.pk
    assert IdeaFollowUp.objects.get(pk=first.pk).status == FollowUpStatus.PLANNED
    assert IdeaFollowUp.objects.get(pk=second.pk).status == FollowUpStatus.DONE


def test_a_new_note_on_the_same_status_is_kept_and_told_to_nobody(board, lead, guest, staff):
    services.reveal(actor=lead, workshop=board)
    action = follow_up_as_action(actor=lead, card=write(guest, "Een", kind=LaneKind.IDEAS)[0], owner=staff,
                                 title="Een")
    told = len(events(board, "idea.followed_up"))
    change_follow_up(actor=lead, follow_up=action, status=FollowUpStatus.PLANNED, note="Eerst navragen")
    assert IdeaFollowUp.objects.get(pk=action.pk).note == "Eerst navragen"
    change_follow_up(actor=lead, follow_up=action, status=FollowUpStatus.PLANNED, note="Eerst navragen")
    assert len(events(board, "idea.followed_up")) == told


# -- follow-ups: once, within limits, told to this workshop's people only


@pytest.fixture
def shared_idea(board, lead, guest):
    services.reveal(actor=lead, workshop=board)
    return write(guest, "Checklist voor nieuwe inwoners", kind=LaneKind.IDEAS)[0]


def test_a_decided_idea_is_refused_before_an_initiative_is_tried(shared_idea, lead, staff):
    """The decision is looked up first: a second offer is refused as already decided, even to someone who could
    not start an initiative at all (that refusal would otherwise hide the real reason)."""
    follow_up_as_action(actor=lead, card=shared_idea, owner=staff, title="Checklist")
    with pytest.raises(WorkshopError) as refused:
        follow_up_as_initiative(actor=lead, card=shared_idea, offer_to=factories.StaffFactory())
    assert refused.value.code == "state"
    assert IdeaFollowUp.objects.count() == 1 and not Initiative.objects.exists()


def test_a_long_idea_becomes_a_draft_within_the_initiatives_limits(board, lead, guest):
    services.reveal(actor=lead, workshop=board)
    text = "Een checklist " + "x" * 486  # the longest card: 500 characters
    idea, _c = write(guest, text, kind=LaneKind.IDEAS)
    draft = follow_up_as_initiative(actor=lead, card=idea, offer_to=guest_user(board)).initiative
    assert (draft.title, draft.summary) == (text[:120], text[:300])


def test_a_short_idea_becomes_a_draft_named_as_an_idea(board, lead, guest):
    """An initiative's title has at least five characters: "Sms" becomes "Idee: Sms", its summary "Sms"."""
    services.reveal(actor=lead, workshop=board)
    for text in ("Sms", "Bank"):
        idea, _c = write(guest, text, kind=LaneKind.IDEAS)
        draft = follow_up_as_initiative(actor=lead, card=idea, offer_to=guest_user(board)).initiative
        assert (draft.title, draft.summary) == (f"Idee: {text}", text)
    idea, _c = write(guest, "Buurt", kind=LaneKind.IDEAS)
    assert follow_up_as_initiative(actor=lead, card=idea, offer_to=guest_user(board)).initiative.title == "Buurt"


def test_the_draft_belongs_to_the_workshops_kern_or_else_the_carriers(lead, guest, other_kern, kern):
    """The workshop's kern decides whose council looks at the plan; the carrier's own kern only when the
    workshop has none."""
    board = Workshop.objects.get(pk=guest.workshop_id)
    services.reveal(actor=lead, workshop=board)
    carrier = factories.UserFactory(kern=other_kern)
    draft = follow_up_as_initiative(actor=lead, card=write(guest, "Een checklist", kind=LaneKind.IDEAS)[0],
                                    offer_to=carrier).initiative
    assert draft.kern == kern
    Workshop.objects.filter(pk=board.pk).update(kern=None)
    draft = follow_up_as_initiative(actor=lead, card=write(guest, "Een sms-dienst", kind=LaneKind.IDEAS)[0],
                                    offer_to=carrier).initiative
    assert draft.kern == other_kern


def test_an_action_records_who_decided_and_keeps_to_its_limits(shared_idea, lead, staff):
    for title, note in (("x" * 201, ""), ("Doen", "x" * 2001)):
        with pytest.raises(WorkshopError):
            follow_up_as_action(actor=lead, card=shared_idea, owner=staff, title=title, note=note)
    assert not IdeaFollowUp.objects.exists()
    action = follow_up_as_action(actor=lead, card=shared_idea, owner=staff, title="x" * 200, note="y" * 2000)
    assert action.created_by == lead and (len(action.title), len(action.note)) == (200, 2000)
    with pytest.raises(WorkshopError):
        change_follow_up(actor=lead, follow_up=action, status=FollowUpStatus.DONE, note="z" * 2001)
    assert IdeaFollowUp.objects.get(pk=action.pk).status == FollowUpStatus.PLANNED


def test_only_this_workshops_signed_in_people_are_told_of_an_idea(board, lead, guest, member, staff,
                                                                   django_capture_on_commit_callbacks):
    elsewhere = services.open_workshop(actor=lead, workshop=plan(lead))
    outsider = factories.UserFactory()
    services.join(user=outsider, workshop=elsewhere)
    services.reveal(actor=lead, workshop=board)
    idea, _c = write(guest, "Checklist", kind=LaneKind.IDEAS)
    with django_capture_on_commit_callbacks(execute=True):
        follow_up_as_action(actor=lead, card=idea, owner=staff, title="Checklist")
    told = set(Notification.objects.filter(kind="lab.idea_followed_up").values_list("recipient", flat=True))
    assert told == {member.user_id}


# -- the summary


def test_only_the_facilitators_write_the_summary_for_a_known_audience(board, lead, member, staff):
    for actor in (member.user, staff, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.write_summary(actor=actor, workshop=board, summary="Niets", results_visibility="public")
    for summary, visibility in (("Goed", "everyone"), ("Goed", ""), ("x" * 5001, "public")):
        with pytest.raises(WorkshopError):
            services.write_summary(actor=lead, workshop=board, summary=summary, results_visibility=visibility)
    stored = Workshop.objects.get(pk=board.pk)
    assert (stored.summary, stored.results_visibility) == ("", "participants")
    services.write_summary(actor=lead, workshop=board, summary="<b>Een</b> checklist" + "x" * 4987,
                           results_visibility="public")
    stored = Workshop.objects.get(pk=board.pk)
    assert (len(stored.summary), stored.results_visibility) == (5000, "public")


# -- what pages show


def test_planning_opening_ending_and_the_summary_refresh_the_cached_pages_after_commit(
        lead, kern, django_capture_on_commit_callbacks):
    """The lab's pages list upcoming workshops and show ended ones with their summary: each of these changes
    empties the page cache, once the change has committed."""
    planned = after_commit_forgets_pages(django_capture_on_commit_callbacks, lambda: plan(lead, kern=kern))
    opened = after_commit_forgets_pages(django_capture_on_commit_callbacks,
                                        lambda: services.open_workshop(actor=lead, workshop=planned))
    ended = after_commit_forgets_pages(django_capture_on_commit_callbacks,
                                       lambda: services.end_workshop(actor=lead, workshop=opened))
    after_commit_forgets_pages(django_capture_on_commit_callbacks, lambda: services.write_summary(
        actor=lead, workshop=ended, summary="Klaar", results_visibility="public"))
    assert Workshop.objects.get(pk=planned.pk).state == WorkshopState.ENDED

