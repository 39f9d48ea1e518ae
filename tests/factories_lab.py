"""Factories for lab's feedback, and a test subject (a kern) so tests need no walk or workshop.

Factories write rows directly (any state); tests of behaviour go through ``lab.feedback.services``.
"""

import secrets

import factory
from django.utils import timezone

from community.models import Kern
from lab.feedback.services import hash_token
from lab.feedback.subjects import register_subject, unregister_subject
from lab.models import Again, Experience, FeedbackAnswer, FeedbackInvitation, Heard
from tests.factories import KernFactory, UserFactory

TEST_KIND = "test_kern"
GOOD = {"experience": "good", "heard": "yes", "again": "yes"}


def token_of(link: str) -> str:
    """The token at the end of a one-time link's path."""
    return link.rstrip("/").rsplit("/", 1)[-1]


def register_test_subject():
    """A kern as the encounter: its council (and staff) may read the answers."""
    return register_subject(
        TEST_KIND, resolve=lambda pk: Kern.objects.filter(pk=pk).first(), title=lambda kern: f"Avond in {kern.name}",
        question="Hoe was deze bijeenkomst?", may_see_answers="community.moderate_kern",
        url=lambda kern: f"/{kern.slug}/", label="Testbijeenkomsten",
    )


def unregister_test_subject():
    unregister_subject(TEST_KIND)


class FeedbackInvitationFactory(factory.django.DjangoModelFactory):
    """An invitation; its link's token is ``invitation.token`` (only the hash is stored)."""

    class Meta:
        model = FeedbackInvitation
        exclude = ("kern",)

    token = factory.LazyFunction(lambda: secrets.token_urlsafe(32))
    kern = factory.SubFactory(KernFactory)
    subject_kind = TEST_KIND
    subject_id = factory.SelfAttribute("kern.pk")
    user = factory.SubFactory(UserFactory, kern=factory.SelfAttribute("..kern"))
    token_hash = factory.LazyAttribute(lambda o: hash_token(o.token))

    @classmethod
    def _create(cls, model_class, *args, token, **kwargs):
        invitation = super()._create(model_class, *args, **kwargs)
        invitation.token = token
        return invitation


class FeedbackAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackAnswer

    subject_kind = TEST_KIND
    subject_id = factory.LazyFunction(lambda: KernFactory().pk)
    answered_on = factory.LazyFunction(timezone.localdate)
    experience = Experience.GOOD
    heard = Heard.YES
    again = Again.YES
    text = ""
