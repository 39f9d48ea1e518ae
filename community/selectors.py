"""Reads of people and places."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import CallbackRequest, Kern, ServicePromise, StaffProfile, User


def greeting_for(moment: datetime | None = None) -> str:
    """"Goedemorgen", "Goedemiddag", "Goedenavond" or "Goedenacht" by the local time of day."""
    hour = timezone.localtime(moment or timezone.now()).hour
    if 6 <= hour < 12:
        return _("Goedemorgen")
    if 12 <= hour < 18:
        return _("Goedemiddag")
    if 18 <= hour < 24:
        return _("Goedenavond")
    return _("Goedenacht")


def public_staff(*, kern: Kern | None = None):
    profiles = StaffProfile.objects.public()
    if kern is not None:
        profiles = profiles.filter(kernen=kern)
    return profiles


def callbacks_for_staff():
    return CallbackRequest.objects.for_staff_list()


def callbacks_of(user: User):
    return CallbackRequest.objects.filter(requester=user).select_related("topic").order_by("-created_at")


def residents_to_confirm(user: User):
    """Residents waiting for confirmation in the kernen this council member (or staff) may confirm."""
    from community.rules import council_kern_ids, is_staff

    waiting = User.objects.filter(is_active=True, kern__isnull=False, residency_verified_at__isnull=True)
    if not is_staff(user):
        waiting = waiting.filter(kern_id__in=council_kern_ids(user))
    return waiting.exclude(pk=user.pk).select_related("kern").order_by("kern__name", "first_name")


def has_two_step_verification(user: User) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def service_promises() -> list[tuple[str, int]]:
    """Per way of contact, within how many working days we answer: ``[(label, days), …]``."""
    from community.services import DEFAULT_MEETING_PROMISE_DAYS, DEFAULT_PROMISE_DAYS

    set_in_admin = dict(ServicePromise.objects.values_list("channel", "working_days"))
    return [(label, set_in_admin.get(value) or DEFAULT_PROMISE_DAYS.get(value, DEFAULT_MEETING_PROMISE_DAYS))
            for value, label in CallbackRequest.Channel.choices]


def council_of(kern_id: int | None) -> list[User]:
    """The active members of a kern's village council (none without a kern)."""
    if not kern_id:
        return []
    return list(User.objects.filter(council_memberships__kern_id=kern_id, is_active=True).distinct())
