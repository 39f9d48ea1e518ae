"""Factories for discussion: threads on a kern ("dorpsgesprek") and comments written through the service."""

import factory

from discussion.models import Comment, Thread
from discussion.services import get_or_create_thread
from discussion.text import render_body
from tests.factories import KernFactory, UserFactory


def kern_thread(kern=None) -> Thread:
    return get_or_create_thread(target=kern or KernFactory())


class CommentFactory(factory.django.DjangoModelFactory):
    """A comment stored directly (no rate limit, no live event): for building state in tests."""

    class Meta:
        model = Comment

    thread = factory.LazyFunction(kern_thread)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Reactie nummer {n}")
    body_html = factory.LazyAttribute(lambda o: render_body(o.body))


def private_thread(*, requester=None, kern=None) -> Thread:
    """A thread on an object only some may see: a call-back request (its requester and staff).

    Proves the registry works for any app, beside initiatives (see test_rules.py).
    """
    from discussion.targets import register
    from tests.factories import CallbackRequestFactory

    register("community.CallbackRequest")
    request = CallbackRequestFactory(requester=requester or UserFactory(), kern=kern)
    return get_or_create_thread(target=request)
