"""The feedback services: invite once per person, one answer per invitation, bad input changes nothing."""

import pytest

from community.models import Notification
from lab.feedback import services
from lab.models import FeedbackAnswer, FeedbackInvitation
from lab.notification_kinds import FEEDBACK_ASKED
from tests import factories
from tests.factories_lab import GOOD, TEST_KIND, token_of

pytestmark = pytest.mark.django_db


def answer(encounter, **kwargs):
    return services.answer(kind=TEST_KIND, object_id=encounter.pk, **{**GOOD, **kwargs})


def test_invite_is_idempotent_one_invitation_per_person(encounter, participants):
    first = services.invite(kind=TEST_KIND, object_id=encounter.pk, users=participants, send=False)
    again = services.invite(kind=TEST_KIND, object_id=encounter.pk, users=[*participants, participants[0]],
                            send=False)
    assert [i.created for i in first] == [True, True, True] and all(i.link for i in first)
    assert [i.created for i in again] == [False, False, False] and not any(i.link for i in again)
    assert {i.invitation.pk for i in first} == {i.invitation.pk for i in again}
    assert FeedbackInvitation.objects.count() == 3


def test_invite_stores_only_a_hash_of_a_long_random_token(encounter, participants):
    invited = services.invite(kind=TEST_KIND, object_id=encounter.pk, users=participants[:1], send=False)[0]
    token = token_of(invited.link)
    assert len(token) >= 43  # 32 random bytes: 256 bits
    stored = FeedbackInvitation.objects.get()
    assert token not in str(stored.__dict__) and stored.token_hash == services.hash_token(token)


def test_invite_tells_each_new_invitee_once_with_their_link(encounter, participants,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invited = services.invite(kind=TEST_KIND, object_id=encounter.pk, users=participants)
    with django_capture_on_commit_callbacks(execute=True):
        services.invite(kind=TEST_KIND, object_id=encounter.pk, users=participants)
    notes = Notification.objects.filter(kind=FEEDBACK_ASKED)
    assert notes.count() == 3
    assert {n.url for n in notes} == {i.link for i in invited}
    assert notes.first().text == f"Hoe was deze bijeenkomst? Vertel het ons over: Avond in {encounter.name}"


def test_answering_settles_the_notification(encounter, participants, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invited = services.invite(kind=TEST_KIND, object_id=encounter.pk, users=participants[:1])
    with django_capture_on_commit_callbacks(execute=True):
        answer(encounter, token=token_of(invited[0].link))
    assert Notification.objects.get(kind=FEEDBACK_ASKED).resolved_at is not None


def test_answer_by_token_records_one_anonymous_answer(encounter, invited):
    person, link = next(iter(invited.items()))
    feedback = answer(encounter, token=token_of(link), experience="okay", heard="somewhat", again="maybe",
                      text="Fijne avond")
    assert (feedback.experience, feedback.heard, feedback.again, feedback.text) == (
        "okay", "somewhat", "maybe", "Fijne avond")
    assert FeedbackInvitation.objects.get(user=person).answered
    assert FeedbackInvitation.objects.filter(answered_at__isnull=True).count() == 2


def test_a_signed_in_invitee_answers_without_the_token(encounter, invited):
    person = next(iter(invited))
    answer(encounter, user=person)
    assert FeedbackInvitation.objects.get(user=person).answered and FeedbackAnswer.objects.count() == 1


def test_a_second_answer_is_refused_and_changes_nothing(encounter, invited):
    person, link = next(iter(invited.items()))
    answer(encounter, token=token_of(link), text="Eerste keer")
    answered_at = FeedbackInvitation.objects.get(user=person).answered_at
    with pytest.raises(services.AlreadyAnswered, match="U heeft al geantwoord"):
        answer(encounter, token=token_of(link), experience="bad", text="Tweede keer")
    with pytest.raises(services.AlreadyAnswered):
        answer(encounter, user=person, experience="bad")
    assert list(FeedbackAnswer.objects.values_list("experience", "text")) == [("good", "Eerste keer")]
    assert FeedbackInvitation.objects.get(user=person).answered_at == answered_at


@pytest.mark.parametrize("token", ["nietgeldig", "a" * 43, ""])
def test_a_wrong_or_forged_token_is_refused(encounter, invited, token):
    with pytest.raises((services.InvalidLink, services.NotInvited)):
        answer(encounter, token=token)
    assert not FeedbackAnswer.objects.exists()


def test_a_token_for_another_encounter_does_not_open_this_one(encounter, invited, other_kern):
    link = next(iter(invited.values()))
    with pytest.raises(services.InvalidLink):
        services.answer(kind=TEST_KIND, object_id=other_kern.pk, token=token_of(link), **GOOD)
    assert not FeedbackAnswer.objects.exists()


def test_someone_not_invited_cannot_answer(encounter, invited, kern):
    stranger = factories.UserFactory(kern=kern)
    with pytest.raises(services.NotInvited, match="niet uitgenodigd"):
        answer(encounter, user=stranger)
    with pytest.raises(services.NotInvited):
        answer(encounter)  # nobody at all
    assert not FeedbackAnswer.objects.exists()


def test_an_unknown_or_gone_encounter_is_refused(encounter, participants):
    with pytest.raises(services.SubjectGone):
        services.invite(kind="nothing_like_this", object_id=encounter.pk, users=participants)
    with pytest.raises(services.SubjectGone):
        services.invite(kind=TEST_KIND, object_id=999999, users=participants)
    assert not FeedbackInvitation.objects.exists()


def test_hostile_html_in_the_text_is_stripped(encounter, invited):
    link = next(iter(invited.values()))
    feedback = answer(encounter, token=token_of(link),
                      text='<script>alert(1)</script><b onclick="x()">Goed</b> &lt;img src=x onerror=alert(1)&gt; & zo')
    assert feedback.text == "Goed  & zo"
    assert "<" not in FeedbackAnswer.objects.get().text


@pytest.mark.parametrize("text", ["x" * 1001, "<b>x</b>" * 5000])
def test_too_long_text_is_refused(encounter, invited, text):
    link = next(iter(invited.values()))
    with pytest.raises(services.FeedbackError, match="te lang"):
        answer(encounter, token=token_of(link), text=text)
    assert not FeedbackAnswer.objects.exists() and not FeedbackInvitation.objects.filter(answered_at__isnull=False)


def test_text_of_exactly_the_limit_is_taken(encounter, invited):
    link = next(iter(invited.values()))
    assert len(answer(encounter, token=token_of(link), text="x" * 1000).text) == 1000


@pytest.mark.parametrize("choices", [
    {"experience": "great"}, {"heard": ""}, {"again": None}, {"experience": "Goed"}, {"heard": "maybe"},
])
def test_wrong_choice_values_are_refused(encounter, invited, choices):
    link = next(iter(invited.values()))
    with pytest.raises(services.FeedbackError, match="Kies bij elke vraag"):
        answer(encounter, token=token_of(link), **choices)
    assert not FeedbackAnswer.objects.exists() and not FeedbackInvitation.objects.filter(answered_at__isnull=False)


def test_the_answer_has_no_link_to_the_person_or_the_invitation():
    fields = {field.name for field in FeedbackAnswer._meta.get_fields()}
    assert fields == {"id", "subject_kind", "subject_id", "answered_on", "experience", "heard", "again", "text"}
    assert not any(field.is_relation for field in FeedbackAnswer._meta.get_fields())
    assert FeedbackAnswer._meta.get_field("answered_on").get_internal_type() == "DateField"  # the day, no time
    assert FeedbackAnswer._meta.pk.get_internal_type() == "UUIDField"  # no order to match with invitations
