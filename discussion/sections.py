"""Mijn Samenlab's sections about conversations: where I took part, and reported comments for the council."""

from collections import defaultdict

from django.db.models import Exists, Max, OuterRef
from django.utils.translation import gettext_lazy as _

from community.dashboard import Section, Visitor, Waiting, register
from core.permissions import may
from discussion.models import Comment, Flag, Thread

SHOWN = 5


def _conversations(visitor: Visitor) -> dict | None:
    threads = list(Thread.objects.filter(comments__author=visitor.user)
                   .annotate(last_activity=Max("comments__created_at"))
                   .select_related("content_type", "kern").order_by("-last_activity")[:SHOWN])
    _attach_targets(threads)
    threads = [thread for thread in threads if getattr(thread, "target_found", False)
               and may(visitor.user, "discussion.view_thread", thread)]
    return {"threads": threads} if threads else None


def _attach_targets(threads: list) -> None:
    """Give each thread its object: a kern's conversation already has it (``thread.kern``), the rest are
    fetched per kind of object in one query each."""
    from community.models import Kern

    waiting = defaultdict(list)
    for thread in threads:
        model = thread.content_type.model_class()
        if model is Kern and thread.kern is not None and thread.kern.pk == thread.object_id:
            thread.target, thread.target_found = thread.kern, True
        elif model is not None:
            waiting[model].append(thread)
    for model, group in waiting.items():
        found = model._default_manager.in_bulk([thread.object_id for thread in group])
        for thread in group:
            if thread.object_id in found:
                thread.target, thread.target_found = found[thread.object_id], True


def _reported(visitor: Visitor):
    """Comments with open reports in the kernen the person moderates (staff: all)."""
    from community.rules import council_kern_ids, is_staff

    if not may(visitor.user, "discussion.view_moderation_queue"):
        return None
    comments = Comment.objects.filter(Exists(Flag.objects.filter(comment=OuterRef("pk"), resolved_at__isnull=True)))
    return comments if is_staff(visitor.user) else comments.filter(thread__kern_id__in=council_kern_ids(visitor.user))


def register_sections() -> None:
    register(Waiting("discussion.reported", 2, _("gemelde reacties om te bekijken"), "discussion:moderation_queue",
                     _reported))
    register(Section("discussion.conversations", 50, "discussion/sections/conversations.html", _conversations))
