"""Permission grid: role (the shared cast, tests/roles.py) × own kern / other kern × thread state.

``initiator`` plays the author of the comments. Superusers are in the cast with and without
``is_staff``: only ``is_staff`` moderates; ``is_superuser`` alone is a signed-in person like any other.
"""

import pytest

from core.permissions import may
from discussion.models import Comment, Flag, KernBlock
from discussion.selectors import moderation_queue
from tests.factories_discussion import CommentFactory, kern_thread, private_thread
from tests.roles import ROLES, STAFF, fresh

pytestmark = pytest.mark.django_db

AUTHOR = "initiator"


def grid(cast, perm, obj):
    return {role: may(fresh(cast[role]), perm, obj) for role in ROLES}


def only(*roles):
    return {role: role in roles for role in ROLES}


def everyone_but(*roles):
    return {role: role not in roles for role in ROLES}


def test_public_kern_thread(cast, kern):
    thread = kern_thread(kern)
    comment = CommentFactory(thread=thread, author=cast[AUTHOR])
    assert grid(cast, "discussion.view_thread", thread) == everyone_but()
    assert grid(cast, "discussion.post_comment", thread) == everyone_but("anonymous")
    assert grid(cast, "discussion.moderate_thread", thread) == only("council", *STAFF)
    # a superuser does not rewrite a resident's words
    assert grid(cast, "discussion.edit_comment", comment) == only(AUTHOR)
    assert grid(cast, "discussion.delete_comment", comment) == only(AUTHOR, "council", *STAFF)
    assert grid(cast, "discussion.react_comment", comment) == everyone_but("anonymous")
    assert grid(cast, "discussion.flag_comment", comment) == everyone_but("anonymous", AUTHOR)


def test_other_kern_thread_is_moderated_by_its_own_council(cast, other_kern):
    thread = kern_thread(other_kern)
    assert grid(cast, "discussion.moderate_thread", thread) == only("council_other_kern", *STAFF)


def test_private_thread_is_as_private_as_its_object(cast, kern):
    thread = private_thread(requester=cast[AUTHOR], kern=kern)
    readers = only(AUTHOR, *STAFF)
    assert grid(cast, "discussion.view_thread", thread) == readers
    assert grid(cast, "discussion.post_comment", thread) == readers
    comment = CommentFactory(thread=thread, author=cast[AUTHOR])
    assert grid(cast, "discussion.flag_comment", comment) == only(*STAFF)
    assert grid(cast, "discussion.react_comment", comment) == readers


def test_closed_thread(cast, kern):
    thread = kern_thread(kern)
    thread.is_closed = True
    comment = CommentFactory(thread=thread, author=cast[AUTHOR])
    assert grid(cast, "discussion.view_thread", thread) == everyone_but()
    assert grid(cast, "discussion.post_comment", thread) == only()
    assert grid(cast, "discussion.edit_comment", comment) == only()


def test_blocked_in_own_kern_only(cast, kern, other_kern):
    KernBlock.objects.create(kern=kern, user=cast["resident"], reason="x")
    assert not may(fresh(cast["resident"]), "discussion.post_comment", kern_thread(kern))
    assert may(fresh(cast["resident"]), "discussion.post_comment", kern_thread(other_kern))


def test_hidden_comment_cannot_be_reacted_to_or_flagged(cast, kern):
    comment = CommentFactory(thread=kern_thread(kern), author=cast[AUTHOR], hidden_reason="x")
    comment.hidden_at = comment.created_at
    assert grid(cast, "discussion.react_comment", comment) == only()
    assert grid(cast, "discussion.flag_comment", comment) == only()
    assert grid(cast, "discussion.edit_comment", comment) == only()


def test_moderation_queue_access(cast):
    assert grid(cast, "discussion.view_moderation_queue", None) == only("council", "council_other_kern", *STAFF)


def test_moderation_queue_lists_what_the_rule_lets_each_role_moderate(cast, kern, other_kern):
    flagged = []
    for place in (kern, other_kern):
        comment = CommentFactory(thread=kern_thread(place), author=cast[AUTHOR])
        Flag.objects.create(comment=comment, reporter=cast["resident"], reason="x")
        flagged.append(comment.pk)
    CommentFactory(thread=kern_thread(kern), author=cast[AUTHOR])  # not flagged: in no queue
    for role in set(ROLES) - {"anonymous"}:
        user = fresh(cast[role])
        listed = set(moderation_queue(user).values_list("pk", flat=True))
        allowed = {pk for pk in flagged
                   if may(user, "discussion.moderate_thread", Comment.objects.get(pk=pk).thread)}
        assert listed == allowed, role


@pytest.mark.parametrize("status", ["draft", "submitted", "published"])
def test_initiative_thread_follows_the_initiative(cast, kern, status):
    from discussion.services import get_or_create_thread
    from tests.factories_initiatives import InitiativeFactory

    initiative = InitiativeFactory(kern=kern, initiator=cast[AUTHOR], status=status)
    thread = get_or_create_thread(target=initiative)
    assert thread.kern_id == kern.pk
    if status == "published":
        readers = everyone_but()
        writers = everyone_but("anonymous")
    else:  # a draft's thread is as private as the draft: initiator, the kern's council, staff
        readers = writers = only(AUTHOR, "council", *STAFF)
    assert grid(cast, "discussion.view_thread", thread) == readers
    assert grid(cast, "discussion.post_comment", thread) == writers
    assert grid(cast, "discussion.moderate_thread", thread) == only("council", *STAFF)
