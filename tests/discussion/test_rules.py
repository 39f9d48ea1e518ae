"""Permission grid: role × own kern / other kern × thread state (public, private, closed, blocked)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from discussion.models import KernBlock
from tests import factories
from tests.factories_discussion import CommentFactory, kern_thread, private_thread

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "resident", "other_resident", "council", "other_council", "staff", "author"]


@pytest.fixture
def cast(kern, other_kern):
    author = factories.UserFactory(kern=kern)
    return {
        "anonymous": AnonymousUser(),
        "resident": factories.UserFactory(kern=kern),
        "other_resident": factories.UserFactory(kern=other_kern),
        "council": factories.CouncilMembershipFactory(kern=kern).user,
        "other_council": factories.CouncilMembershipFactory(kern=other_kern).user,
        "staff": factories.StaffFactory(),
        "author": author,
    }


def grid(cast, perm, obj):
    return {role: cast[role].has_perm(perm, obj) for role in ROLES}


def everyone_but(*roles, value=True):
    return {role: (value if role not in roles else not value) for role in ROLES}


def test_public_kern_thread(cast, kern):
    thread = kern_thread(kern)
    comment = CommentFactory(thread=thread, author=cast["author"])
    assert grid(cast, "discussion.view_thread", thread) == everyone_but()
    assert grid(cast, "discussion.post_comment", thread) == everyone_but("anonymous")
    assert grid(cast, "discussion.moderate_thread", thread) == everyone_but("council", "staff", value=False)
    assert grid(cast, "discussion.edit_comment", comment) == everyone_but("author", value=False)
    assert grid(cast, "discussion.delete_comment", comment) == everyone_but("author", "council", "staff", value=False)
    assert grid(cast, "discussion.react_comment", comment) == everyone_but("anonymous")
    assert grid(cast, "discussion.flag_comment", comment) == everyone_but("anonymous", "author")


def test_private_thread_is_as_private_as_its_object(cast, kern):
    thread = private_thread(requester=cast["author"], kern=kern)
    readers = everyone_but("staff", "author", value=False)
    assert grid(cast, "discussion.view_thread", thread) == readers
    assert grid(cast, "discussion.post_comment", thread) == readers
    comment = CommentFactory(thread=thread, author=cast["author"])
    assert grid(cast, "discussion.flag_comment", comment) == everyone_but("staff", value=False)
    assert grid(cast, "discussion.react_comment", comment) == readers


def test_closed_thread(cast, kern):
    thread = kern_thread(kern)
    thread.is_closed = True
    comment = CommentFactory(thread=thread, author=cast["author"])
    assert grid(cast, "discussion.view_thread", thread) == everyone_but()
    assert grid(cast, "discussion.post_comment", thread) == everyone_but(value=False)
    assert grid(cast, "discussion.edit_comment", comment) == everyone_but(value=False)


def test_blocked_in_own_kern_only(cast, kern, other_kern):
    KernBlock.objects.create(kern=kern, user=cast["resident"], reason="x")
    assert not cast["resident"].has_perm("discussion.post_comment", kern_thread(kern))
    assert cast["resident"].has_perm("discussion.post_comment", kern_thread(other_kern))


def test_hidden_comment_cannot_be_reacted_to_or_flagged(cast, kern):
    comment = CommentFactory(thread=kern_thread(kern), author=cast["author"], hidden_reason="x")
    comment.hidden_at = comment.created_at
    assert grid(cast, "discussion.react_comment", comment) == everyone_but(value=False)
    assert grid(cast, "discussion.flag_comment", comment) == everyone_but(value=False)
    assert grid(cast, "discussion.edit_comment", comment) == everyone_but(value=False)


def test_moderation_queue_access(cast):
    assert grid(cast, "discussion.view_moderation_queue", None) == everyone_but(
        "council", "other_council", "staff", value=False
    )


@pytest.mark.parametrize("status", ["draft", "submitted", "published"])
def test_initiative_thread_follows_the_initiative(cast, kern, status):
    from tests.factories_initiatives import InitiativeFactory

    initiative = InitiativeFactory(kern=kern, initiator=cast["author"], status=status)
    from discussion.services import get_or_create_thread

    thread = get_or_create_thread(target=initiative)
    assert thread.kern_id == kern.pk
    if status == "published":
        readers = everyone_but()
        writers = everyone_but("anonymous")
    else:  # a draft's thread is as private as the draft: initiator, the kern's council, staff
        readers = writers = everyone_but("author", "council", "staff", value=False)
    assert grid(cast, "discussion.view_thread", thread) == readers
    assert grid(cast, "discussion.post_comment", thread) == writers
    assert grid(cast, "discussion.moderate_thread", thread) == everyone_but("council", "staff", value=False)
