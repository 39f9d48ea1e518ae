"""Planning a walk, signing up, moving, cancelling, starting and finishing it, and the reminder the day before."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.notifications.services import notify
from community.rules import is_council_member_of, is_staff
from core.pagecache import invalidate_pages_after_commit
from core.permissions import may
from live.services import publish
from maps import geo
from maps.models import CrowScore, ObservationTheme, Walk, WalkSignup, WalkState
from maps.notification_kinds import WALK_CHANGED, WALK_PLANNED, WALK_REMINDER
from maps.services._common import check_location, lock_walk, plain, require_perm
from maps.services.errors import WalkError, WalkStateError

MAX_ROUTE_POINTS = 500
MAX_WALK_HOURS = 8
MAX_PARTICIPANTS = 500


def _number(value) -> float | None:
    """A finite number; the API hands JSON numbers over as the text sent (``core.parsers``)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def clean_route(route) -> list[list[float]]:
    """A GeoJSON LineString's coordinates ``[[lng, lat], …]``: 2 to 500 points, every one inside the municipality.

    An empty route is allowed (the route in words then says where the walk goes).
    """
    if route in (None, "", []):
        return []
    if not isinstance(route, list) or len(route) < 2 or len(route) > MAX_ROUTE_POINTS:
        raise WalkError(_("Een route heeft 2 tot %(n)s punten.") % {"n": MAX_ROUTE_POINTS}, code="route")
    cleaned = []
    for point in route:
        numbers = [_number(v) for v in point] if isinstance(point, list | tuple) and len(point) == 2 else [None]
        if None in numbers:
            raise WalkError(_("De route bevat een punt dat geen geldige coördinaten heeft."), code="route")
        lng, lat = numbers
        if not geo.point_in_municipality(lat, lng):
            raise WalkError(geo.OUTSIDE_MUNICIPALITY, code="outside_municipality")
        cleaned.append([round(float(lng), 6), round(float(lat), 6)])
    return cleaned


def _clean_times(starts_at, ends_at, *, now: datetime) -> tuple[datetime, datetime]:
    if not isinstance(starts_at, datetime) or not isinstance(ends_at, datetime):
        raise WalkError(_("Kies een datum en een begin- en eindtijd."), code="times")
    if starts_at <= now:
        raise WalkError(_("Kies een begintijd in de toekomst."), code="past")
    if ends_at <= starts_at or ends_at - starts_at > timedelta(hours=MAX_WALK_HOURS):
        raise WalkError(_("De eindtijd ligt na de begintijd, hoogstens %(n)s uur later.") % {"n": MAX_WALK_HOURS},
                        code="times")
    return starts_at, ends_at


def _clean_themes(themes) -> list[str]:
    if not isinstance(themes, list | tuple) or not themes:
        raise WalkError(_("Kies minstens één thema om op te letten."), code="themes")
    unknown = [t for t in themes if t not in ObservationTheme.values]
    if unknown:
        raise WalkError(_("Kies de thema's uit de lijst."), code="themes")
    return [t for t in ObservationTheme.values if t in set(themes)]


def _clean_max(value) -> int | None:
    if value in (None, ""):
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_PARTICIPANTS:
        raise WalkError(_("Het aantal deelnemers is een getal van 1 tot %(n)s.") % {"n": MAX_PARTICIPANTS},
                        code="max_participants")
    return value


def _clean_organisers(organisers: Iterable, *, kern, actor) -> list:
    """Organisers show their face: staff, or members of the kern's council. The planner is one by default."""
    people = list(organisers) or [actor]
    for person in people:
        if not (is_staff(person) or is_council_member_of(person, kern)):
            raise WalkError(_("Organisatoren zijn medewerkers of leden van de dorpsraad van deze kern."),
                            code="organisers")
    return people


def walk_message(walk: Walk) -> dict:
    """What the live map needs to know about the walk itself (state, times, route)."""
    return {"id": walk.pk, "state": walk.state, "starts_at": walk.starts_at.isoformat(),
            "ends_at": walk.ends_at.isoformat(), "route": walk.route, "meeting_point": walk.meeting_point}


def _publish_walk(walk: Walk) -> None:
    publish(stream=walk.stream, type="walk.changed", data=walk_message(walk), subject=f"walk:{walk.pk}")


