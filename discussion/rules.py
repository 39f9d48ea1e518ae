"""Who may read, write and moderate discussions. Reading a thread is reading the object it belongs to."""

from datetime import timedelta

import rules
from django.conf import settings
from django.utils import timezone

from community.rules import council_kern_ids, is_resident, is_staff
from core.permissions import may


def edit_window() -> timedelta:
    return timedelta(minutes=getattr(settings, "DISCUSSION_EDIT_MINUTES", 15))


def thread_of(obj):
    """A thread, or the thread of a comment."""
    return getattr(obj, "thread", obj)


@rules.predicate
def can_read_thread(user, thread):
    from discussion.targets import target_for

    if thread is None:
        return False
    thread = thread_of(thread)
    target_obj = thread.target
    target = target_for(thread.content_type.model_class()) if target_obj is not None else None
    return target is not None and may(user, target.read_perm, target_obj)


@rules.predicate
def moderates_thread(user, thread):
    """Council member of the thread's kern, or staff."""
    if thread is None or not is_resident(user):
        return False
    thread = thread_of(thread)
    return is_staff(user) or (thread.kern_id is not None and thread.kern_id in council_kern_ids(user))


@rules.predicate
def thread_is_open(user, thread):
    return thread is not None and not thread_of(thread).is_closed


def blocked_kern_ids(user) -> frozenset[int]:
    """Ids of the kernen where ``user`` is blocked from posting (cached on the user for this request)."""
    from discussion.models import KernBlock

    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_blocked_kern_ids", None)
    if cached is None:
        cached = frozenset(KernBlock.objects.filter(user=user).values_list("kern_id", flat=True))
        user._blocked_kern_ids = cached
    return cached


@rules.predicate
def is_blocked_in_kern(user, thread):
    thread = thread_of(thread)
    if thread is None or thread.kern_id is None or not user.is_authenticated:
        return False
    return thread.kern_id in blocked_kern_ids(user)


@rules.predicate
def is_author(user, comment):
    return comment is not None and user.is_authenticated and comment.author_id == user.pk


@rules.predicate
def within_edit_window(user, comment):
    return comment is not None and timezone.now() - comment.created_at <= edit_window()


@rules.predicate
def comment_is_public(user, comment):
    return comment is not None and comment.is_public


@rules.predicate
def is_council_member_anywhere(user):
    return is_resident(user) and bool(council_kern_ids(user))


can_post = is_resident & can_read_thread & thread_is_open & ~is_blocked_in_kern

rules.add_perm("discussion.view_kern_conversation", rules.always_allow)
rules.add_perm("discussion.view_thread", can_read_thread)
rules.add_perm("discussion.post_comment", can_post)
rules.add_perm("discussion.edit_comment", is_author & comment_is_public & within_edit_window & can_post)
rules.add_perm("discussion.delete_comment", (is_author & comment_is_public) | moderates_thread)
rules.add_perm("discussion.react_comment", is_resident & can_read_thread & comment_is_public)
rules.add_perm("discussion.flag_comment", is_resident & can_read_thread & comment_is_public & ~is_author)
rules.add_perm("discussion.moderate_thread", moderates_thread)
rules.add_perm("discussion.view_moderation_queue", is_council_member_anywhere | is_staff)
