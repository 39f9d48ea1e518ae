"""``{% load discussion %}{% discussion_thread obj %}``: the whole thread of any registered object."""

from django import template
from django.utils import timezone

from discussion.forms import CommentForm
from discussion.models import Reaction
from discussion.rules import edit_window
from discussion.selectors import thread_comments
from discussion.services import get_or_create_thread
from live.services import last_seq

register = template.Library()


def thread_context(request, thread, *, only=None) -> dict:
    """Everything the thread templates need, with each rule asked once per page, not once per comment."""
    user = request.user
    moderator = user.has_perm("discussion.moderate_thread", thread)
    comments = thread_comments(thread, user, moderator=moderator)
    if only is not None:
        every = [c for top in comments for c in [top, *top.replies_list]]
        comments = [c for c in every if c.pk == only.pk]
    return {
        "request": request,
        "thread": thread,
        "comments": comments,
        "comment": comments[0] if only is not None and comments else None,
        "moderator": moderator,
        "can_post": user.has_perm("discussion.post_comment", thread),
        "can_react": user.is_authenticated and user.is_active,
        "edit_until": timezone.now() - edit_window(),
        "reaction_kinds": Reaction.Kind.choices,
        "last_seq": last_seq(thread.stream),
        "form": CommentForm(),
        "next_url": request.get_full_path() if only is None else request.GET.get("next", ""),
    }


@register.inclusion_tag("discussion/thread.html", takes_context=True)
def discussion_thread(context, target, title=""):
    """The thread of ``target``, under the heading ``title`` (default "Gesprek")."""
    request = context["request"]
    thread = get_or_create_thread(target=target)
    if not request.user.has_perm("discussion.view_thread", thread):
        return {"hidden": True}
    return {**thread_context(request, thread), "title": title}
