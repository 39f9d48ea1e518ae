"""The guards of the feedback services that the other tests left unproven: who can be invited, that an invitation
or a link belongs to one encounter of one kind, that a parallel invite keeps the first invitation, the limit on
pasted text, that nobody answers about an encounter that is gone, and that a seat's link is renewed under a lock
in a transaction of its own. Each test fails when its guard is taken out of the service."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.utils import timezone

from community.models import Kern, User
from lab.feedback import services
from lab.feedback.subjects import register_subject, unregister_subject
from lab.models import FeedbackAnswer, FeedbackInvitation, Participant
from lab.workshops import services as workshop_services
from lab.workshops.services.feedback import feedback_link
from tests import factories
from tests.factories_lab import GOOD, TEST_KIND, token_of
from tests.services import require_service
from tests.threads import Other, finish, wait_for

pytestmark = pytest.mark.django_db

OTHER_KIND = "test_kern_evening"


@pytest.fixture
def other_kind():
    """A second kind of encounter about the same kerns, so the two kinds share their object ids."""
    register_subject(OTHER_KIND, resolve=lambda pk: Kern.objects.filter(pk=pk).first(),
                     title=lambda kern: f"Inloop in {kern.name}", question="Hoe was de inloop?",
                     may_see_answers="community.moderate_kern", url=lambda kern: f"/{kern.slug}/")
    yield OTHER_KIND
    unregister_subject(OTHER_KIND)


def invite(kind, object_id, users):
    return services.invite(kind=kind, object_id=object_id, users=users, send=False)


# -- who is invited, to what


def test_nobody_without_a_saved_account_is_invited(encounter, participants):
    """A seat without an account (None) or an account not saved has nobody to invite; they are left out."""
    unsaved = User(email="nog-niet@example.org", first_name="Nog")
    invited = invite(TEST_KIND, encounter.pk, [None, unsaved, participants[0]])
    assert [i.invitation.user for i in invited] == [participants[0]]
    assert FeedbackInvitation.objects.count() == 1


def test_an_invitation_to_one_encounter_is_not_one_to_another(encounter, participants, other_kern, other_kind):
    """Someone invited to an encounter is still asked about another of the same kind, and about one of another
    kind that has the same id."""
    person = participants[0]
    first = invite(TEST_KIND, encounter.pk, [person])[0]
    same_id = invite(other_kind, encounter.pk, [person])[0]
    same_kind = invite(TEST_KIND, other_kern.pk, [person])[0]
    assert (first.created, same_id.created, same_kind.created) == (True, True, True)
    assert all(i.link for i in (first, same_id, same_kind))
    assert len({first.invitation.pk, same_id.invitation.pk, same_kind.invitation.pk}) == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_parallel_invite_of_the_same_person_keeps_the_first_invitation(encounter, participants, other_kern,
                                                                         other_kind):
    """The second invite reads "not invited yet" before the first commits, then loses on the unique constraint:
    it hands back the first invitation (no second link), and goes on with the next person. The person also has
    invitations to another encounter and of another kind, and someone else is invited to this one."""
    require_service("PostgreSQL", connection.vendor == "postgresql", "Set DATABASE_URL to a PostgreSQL database.")
    person, someone, newcomer = participants  # made in this order: ``person`` comes first in every invite
    invite(other_kind, encounter.pk, [person])
    invite(TEST_KIND, other_kern.pk, [person])
    invite(TEST_KIND, encounter.pk, [someone])
    with transaction.atomic():
        [first] = invite(TEST_KIND, encounter.pk, [person])  # written, not yet committed
        second = Other(lambda: invite(TEST_KIND, encounter.pk, [person, newcomer]))
        assert wait_for(second)  # its insert waits on the first one's unique key
    finish(second)
    assert second.error is None, second.error
    again, new = second.result
    assert (again.invitation.pk, again.created, again.link) == (first.invitation.pk, False, "")
    assert new.created and new.invitation.user_id == newcomer.pk and new.link
    assert FeedbackInvitation.objects.filter(subject_kind=TEST_KIND, subject_id=encounter.pk).count() == 3


# -- links without an account


def test_a_link_is_made_only_for_a_known_encounter(encounter):
    with pytest.raises(services.SubjectGone):
        services.open_link(kind="nothing_like_this", object_id=encounter.pk)
    with pytest.raises(services.SubjectGone):
        services.open_link(kind=TEST_KIND, object_id=999_999)
    assert not FeedbackInvitation.objects.exists()


def test_a_new_link_opens_its_invitation_and_a_renewed_one_replaces_it(encounter):
    first = services.open_link(kind=TEST_KIND, object_id=encounter.pk)
    assert first.created and first.invitation.user is None
    assert services.invitation_for_token(token_of(first.link)) == first.invitation
    renewed = services.open_link(kind=TEST_KIND, object_id=encounter.pk, invitation=first.invitation)
    assert not renewed.created and renewed.invitation.pk == first.invitation.pk
    with pytest.raises(services.InvalidLink):
        services.invitation_for_token(token_of(first.link))
    services.answer(kind=TEST_KIND, object_id=encounter.pk, token=token_of(renewed.link), **GOOD)
    assert FeedbackInvitation.objects.get().answered and FeedbackAnswer.objects.count() == 1


def test_an_invitation_is_never_renewed_for_another_encounter(encounter, other_kern, other_kind):
    """Renewing moves no invitation (and so no answer) from one encounter to another; its link keeps working."""
    invited = services.open_link(kind=TEST_KIND, object_id=encounter.pk)
    for kind, object_id in ((TEST_KIND, other_kern.pk), (other_kind, encounter.pk)):
        with pytest.raises(services.FeedbackError):
            services.open_link(kind=kind, object_id=object_id, invitation=invited.invitation)
    stored = FeedbackInvitation.objects.get()
    assert (stored.subject_kind, stored.subject_id) == (TEST_KIND, encounter.pk)
    assert services.invitation_for_token(token_of(invited.link)) == stored


# -- answering


def test_pasted_text_far_beyond_the_limit_is_refused_before_it_is_cleaned():
    """Ten times the limit is the most that is cleaned at all, whatever is left after cleaning."""
    limit = services.RAW_TEXT_LIMIT
    empty_tags = "<b></b>" * ((limit - 4) // 7)
    assert len(empty_tags + "Goed") == limit
    assert services.clean_answer(choices=GOOD, text=empty_tags + "Goed")[1] == "Goed"
    with pytest.raises(services.FeedbackError) as refused:
        services.clean_answer(choices=GOOD, text=empty_tags + "Goed!")
    assert refused.value.code == "text_too_long"


def test_a_link_or_an_invitation_answers_only_its_own_kind_of_encounter(encounter, participants, other_kind):
    """An invitation to another kind of encounter with the same id opens nothing here, by link or signed in."""
    person = participants[0]
    elsewhere = invite(other_kind, encounter.pk, [person])[0]
    with pytest.raises(services.InvalidLink):
        services.answer(kind=TEST_KIND, object_id=encounter.pk, token=token_of(elsewhere.link), **GOOD)
    with pytest.raises(services.NotInvited):
        services.answer(kind=TEST_KIND, object_id=encounter.pk, user=person, **GOOD)
    assert not FeedbackAnswer.objects.exists() and not FeedbackInvitation.objects.get().answered


def test_nobody_answers_about_an_encounter_that_is_gone(participants):
    gone = factories.KernFactory()
    invited = invite(TEST_KIND, gone.pk, participants[:1])[0]
    Kern.objects.filter(pk=gone.pk).delete()
    with pytest.raises(services.SubjectGone):
        services.answer(kind=TEST_KIND, object_id=gone.pk, token=token_of(invited.link), **GOOD)
    assert not FeedbackAnswer.objects.exists() and not FeedbackInvitation.objects.get().answered


# -- a workshop seat's own link


@pytest.mark.django_db(transaction=True)
def test_a_seats_link_is_renewed_in_a_transaction_of_its_own(kern):
    """``feedback_link`` locks the seat while it reads and sets the seat's one invitation; called from code in
    autocommit the lock still needs a transaction (without one PostgreSQL refuses it)."""
    assert connection.get_autocommit()
    staff = factories.StaffFactory()
    start = timezone.now()
    workshop = workshop_services.plan_workshop(actor=staff, title="Verhuizen", service="Verhuizen", kern=kern,
                                               starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    workshop = workshop_services.open_workshop(actor=staff, workshop=workshop)
    seat, _token = workshop_services.join(user=AnonymousUser(), workshop=workshop, display_name="Sanne")
    workshop_services.end_workshop(actor=staff, workshop=workshop)
    first = feedback_link(Participant.objects.get(pk=seat.pk))
    second = feedback_link(Participant.objects.get(pk=seat.pk))
    assert first and second and first != second
    invitation = FeedbackInvitation.objects.get(user=None, subject_kind="workshop")
    assert Participant.objects.get(pk=seat.pk).feedback_invitation == invitation
