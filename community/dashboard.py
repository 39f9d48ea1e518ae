"""Mijn Samenlab is built from sections that each app registers: one mechanism for every pillar.

A section decides for itself whether it has something for this person (``build`` returns None when
not) and renders its own template. Walks, workshops and votes add their sections the same way, from
their ``AppConfig.ready``. ``waiting`` sections are what asks for the person's action by role (the
council's reviews, staff's call-backs); they come first, under "Wat op u wacht".
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Visitor:
    """Who looks at the dashboard, and since when things count as new for them."""

    user: object
    since: datetime | None


@dataclass(frozen=True)
class Section:
    key: str
    order: int
    template: str
    build: Callable[[Visitor], dict | None]


@dataclass(frozen=True)
class Waiting:
    """Something that asks for the person's action by role: a count, and where to act on it.

    ``pending(visitor)`` returns the queryset of what waits (None when the person has no such role);
    the counts of all waiting kinds are taken together, in one query.
    """

    key: str
    order: int
    label: str  # lazy: "initiatieven om te beoordelen"
    url_name: str
    pending: Callable[[Visitor], object]


@dataclass(frozen=True)
class WaitingItem:
    key: str
    count: int
    label: str
    url: str


@dataclass(frozen=True)
class Shown:
    key: str
    template: str
    context: dict


_sections: dict[str, Section] = {}
_waiting: dict[str, Waiting] = {}


def register(section: Section | Waiting) -> Section | Waiting:
    (_waiting if isinstance(section, Waiting) else _sections)[section.key] = section
    return section


def sections_for(visitor: Visitor) -> list[Shown]:
    """The sections with something to show, in order."""
    shown = []
    for section in sorted(_sections.values(), key=lambda s: (s.order, s.key)):
        context = section.build(visitor)
        if context is not None:
            shown.append(Shown(section.key, section.template, context))
    return shown


def waiting_for(visitor: Visitor) -> list[WaitingItem]:
    """What waits for the person's action, by role, counted in one query (a UNION ALL of counts)."""
    from django.db.models import Count, IntegerField, Value
    from django.urls import reverse

    pending = [(item, item.pending(visitor)) for item in sorted(_waiting.values(), key=lambda w: (w.order, w.key))]
    pending = [(item, queryset) for item, queryset in pending if queryset is not None]
    if not pending:
        return []
    counted = [
        queryset.order_by().annotate(which=Value(number, output_field=IntegerField()))
        .values("which").annotate(n=Count("pk")).values("which", "n")
        for number, (_item, queryset) in enumerate(pending)
    ]
    combined = counted[0].union(*counted[1:], all=True) if len(counted) > 1 else counted[0]
    counts = {row["which"]: row["n"] for row in combined}
    return [WaitingItem(item.key, counts[number], item.label, reverse(item.url_name))
            for number, (item, _queryset) in enumerate(pending) if counts.get(number)]
