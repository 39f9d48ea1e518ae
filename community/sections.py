"""Mijn Samenlab's sections about the person themselves: what changed, who waits for them, their call-backs."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from community.dashboard import Section, Visitor, Waiting, register
from community.models import CallbackRequest, Notification
from core.permissions import may

RECENT_CHANGES = 5


def _changes(visitor: Visitor) -> dict:
    mine = Notification.objects.filter(recipient=visitor.user).select_related("kern")
    if visitor.since is not None:
        mine = mine.filter(created_at__gt=visitor.since)
    return {"changes": list(mine[:RECENT_CHANGES]), "since": visitor.since}


def _residents_to_confirm(visitor: Visitor):
    from community.selectors import residents_to_confirm

    if not may(visitor.user, "community.view_residents_to_confirm"):
        return None
    return residents_to_confirm(visitor.user)


def _callbacks_to_handle(visitor: Visitor):
    """Open requests for this staff member, or for nobody yet."""
    if not may(visitor.user, "community.view_callback_list"):
        return None
    return CallbackRequest.objects.open().filter(Q(assigned_to__isnull=True) | Q(assigned_to=visitor.user))


def _my_callbacks(visitor: Visitor) -> dict:
    return {"callbacks": list(CallbackRequest.objects.filter(requester=visitor.user)
                              .select_related("topic", "assigned_to").order_by("-created_at")[:3])}


def register_sections() -> None:
    register(Section("community.changes", 10, "community/sections/changes.html", _changes))
    register(Waiting("community.residents_to_confirm", 5, _("nieuwe bewoners om te bevestigen"),
                     "community:residents_to_confirm", _residents_to_confirm))
    register(Waiting("community.callbacks_to_handle", 6, _("verzoeken om contact voor u of nog zonder behandelaar"),
                     "community:staff_desk", _callbacks_to_handle))
    register(Section("community.my_callbacks", 80, "community/sections/my_callbacks.html", _my_callbacks))
