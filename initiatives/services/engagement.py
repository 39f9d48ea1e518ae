"""Support, follow and updates: the neighbours' side of an initiative."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core.pagecache import invalidate_pages_after_commit
from initiatives.models import Follow, Initiative, InitiativeUpdate, Support
from initiatives.notification_kinds import SUPPORT_RECEIVED, UPDATE_POSTED
from initiatives.services._common import initiators_of, lock_initiative, require_perm
from initiatives.services.agenda import place_if_reached
from initiatives.services.errors import InitiativeError
from initiatives.services.notifications import tell
from initiatives.services.text import clean_plain_text, clean_rich_text


def _fresh(initiative: Initiative) -> Initiative:
    """The rules look at the status: ask them about the row as it is now, not a possibly stale instance."""
    return Initiative.objects.get(pk=initiative.pk)


def _add(model, *, user, initiative: Initiative) -> None:
    """Insert the (initiative, user) row unless it is there: INSERT ... ON CONFLICT DO NOTHING.

    Race-free on PostgreSQL and SQLite alike: a parallel request that inserts or deletes the same row
    can neither make this raise (no unique-constraint error) nor make a follow-up lookup find nothing.
    """
    model.objects.bulk_create([model(initiative=initiative, user=user)], ignore_conflicts=True)


def support(*, user, initiative: Initiative) -> bool:
    """"Ik steun dit" (and follow it). Supporting twice changes nothing. Returns the new state: ``True``.

    The support that makes the initiative reach its kern's threshold puts it on the council's agenda. The
    initiative's row is locked first, so of parallel supports exactly one sees the count reach it.
    """
    with transaction.atomic():
        # The rule looks at the state as it is now. FOR NO KEY UPDATE: parallel follows may insert their rows.
        locked = lock_initiative(initiative, no_key=True)
        require_perm(user, "initiatives.support_initiative", locked,
                     _("Meld u aan om te steunen. Steunen kan bij gepubliceerde initiatieven van anderen."))
        _add(Support, user=user, initiative=locked)
        _add(Follow, user=user, initiative=locked)
        # Once per supporter: supporting again after a withdrawal tells nobody twice (the event key).
        tell(kind=SUPPORT_RECEIVED, recipients=initiators_of(locked), initiative=locked, actor=user,
             params={"name": user.display_name}, event_key=f"support:{locked.pk}:{user.pk}")
        place_if_reached(locked)
    invalidate_pages_after_commit()  # lists and pages show the number of supporters
    return True


def unsupport(*, user, initiative: Initiative) -> bool:
    """Withdraw support; withdrawing twice changes nothing. Returns the new state: ``False``."""
    Support.objects.filter(initiative=initiative, user=user).delete()
    invalidate_pages_after_commit()
    return False


def follow(*, user, initiative: Initiative) -> bool:
    """Follow the initiative's news; idempotent. Returns the new state: ``True``."""
    initiative = _fresh(initiative)
    require_perm(user, "initiatives.follow_initiative", initiative, _("Meld u aan om dit initiatief te volgen."))
    _add(Follow, user=user, initiative=initiative)
    return True


def unfollow(*, user, initiative: Initiative) -> bool:
    """Stop following; idempotent. Returns the new state: ``False``."""
    Follow.objects.filter(initiative=initiative, user=user).delete()
    return False


def post_update(*, actor, initiative: Initiative, title: str, body: str) -> InitiativeUpdate:
    """Initiators tell followers what is happening; followers get a notification after commit."""
    initiative = _fresh(initiative)
    require_perm(actor, "initiatives.post_update", initiative,
                 _("Alleen initiatiefnemers plaatsen nieuws, en pas als het initiatief gepubliceerd is."))
    title = clean_plain_text(title)[:120]
    body = clean_rich_text(body)
    if not title or not clean_plain_text(body):
        raise InitiativeError(_("Geef uw bericht een titel en een tekst."), code="update_empty")
    with transaction.atomic():
        update = InitiativeUpdate.objects.create(initiative=initiative, author=actor, title=title, body=body)
        followers = [f.user for f in Follow.objects.filter(initiative=initiative).exclude(user=actor)
                     .select_related("user")]
        tell(kind=UPDATE_POSTED, recipients=followers, initiative=initiative, params={"update": title},
             body=clean_plain_text(body)[:300], actor=actor, event_key=f"update:{update.pk}")
        invalidate_pages_after_commit()
    return update
