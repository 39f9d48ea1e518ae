"""The resident controls their data: export everything we hold about them, and erase it.

Each app that stores personal data registers a provider module path in ``PROVIDERS``; the module has
``export_personal_data(user) -> dict`` and ``erase_personal_data(user) -> None``. Erasure keeps what the
community needs to stay readable (an initiative, a comment) but removes the person from it; the account
itself is anonymised and deactivated, so nothing can log in as it again.
"""

import uuid
from importlib import import_module

from django.db import transaction
from django.utils import timezone

from community.models import ERASED_EMAIL_SUFFIX, CallbackRequest, Notification, NotificationPreference, User

PROVIDERS: list[str] = ["community.privacy"]


def iso(moment) -> str | None:
    """A date or time as ISO 8601 for the export, or None."""
    return moment.isoformat() if moment else None


def register(module_path: str) -> None:
    """Called from an app's ``AppConfig.ready`` to add its personal data to export and erasure."""
    if module_path not in PROVIDERS:
        PROVIDERS.append(module_path)


def export_personal_data(user: User) -> dict:
    """Everything about ``user``, from the profile to every app's records (for download as JSON)."""
    from allauth.account.models import EmailAddress

    return {
        "profile": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "address_as": user.address_as,
            "kern": user.kern.name if user.kern else None,
            "postcode": user.postcode,
            "phone": user.phone,
            "preferred_language": user.preferred_language,
            "large_text": user.large_text,
            "email_notifications": user.email_notifications,
            "residency_verified_at": user.residency_verified_at.isoformat() if user.residency_verified_at else None,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "last_visit_at": user.last_visit_at.isoformat() if user.last_visit_at else None,
        },
        "email_addresses": list(EmailAddress.objects.filter(user=user).values("email", "verified", "primary")),
        "council_memberships": [
            {"kern": m.kern.name, "role": m.role, "since": m.since.isoformat()}
            for m in user.council_memberships.select_related("kern")
        ],
        "callback_requests": [
            {"created_at": c.created_at.isoformat(), "name": c.name, "phone": c.phone, "email": c.email,
             "message": c.message, "status": c.status}
            for c in CallbackRequest.objects.filter(requester=user)
        ],
        "notifications": [
            {"created_at": n.created_at.isoformat(), "title": n.text, "body": n.body, "url": n.url,
             "read_at": n.read_at.isoformat() if n.read_at else None,
             "emailed_at": n.emailed_at.isoformat() if n.emailed_at else None}
            for n in Notification.objects.filter(recipient=user)
        ],
        "notification_preferences": dict(
            NotificationPreference.objects.filter(user=user).values_list("kind", "delivery")),
    }


def erase_personal_data(user: User) -> None:
    from allauth.account.models import EmailAddress

    from community.notifications.services import forget_unread_count

    CallbackRequest.objects.filter(requester=user).update(
        requester=None, name="", phone="", email="", message="", staff_note=""
    )
    Notification.objects.filter(recipient=user).delete()
    transaction.on_commit(lambda: forget_unread_count(user.pk))
    NotificationPreference.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    user.council_memberships.all().delete()
    if hasattr(user, "staff_profile"):
        user.staff_profile.delete()


def export_all(user: User) -> dict:
    data = {"exported_at": timezone.now().isoformat()}
    for path in PROVIDERS:
        module = import_module(path)
        if path == "community.privacy":
            data.update(export_personal_data(user))
        else:
            data[path.split(".")[0]] = module.export_personal_data(user)
    return data


def erase_account(*, user: User) -> None:
    """Erase a resident: every app forgets them, then the account is anonymised and closed.

    Precondition: the caller has checked that ``user`` is the signed-in person (or an admin acting on a
    request). The user row stays (as "verwijderde gebruiker") so that shared content keeps its shape.
    """
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        for path in reversed(PROVIDERS):
            import_module(path).erase_personal_data(locked)
        locked.email = f"verwijderd-{uuid.uuid4().hex}{ERASED_EMAIL_SUFFIX}"
        locked.first_name = ""
        locked.last_name = ""
        locked.address_as = User._meta.get_field("address_as").default
        locked.postcode = ""
        locked.phone = ""
        locked.kern = None
        locked.residency_verified_at = None
        locked.residency_verified_by = None
        locked.last_visit_at = None
        locked.is_active = False
        locked.is_staff = False
        locked.is_superuser = False
        locked.set_unusable_password()
        locked.save()
        locked.groups.clear()
