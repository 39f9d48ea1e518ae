"""A walk as an iCalendar (RFC 5545) file, made with the ``icalendar`` package."""

from django.utils import timezone
from icalendar import Calendar, Event, vText

from maps.models import WalkState


def walk_calendar(walk, *, url: str) -> bytes:
    """One VEVENT with a stable UID, so re-importing after a move updates the same agenda item."""
    calendar = Calendar()
    calendar.add("prodid", "-//Samenlab//Wijkschouw//NL")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"wijkschouw-{walk.pk}@samenlab")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", walk.starts_at)
    event.add("dtend", walk.ends_at)
    event.add("summary", walk.title)
    event.add("location", vText(f"{walk.meeting_point}, {walk.kern.name}"))
    event.add("description", "\n\n".join(part for part in (walk.description, walk.route_description, url) if part))
    event.add("url", url)
    event.add("sequence", int(walk.updated_at.timestamp()) % 2_000_000_000)
    if walk.state == WalkState.CANCELLED:
        event.add("status", "CANCELLED")
    if walk.meeting_latitude is not None:
        event.add("geo", (float(walk.meeting_latitude), float(walk.meeting_longitude)))
    calendar.add_component(event)
    return calendar.to_ical()
