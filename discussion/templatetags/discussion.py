"""``{% load discussion %}{% discussion_thread obj %}``: the whole thread of any registered object.

Only reads. A target without a thread yet shows the empty thread; its comment form posts to
``discussion:post_first_comment`` (which creates the thread and the comment in one transaction).

Templates never decide permissions: each comment carries ``may_edit``, ``may_delete``, ``may_flag`` and
``may_react`` from the rules, asked here. The rules read only what is cached for the request (the
user's council and blocked kernen, the target's initiators), so a thread costs the same number of
queries for 1 or 30 comments.
"""

from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from core.permissions import may
from discussion.forms import CommentForm
from discussion.models import Reaction
from discussion.selectors import find_thread, thread_comments
from discussion.targets import target_for
from live.services import last_seq

register = template.Library()


def _annotate(user, thread, comments) -> None:
    for comment in comments:
        comment.thread = thread  # the rules read comment.thread: the one instance, no query per comment
        comment.may_edit = may(user, "discussion.edit_comment", comment)
        comment.may_delete = may(user, "discussion.delete_comment", comment)
        comment.may_flag = may(user, "discussion.flag_comment", comment)
        comment.may_react = may(user, "discussion.react_comment", comment)
        _annotate(user, thread, getattr(comment, "replies_list", []))


def thread_context(request, thread, *, only=None) -> dict:
    """Everything the thread templates need; every "may" is a rule, asked once per page or per comment
    from what is cached for the request (no query per comment)."""
    user = request.user
    moderator = may(user, "discussion.moderate_thread", thread)
    comments = thread_comments(thread, user, moderator=moderator) if thread.pk is not None else []
    if only is not None:
        every = [c for top in comments for c in [top, *top.replies_list]]
        comments = [c for c in every if c.pk == only.pk]
    _annotate(user, thread, comments)
    if thread.pk is None:
        target = thread.target
        about = [f"{target._meta.app_label}.{target._meta.model_name}", target.pk]
        post_url = reverse("discussion:post_first_comment", args=about)
        mention_url = reverse("discussion:mention_suggestions_about", args=about)
    else:
        post_url = reverse("discussion:post_comment", args=[thread.pk])
        mention_url = reverse("discussion:mention_suggestions", args=[thread.pk])
    return {
        "request": request,
        "thread": thread,
        "comments": comments,
        "comment": comments[0] if only is not None and comments else None,
        "moderator": moderator,
        "can_post": may(user, "discussion.post_comment", thread),
        "reaction_kinds": Reaction.Kind.choices,
        "last_seq": _last_seq(thread),
        "form": CommentForm(),
        "post_url": post_url,
        "mention_url": mention_url,
        "next_url": request.get_full_path() if only is None else request.GET.get("next", ""),
    }


def _last_seq(thread) -> int:
    if thread.pk is None:
        return 0
    known = getattr(thread, "known_last_seq", None)  # read with the thread by ``find_thread``
    return known if known is not None else last_seq(thread.stream)


def unsaved_thread(target):
    """The thread ``target`` would have: not saved (nothing writes while a page renders)."""
    from discussion.models import Thread

    spec = target_for(target)
    if spec is None:
        raise ValueError(f"No discussion on {target._meta.label}")
    thread = Thread(content_type=ContentType.objects.get_for_model(target), object_id=target.pk,
                    kern_id=spec.kern_id_of(target))
    thread.target = target
    return thread


@register.inclusion_tag("discussion/thread.html", takes_context=True)
def discussion_thread(context, target, title=""):
    """The thread of ``target``, under the heading ``title`` (default "Gesprek")."""
    request = context["request"]
    thread = find_thread(target=target) or unsaved_thread(target)
    if not may(request.user, "discussion.view_thread", thread):
        return {"hidden": True}
    return {**thread_context(request, thread), "title": title}
