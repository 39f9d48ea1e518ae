"""'Hoe was deze bijeenkomst?' after a workshop: signed-in participants and facilitators are invited once; a seat
without an account gets its own link on screen, renewed on each visit but always the same invitation, so one
seat gives one answer; nobody is asked before the end; only facilitators and staff read the answers."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from core.permissions import may
from lab.feedback.services import AlreadyAnswered, InvalidLink, answer
from lab.models import FeedbackInvitation, Participant
from lab.workshops import services
from lab.workshops.services import WorkshopError
from lab.workshops.services.feedback import feedback_link
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(kern):
    staff = StaffFactory()
    start = timezone.now()
    workshop = services.plan_workshop(actor=staff, title="Verhuizen", service="Verhuizen", kern=kern,
                                      starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    return services.open_workshop(actor=staff, workshop=workshop)


def _end(workshop):
    return services.end_workshop(actor=workshop.facilitators.first(), workshop=workshop)


def test_the_end_invites_signed_in_participants_and_facilitators_once(workshop, kern):
    resident = UserFactory(kern=kern)
    services.join(user=resident, workshop=workshop)
    services.join(user=AnonymousUser(), workshop=workshop, display_name="Sanne")
    assert not FeedbackInvitation.objects.exists()  # nobody is asked before the end
    _end(workshop)
    invited = set(FeedbackInvitation.objects.filter(subject_kind="workshop").values_list("user_id", flat=True))
    assert invited == {resident.pk, workshop.facilitators.first().pk}


def test_a_seat_without_an_account_answers_once_by_its_own_link(workshop):
    seat, _token = services.join(user=AnonymousUser(), workshop=workshop, display_name="Sanne")
    with pytest.raises(WorkshopError):
        feedback_link(seat)
    _end(workshop)
    first = feedback_link(Participant.objects.get(pk=seat.pk))
    second = feedback_link(Participant.objects.get(pk=seat.pk))
    assert first != second
    assert FeedbackInvitation.objects.filter(user=None, subject_kind="workshop").count() == 1

    def token(link):
        return link.rstrip("/").rsplit("/", 1)[-1]

    with pytest.raises(InvalidLink):  # the renewed link replaced the first
        answer(token=token(first), kind="workshop", object_id=workshop.pk, experience="good", heard="yes",
               again="yes")
    answer(token=token(second), kind="workshop", object_id=workshop.pk, experience="good", heard="yes", again="yes")
    assert feedback_link(Participant.objects.get(pk=seat.pk)) == ""  # answered: no new link
    with pytest.raises((AlreadyAnswered, InvalidLink)):
        answer(token=token(second), kind="workshop", object_id=workshop.pk, experience="bad", heard="no",
               again="no")


def test_only_facilitators_and_staff_read_the_answers(workshop, kern):
    facilitator = workshop.facilitators.first()
    resident = UserFactory(kern=kern)
    services.join(user=resident, workshop=workshop)
    assert may(facilitator, "lab.view_workshop_feedback", workshop)
    assert may(StaffFactory(), "lab.view_workshop_feedback", workshop)
    assert not may(resident, "lab.view_workshop_feedback", workshop)
    assert not may(AnonymousUser(), "lab.view_workshop_feedback", workshop)
