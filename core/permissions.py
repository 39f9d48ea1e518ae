"""The one way to ask "may": the django-rules rule itself, for views, templates, serializers, consumers,
the admin and services alike.

``user.has_perm`` is not used anywhere in Samenlab: Django lets every superuser pass it, but a rule is
the whole answer (nobody moderates their own initiative, admins included). Where admins may do more,
the rule says so with ``community.rules.is_admin``.
"""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied
from django.http import Http404


def may(user, perm: str, obj=None) -> bool:
    """Whether ``user`` may ``perm`` (``obj`` for object rules). An unknown permission is a "no"."""
    return user is not None and rules.has_perm(perm, user, obj)


class Refused(PermissionDenied):
    """A "no" with a reason a resident can read, and optionally a way back (shown on the 403 page)."""

    def __init__(self, message: str = "", *, back_url: str = "", back_label: str = ""):
        super().__init__(message)
        self.message = message
        self.back_url = back_url
        self.back_label = back_label


def require(user, perm: str, obj=None, message: str | None = None) -> None:
    """Raise ``PermissionDenied`` (with ``message`` when given) unless the rule allows it."""
    if not may(user, perm, obj):
        raise PermissionDenied(message) if message else PermissionDenied


def visible_or_404(user, perm: str, queryset, **lookup):
    """The object of ``queryset`` matching ``lookup`` if ``user`` may ``perm`` it; else 404.

    What a viewer may not see answers exactly like what does not exist. Pass a queryset that already
    holds only what the viewer may see (e.g. ``Initiative.objects.visible_to(user)``) to save the lookup
    of objects they cannot see; the rule is asked all the same, so the two can never disagree.
    """
    obj = queryset.filter(**lookup).first()
    if obj is None or not may(user, perm, obj):
        raise Http404
    return obj
