"""State changes of people and places. Views call these; nothing else writes."""

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import CallbackRequest, HelpTopic, Kern, ServicePromise, User
from community.notification_kinds import CALLBACK_HANDED_ON, CALLBACK_REQUESTED, CALLBACK_STATUS, RESIDENCY_CONFIRMED
from community.notifications.services import notify, resolve
from core.permissions import may, require

KERNEN_CSV = Path(__file__).resolve().parent / "data" / "kernen.csv"


@dataclass(frozen=True)
class SeedResult:
    created: int
    updated: int


def seed_kernen(*, path: Path = KERNEN_CSV) -> SeedResult:
    """Create or update the municipality's kernen from the CSV; safe to run again (keyed on slug)."""
    created = updated = 0
    with path.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        with transaction.atomic():
            for row in rows:
                _kern, was_created = Kern.objects.update_or_create(
                    slug=row["slug"],
                    defaults={
                        "name": row["name"],
                        "latitude": Decimal(row["lat"]),
                        "longitude": Decimal(row["lng"]),
                        "postcode_prefix": row["postcode_prefix"],
                        "council_name": _("Dorpsraad %(kern)s") % {"kern": row["name"]},
                    },
                )
                created += was_created
                updated += not was_created
    return SeedResult(created=created, updated=updated)


def update_profile(*, user: User, first_name: str, last_name: str, kern: Kern | None, postcode: str,
                   phone: str, preferred_language: str, large_text: bool, email_notifications: bool,
                   address_as: str | None = None) -> User:
    """Save what a resident tells us about themselves. Moving to another kern ends the residency check.

    ``address_as`` (an ``AddressAs`` value) is left as it is when not given.
    """
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.kern_id != (kern.pk if kern else None):
            locked.residency_verified_at = None
            locked.residency_verified_by = None
        locked.first_name = first_name.strip()
        locked.last_name = last_name.strip()
        locked.kern = kern
        locked.postcode = postcode.replace(" ", "").upper()
        locked.phone = phone.strip()
        locked.preferred_language = preferred_language
        locked.large_text = large_text
        locked.email_notifications = email_notifications
        if address_as is not None:
            locked.address_as = address_as
        locked.full_clean(exclude=["password"])
        locked.save()
    return locked


def set_preferred_language(*, user: User, language: str) -> None:
    """Remember the language a resident chose with the switch. Precondition: ``language`` is in LANGUAGES."""
    User.objects.filter(pk=user.pk).update(preferred_language=language)


def choose_kern(*, user: User, kern: Kern) -> User:
    """The onboarding step: a new resident says where they live."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.kern_id != kern.pk:
            locked.kern = kern
            locked.residency_verified_at = None
            locked.residency_verified_by = None
            locked.save(update_fields=["kern", "residency_verified_at", "residency_verified_by"])
    return locked


def confirm_residency(*, actor: User, resident: User) -> User:
    """A council member of the resident's kern (or staff) confirms that the resident lives there."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=resident.pk)
        if locked.kern_id is None:
            raise ValidationError(_("Deze bewoner heeft nog geen kern gekozen."))
        if not may(actor, "community.confirm_residency", locked):
            raise PermissionDenied(_("U mag bewoners van deze kern niet bevestigen."))
        if locked.residency_verified_at is None:
            locked.residency_verified_at = timezone.now()
            locked.residency_verified_by = actor
            locked.save(update_fields=["residency_verified_at", "residency_verified_by"])
            notify(kind=RESIDENCY_CONFIRMED, recipients=[locked], params={"kern": locked.kern.name},
                   url=reverse("community:home"), kern=locked.kern, event_key=f"residency:{locked.pk}")
    return locked


# Without a promise set in the admin: a call or video call within two working days, a meeting within five.
DEFAULT_PROMISE_DAYS = {CallbackRequest.Channel.PHONE: 2, CallbackRequest.Channel.VIDEO: 2}
DEFAULT_MEETING_PROMISE_DAYS = 5