def plan_walk(*, actor, kern, title: str, starts_at: datetime, ends_at: datetime, meeting_point: str,
              meeting_latitude=None, meeting_longitude=None, route=None, route_description: str = "",
              themes: Iterable[str] = (), description: str = "", max_participants: int | None = None,
              organisers: Iterable = (), observations_public: bool = False, target_level: str = "B",
              now: datetime | None = None) -> Walk:
    """Plan a walk in ``kern`` (its council or staff) and tell the kern's residents."""
    require_perm(actor, "maps.plan_walk", kern, _("Alleen de dorpsraad van deze kern en medewerkers plannen "
                                                  "een wijkschouw."))
    now = now or timezone.now()
    starts_at, ends_at = _clean_times(starts_at, ends_at, now=now)
    check_location(meeting_latitude, meeting_longitude)
    if target_level not in CrowScore.values:
        raise WalkError(_("Kies een streefniveau uit A+, A, B, C of D."), code="target_level")
    with transaction.atomic():
        walk = Walk.objects.create(
            kern=kern, title=plain(title, field=_("titel"), max_length=120, required=True),
            description=plain(description, field=_("waarom deze wijkschouw"), max_length=2000),
            starts_at=starts_at, ends_at=ends_at,
            meeting_point=plain(meeting_point, field=_("verzamelplek"), max_length=200, required=True),
            meeting_latitude=geo.rounded(meeting_latitude) if meeting_latitude not in (None, "") else None,
            meeting_longitude=geo.rounded(meeting_longitude) if meeting_longitude not in (None, "") else None,
            route=clean_route(route),
            route_description=plain(route_description, field=_("de route in woorden"), max_length=2000),
            themes=_clean_themes(list(themes)), max_participants=_clean_max(max_participants),
            observations_public=bool(observations_public), target_level=target_level, created_by=actor,
        )
        walk.organisers.set(_clean_organisers(organisers, kern=kern, actor=actor))
        notify(kind=WALK_PLANNED, recipients=kern.residents.filter(is_active=True), actor=actor, kern=kern,
               params={"title": walk.title, "kern": kern.name, "starts_at": walk.starts_at.isoformat()},
               url=walk.get_absolute_url(), about=f"walk:{walk.pk}", event_key=f"walk_planned:{walk.pk}")
        invalidate_pages_after_commit()  # the kern page and the home page list upcoming walks
    return walk


def _signed_up_people(walk: Walk) -> list:
    return [signup.user for signup in walk.signups.select_related("user")]


def move_walk(*, actor, walk: Walk, starts_at: datetime, ends_at: datetime, meeting_point: str | None = None,
              now: datetime | None = None) -> Walk:
    """Move the walk to another time (and place); everyone signed up hears of it and gets a new reminder."""
    with transaction.atomic():
        walk = lock_walk(walk)
        require_perm(actor, "maps.change_walk", walk, _("Alleen de organisatoren verplaatsen deze wijkschouw, "
                                                        "zolang hij niet is afgerond of afgelast."))
        starts_at, ends_at = _clean_times(starts_at, ends_at, now=now or timezone.now())
        walk.starts_at, walk.ends_at = starts_at, ends_at
        if meeting_point is not None:
            walk.meeting_point = plain(meeting_point, field=_("verzamelplek"), max_length=200, required=True)
        walk.save()
        notify(kind=WALK_CHANGED, recipients=_signed_up_people(walk), actor=actor, kern=walk.kern,
               params={"variant": "moved", "title": walk.title, "starts_at": walk.starts_at.isoformat()},
               url=walk.get_absolute_url(), event_key=f"walk_moved:{walk.pk}:{walk.starts_at.isoformat()}")
        _publish_walk(walk)
        invalidate_pages_after_commit()
    return walk


def cancel_walk(*, actor, walk: Walk, reason: str) -> Walk:
    """Call the walk off, with a reason everyone signed up reads."""
    reason = plain(reason, field=_("reden"), max_length=1000, required=True)
    with transaction.atomic():
        walk = lock_walk(walk)
        require_perm(actor, "maps.change_walk", walk, _("Deze wijkschouw kan niet meer worden afgelast."))
        walk.state, walk.cancel_reason = WalkState.CANCELLED, reason
        walk.save(update_fields=["state", "cancel_reason", "updated_at"])
        notify(kind=WALK_CHANGED, recipients=_signed_up_people(walk), actor=actor, kern=walk.kern, body=reason,
               params={"variant": "cancelled", "title": walk.title, "starts_at": walk.starts_at.isoformat()},
               url=walk.get_absolute_url(), event_key=f"walk_cancelled:{walk.pk}")
        _publish_walk(walk)
        invalidate_pages_after_commit()
    return walk


