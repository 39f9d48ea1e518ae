"""My data: a person's invitations are in their export and go on erasure; the anonymous answers stay."""

import json

import pytest
from django.urls import reverse

from community.privacy import erase_account, export_all
from lab.feedback import services
from lab.models import FeedbackAnswer, FeedbackInvitation
from tests.factories_lab import GOOD, TEST_KIND, FeedbackInvitationFactory, token_of

pytestmark = pytest.mark.django_db


def test_the_export_says_what_they_were_asked_and_whether_they_answered(client, encounter, invited):
    person, link = next(iter(invited.items()))
    services.answer(kind=TEST_KIND, object_id=encounter.pk, token=token_of(link), text="Mijn woorden", **GOOD)
    client.force_login(person)
    data = json.loads(client.get(reverse("community:export_my_data")).content)
    [row] = data["lab"]["feedback_invitations"]
    assert (row["kind"], row["object_id"], row["title"], row["answered"]) == (
        TEST_KIND, encounter.pk, f"Avond in {encounter.name}", True)
    assert "Mijn woorden" not in json.dumps(data)  # the answer is nobody's, not even theirs


def test_the_export_of_an_invitation_about_a_gone_encounter(encounter, participants):
    invitation = FeedbackInvitationFactory(kern=encounter, user=participants[0], subject_id=987654)
    [row] = export_all(participants[0])["lab"]["feedback_invitations"]
    assert (row["object_id"], row["title"], row["answered"]) == (invitation.subject_id, "", False)


def test_erasure_deletes_their_invitations_and_keeps_the_answers(encounter, invited,
                                                                 django_capture_on_commit_callbacks):
    person, link = next(iter(invited.items()))
    services.answer(kind=TEST_KIND, object_id=encounter.pk, token=token_of(link), **GOOD)
    with django_capture_on_commit_callbacks(execute=True):
        erase_account(user=person)
    assert not FeedbackInvitation.objects.filter(user=person).exists()
    assert FeedbackInvitation.objects.count() == 2  # the others keep theirs
    assert FeedbackAnswer.objects.count() == 1
    with pytest.raises(services.InvalidLink):
        services.answer(kind=TEST_KIND, object_id=encounter.pk, token=token_of(link), **GOOD)