def add_working_days(start: date, days: int) -> date:
    """``days`` working days (Monday to Friday) after ``start``."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def promised_answer_date(channel: str, today: date | None = None) -> date:
    """The date by which someone who asks today for contact of this kind hears from us (the service promise)."""
    promise = ServicePromise.objects.filter(channel=channel).values_list("working_days", flat=True).first()
    days = promise or DEFAULT_PROMISE_DAYS.get(channel, DEFAULT_MEETING_PROMISE_DAYS)
    return add_working_days(today or timezone.localdate(), days)


def request_callback(*, requester: User | None, name: str, phone: str, email: str = "", kern: Kern | None = None,
                     topic: HelpTopic | None = None, message: str = "",
                     preferred_moment: str = CallbackRequest.Moment.ANY,
                     channel: str = CallbackRequest.Channel.PHONE) -> CallbackRequest:
    """Store a request for contact (how and when the person wants it, and the date we promise to answer by);
    the staff who help with its topic or kern are told."""
    callback = CallbackRequest(
        requester=requester if requester is not None and requester.is_authenticated else None,
        name=name.strip(),
        phone=phone.strip(),
        email=email.strip(),
        kern=kern,
        topic=topic,
        message=message.strip(),
        preferred_moment=preferred_moment,
        channel=channel,
        answer_by=promised_answer_date(channel),
    )
    callback.full_clean()
    with transaction.atomic():
        callback.save()
        notify(kind=CALLBACK_REQUESTED, recipients=staff_for_callback(callback), params={"name": callback.name},
               url=reverse("community:staff_desk"), kern=kern, about=f"callback:{callback.pk}",
               event_key=f"callback:{callback.pk}", visible=("community.handle_callbackrequest", callback))
    return callback


def staff_for_callback(callback: CallbackRequest) -> list[User]:
    """Who hears of a new request: staff who help with its topic or kern; if none do, all staff."""
    staff = User.objects.filter(is_active=True, is_staff=True)
    matching = staff.none()
    if callback.topic_id:
        matching |= staff.filter(staff_profile__topics=callback.topic_id)
    if callback.kern_id:
        matching |= staff.filter(staff_profile__kernen=callback.kern_id)
    return list(matching.distinct()) or list(staff)


def handle_callback(*, actor: User, callback: CallbackRequest, status: str, note: str = "",
                    hand_to: User | None = None) -> CallbackRequest:
    """Staff take up, close or hand on a request for contact: the one who changes it takes it, unless they
    hand it to a colleague (``hand_to``), who is told."""
    if not may(actor, "community.handle_callbackrequest", callback):
        raise PermissionDenied(_("Alleen medewerkers behandelen terugbelverzoeken."))
    if status not in CallbackRequest.Status.values:
        raise ValidationError(_("Onbekende status."))
    if hand_to is not None and not (hand_to.is_active and may(hand_to, "community.handle_callbackrequest", callback)):
        raise ValidationError(_("Geef het verzoek door aan een medewerker."))
    with transaction.atomic():
        locked = CallbackRequest.objects.select_for_update().get(pk=callback.pk)
        status_changed = locked.status != status
        handed_on = hand_to is not None and hand_to.pk != actor.pk and hand_to.pk != locked.assigned_to_id
        locked.status = status
        locked.assigned_to = hand_to or actor
        if note:
            locked.staff_note = note.strip()
        locked.handled_at = timezone.now() if status == CallbackRequest.Status.DONE else None
        locked.save()
        # Taken up or closed: the other staff members' "new request" is settled.
        if status != CallbackRequest.Status.OPEN:
            resolve(about=f"callback:{locked.pk}", kinds_=[CALLBACK_REQUESTED])
        if handed_on:
            notify(kind=CALLBACK_HANDED_ON, recipients=[hand_to], actor=actor, kern=locked.kern_id,
                   params={"name": locked.name, "colleague": actor.display_name},
                   url=reverse("community:staff_desk"), visible=("community.handle_callbackrequest", locked))
        if status_changed and locked.requester_id:
            notify(kind=CALLBACK_STATUS, recipients=[locked.requester], params={"status": status},
                   url=reverse("community:home"), kern=locked.kern_id, actor=actor)
    return locked


KERN_FIELDS = ("name", "slug", "latitude", "longitude", "postcode_prefix", "council_name", "council_email")


def save_kern(*, actor: User, kern: Kern) -> Kern:
    """Create or change a kern (the Wagtail admin's form fills ``kern``). Admins only; kern pages,
    lists and maps show kernen, so the page cache is emptied after commit."""
    require(actor, "community.manage_site", None, _("Alleen beheerders van de site wijzigen kernen."))
    return _saved(kern)


def _saved(obj, *, exclude=None):
    """Validate and save ``obj``; pages show it, so the page cache empties after commit."""
    from core.pagecache import invalidate_pages_after_commit

    obj.full_clean(exclude=exclude)
    with transaction.atomic():
        obj.save()
        invalidate_pages_after_commit()
    return obj


def _deleted(obj) -> None:
    from core.pagecache import invalidate_pages_after_commit

    with transaction.atomic():
        obj.delete()
        invalidate_pages_after_commit()


def delete_kern(*, actor: User, kern: Kern) -> None:
    require(actor, "community.manage_site", None, _("Alleen beheerders van de site wijzigen kernen."))
    _deleted(kern)


def save_help_topic(*, actor: User, topic: HelpTopic) -> HelpTopic:
    require(actor, "community.manage_site", None, _("Alleen beheerders van de site wijzigen onderwerpen."))
    return _saved(topic)


def delete_help_topic(*, actor: User, topic: HelpTopic) -> None:
    require(actor, "community.manage_site", None, _("Alleen beheerders van de site wijzigen onderwerpen."))
    _deleted(topic)


def appoint_council_member(*, actor: User, membership) -> object:
    """Seat someone on a village council (or change their role); kern pages show the council."""
    require(actor, "community.manage_people", None, _("Alleen medewerkers wijzigen de dorpsraden."))
    return _saved(membership)


def end_council_membership(*, actor: User, membership) -> None:
    require(actor, "community.manage_people", None, _("Alleen medewerkers wijzigen de dorpsraden."))
    _deleted(membership)


def save_staff_profile(*, actor: User, profile, topics=None, kernen=None):
    """A staff member's public face; ``topics``/``kernen`` replace the lists when given."""
    require(actor, "community.manage_people", None, _("Alleen medewerkers wijzigen medewerkerprofielen."))
    with transaction.atomic():
        _saved(profile)
        if topics is not None:
            profile.topics.set(topics)
        if kernen is not None:
            profile.kernen.set(kernen)
    return profile


def delete_staff_profile(*, actor: User, profile) -> None:
    require(actor, "community.manage_people", None, _("Alleen medewerkers wijzigen medewerkerprofielen."))
    _deleted(profile)


def delete_callback(*, actor: User, callback: CallbackRequest) -> None:
    require(actor, "community.handle_callbackrequest", callback, _("Alleen medewerkers behandelen terugbelverzoeken."))
    callback.delete()


def save_service_promise(*, actor: User, promise: ServicePromise) -> ServicePromise:
    require(actor, "community.manage_people", None, _("Alleen medewerkers stellen servicebeloftes in."))
    return _saved(promise)


def delete_service_promise(*, actor: User, promise: ServicePromise) -> None:
    require(actor, "community.manage_people", None, _("Alleen medewerkers stellen servicebeloftes in."))
    _deleted(promise)
