"""What happens with the ideas: a card becomes a draft initiative for the one who will carry it, or an action for
staff with an owner; only facilitators and staff decide, once per card; the signed-in participants are told
of it and of every change of status, and the board's stream says it."""

import datetime
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from community.models import Notification
from lab.models import FollowUpStatus, IdeaFollowUp
from lab.workshops import services
from lab.workshops.services import WorkshopError
from lab.workshops.services.follow_up import change_follow_up, follow_up_as_action, follow_up_as_initiative
from live.models import LiveEvent
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(kern, django_capture_on_commit_callbacks):
    staff, resident, guest_user = StaffFactory(), UserFactory(kern=kern), UserFactory(kern=kern)
    start = timezone.now()
    workshop = services.plan_workshop(actor=staff, title="Verhuizen", service="Verhuizen", kern=kern,
                                      starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    workshop = services.open_workshop(actor=staff, workshop=workshop)
    seat, _token = services.join(user=resident, workshop=workshop)
    hidden, _token = services.join(user=guest_user, workshop=workshop, anonymous=True)
    ideas = workshop.lanes.get(kind="ideas")
    stage = workshop.stages.first()
    idea, _created = services.add_card(actor=resident, participant=seat, stage=stage, lane=ideas,
                                       text="Eén checklist voor nieuwe inwoners", client_id=uuid.uuid4())
    thought, _created = services.add_card(actor=resident, participant=seat, stage=stage,
                                          lane=workshop.lanes.get(kind="thinks"), text="Waar begin ik?",
                                          client_id=uuid.uuid4())
    services.reveal(actor=staff, workshop=workshop)
    idea.refresh_from_db()
    thought.refresh_from_db()
    return {"workshop": workshop, "staff": staff, "resident": resident, "guest": guest_user, "idea": idea,
            "thought": thought}


def test_an_idea_becomes_a_draft_initiative_for_its_carrier_who_is_told(board, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        follow_up = follow_up_as_initiative(actor=board["staff"], card=board["idea"], offer_to=board["resident"])
    draft = follow_up.initiative
    assert draft.status == "draft" and draft.title == "Eén checklist voor nieuwe inwoners"
    assert draft.initiator == board["resident"]
    kinds = set(Notification.objects.filter(recipient=board["resident"]).values_list("kind", flat=True))
    assert {"lab.initiative_offered", "lab.idea_followed_up"} <= kinds
    # The participant who took part anonymously is not told: nothing links their seat to them.
    assert not Notification.objects.filter(recipient=board["guest"], kind="lab.idea_followed_up").exists()
    event = LiveEvent.objects.filter(stream=f"workshop.{board['workshop'].pk}", type="idea.followed_up").get()
    assert event.payload["card"] == board["idea"].pk and event.payload["initiative_url"] == draft.get_absolute_url()


def test_an_action_needs_a_staff_owner_and_a_title(board):
    with pytest.raises(WorkshopError):
        follow_up_as_action(actor=board["staff"], card=board["idea"], owner=board["resident"], title="Checklist")
    with pytest.raises(WorkshopError):
        follow_up_as_action(actor=board["staff"], card=board["idea"], owner=board["staff"], title=" <b></b> ")
    action = follow_up_as_action(actor=board["staff"], card=board["idea"], owner=board["staff"],
                                 title="Checklist <script>x</script>maken", note="Voor de zomer")
    assert action.title == "Checklist maken" and action.owner == board["staff"]


def test_one_decision_per_card_and_only_for_ideas_and_pain_points(board):
    follow_up_as_action(actor=board["staff"], card=board["idea"], owner=board["staff"], title="Checklist")
    with pytest.raises(WorkshopError):
        follow_up_as_action(actor=board["staff"], card=board["idea"], owner=board["staff"], title="Nog een")
    with pytest.raises(PermissionDenied):
        follow_up_as_action(actor=board["staff"], card=board["thought"], owner=board["staff"], title="Denken")
    assert IdeaFollowUp.objects.count() == 1


@pytest.mark.parametrize("who", ["resident", "guest", "anonymous"])
def test_participants_do_not_decide(board, who):
    actor = AnonymousUser() if who == "anonymous" else board[who]
    with pytest.raises(PermissionDenied):
        follow_up_as_action(actor=actor, card=board["idea"], owner=board["staff"], title="Checklist")
    assert not IdeaFollowUp.objects.exists()


def test_every_change_of_status_is_told_once(board, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        action = follow_up_as_action(actor=board["staff"], card=board["idea"], owner=board["staff"],
                                     title="Checklist")
        change_follow_up(actor=board["staff"], follow_up=action, status=FollowUpStatus.IN_PROGRESS)
        change_follow_up(actor=board["staff"], follow_up=action, status=FollowUpStatus.IN_PROGRESS, note="Bijna")
        change_follow_up(actor=board["staff"], follow_up=action, status=FollowUpStatus.DONE)
    told = Notification.objects.filter(recipient=board["resident"], kind="lab.idea_followed_up").count()
    assert told == 3  # new, in progress, done: the note alone is no news
    action.refresh_from_db()
    assert action.status == "done" and action.note == ""
    with pytest.raises(WorkshopError):
        change_follow_up(actor=board["staff"], follow_up=action, status="weg")
    with pytest.raises(PermissionDenied):
        change_follow_up(actor=board["resident"], follow_up=action, status=FollowUpStatus.DROPPED)