def start_walk(*, actor, walk: Walk) -> Walk:
    """"We gaan lopen": observations are taken from now on."""
    with transaction.atomic():
        walk = lock_walk(walk)
        require_perm(actor, "maps.run_walk", walk)
        if walk.state != WalkState.PLANNED:
            raise WalkStateError(_("Deze wijkschouw is al begonnen."), code="state")
        walk.state, walk.started_at = WalkState.IN_PROGRESS, timezone.now()
        walk.save(update_fields=["state", "started_at", "updated_at"])
        _publish_walk(walk)
        invalidate_pages_after_commit()
    return walk


def finish_walk(*, actor, walk: Walk) -> Walk:
    """Round the walk off: triage opens, phones that were offline may still send for a while, walkers are asked
    how it was."""
    with transaction.atomic():
        walk = lock_walk(walk)
        require_perm(actor, "maps.run_walk", walk)
        if walk.state != WalkState.IN_PROGRESS:
            raise WalkStateError(_("Alleen een wijkschouw die bezig is, kan worden afgerond."), code="state")
        walk.state, walk.finished_at = WalkState.FINISHED, timezone.now()
        walk.save(update_fields=["state", "finished_at", "updated_at"])
        _publish_walk(walk)
        _ask_for_feedback(walk)
        invalidate_pages_after_commit()
    return walk


def _ask_for_feedback(walk: Walk) -> None:
    """Everyone who took part is asked "Hoe was deze wijkschouw?" (the one short-feedback mechanism)."""
    try:
        from lab.feedback import invite
    except ImportError:  # the feedback mechanism is optional for walks
        return
    people = {signup.user for signup in walk.signups.select_related("user")} | set(walk.organisers.all())
    invite(kind="walk", object_id=walk.pk, users=list(people))


def sign_up(*, user, walk: Walk) -> WalkSignup:
    """Sign ``user`` up; signing up twice changes nothing. A full walk refuses, counted under the walk's lock."""
    with transaction.atomic():
        walk = lock_walk(walk)
        existing = WalkSignup.objects.filter(walk=walk, user=user).first()
        if existing is not None:
            return existing
        walk.signup_count = walk.signups.count()
        if not may(user, "maps.sign_up", walk):
            if walk.state not in (WalkState.PLANNED, WalkState.IN_PROGRESS):
                raise WalkStateError(_("Aanmelden kan niet meer: deze wijkschouw is afgerond of afgelast."),
                                     code="state")
            if walk.max_participants is not None and walk.signup_count >= walk.max_participants:
                raise WalkStateError(_("Deze wijkschouw is vol. Neem contact op met de organisatoren als u toch mee "
                                  "wilt."), code="full")
            require_perm(user, "maps.sign_up", walk, _("Meld u aan bij Samenlab om mee te lopen."))
        signup = WalkSignup.objects.create(walk=walk, user=user)
        invalidate_pages_after_commit()  # the number of walkers shows on the walk's page
    return signup


def cancel_signup(*, user, walk: Walk) -> None:
    """Sign off again; signing off twice changes nothing."""
    with transaction.atomic():
        walk = lock_walk(walk)
        if not walk.signups.filter(user=user).exists():
            return
        require_perm(user, "maps.cancel_signup", walk, _("Afmelden kan niet meer: deze wijkschouw is al voorbij."))
        WalkSignup.objects.filter(walk=walk, user=user).delete()
        invalidate_pages_after_commit()


def send_walk_reminders(*, now: datetime | None = None) -> int:
    """Remind everyone signed up of a walk that starts within the next 24 hours, once per start time.

    Safe to run twice and to kill half-way: each walk is locked and marked in its own transaction, and a
    moved walk (another start time) is reminded again.
    """
    now = now or timezone.now()
    due = Walk.objects.filter(state=WalkState.PLANNED, starts_at__gt=now, starts_at__lte=now + timedelta(hours=24))
    sent = 0
    for walk_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            walk = lock_walk(walk_id)
            if walk.reminder_sent_for == walk.starts_at or walk.state != WalkState.PLANNED:
                continue
            walk.reminder_sent_for = walk.starts_at
            walk.save(update_fields=["reminder_sent_for"])
            notify(kind=WALK_REMINDER, recipients=_signed_up_people(walk), kern=walk.kern,
                   params={"title": walk.title, "place": walk.meeting_point, "starts_at": walk.starts_at.isoformat()},
                   url=walk.get_absolute_url(), event_key=f"walk_reminder:{walk.pk}:{walk.starts_at.isoformat()}")
            sent += 1
    return sent
