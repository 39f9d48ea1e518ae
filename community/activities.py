"""Upcoming activities (walks, workshops, votes…): one slot on the home and kern pages that every app fills.

An app registers a provider from its ``AppConfig.ready``; a provider returns the activities the viewer
may see, soonest first, at most ``limit``. The slot shows the soonest of all providers together and
stays away when there is nothing planned.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Activity:
    starts_at: datetime
    title: str
    url: str
    kind_label: str  # "Wijkschouw", "Werkplaats", "Stemming"
    kern_name: str = ""
    place: str = ""


_providers: dict[str, Callable] = {}


def register(key: str, provider: Callable) -> None:
    """``provider(user, kern, limit) -> list[Activity]``: what ``user`` may see, in ``kern`` (None: everywhere)."""
    _providers[key] = provider


def unregister(key: str) -> None:
    _providers.pop(key, None)


def upcoming(*, user, kern=None, limit: int = 4) -> list[Activity]:
    found = [activity for provider in _providers.values() for activity in provider(user, kern, limit)]
    return sorted(found, key=lambda activity: activity.starts_at)[:limit]
