"""Helpers shared by the initiatives services: locking, the audit trail, permission checks."""

from django.utils.translation import gettext as _

from core.pagecache import invalidate_pages_after_commit
from core.permissions import require
from initiatives.models import Initiative, InitiativeEvent


def lock_initiative(initiative: Initiative | int, *, no_key: bool = False) -> Initiative:
    """The initiative's row, locked until the surrounding transaction ends (call inside ``atomic``).

    ``no_key``: PostgreSQL's FOR NO KEY UPDATE. It waits for and blocks every other lock on the row all the same,
    but lets other transactions insert rows that point at it (their foreign-key check takes FOR KEY SHARE). A
    service that inserts such rows itself under the lock (a support, a follow) needs it: with FOR UPDATE, a
    parallel follow that has inserted its row waits for this lock while this one waits for that row (deadlock).
    """
    pk = initiative if isinstance(initiative, int) else initiative.pk
    return Initiative.objects.select_for_update(no_key=no_key).get(pk=pk)


def require_perm(actor, perm: str, obj, message: str | None = None) -> None:
    """Ask the rule itself, not ``user.has_perm``: Django lets superusers pass every ``has_perm``, but the
    domain rules (nobody moderates their own initiative, no pledge to a draft) hold for admins too."""
    require(actor, perm, obj, message or _("U mag dit niet doen bij dit initiatief."))


def record_event(*, initiative: Initiative, actor, action: str, from_status: str = "", to_status: str = "",
                 reason: str = "") -> InitiativeEvent:
    """Audit one change; every change is also one that kern pages and lists may show."""
    invalidate_pages_after_commit()
    return InitiativeEvent.objects.create(
        initiative=initiative, actor=actor if actor is not None and actor.is_authenticated else None,
        action=action, from_status=from_status, to_status=to_status, reason=reason,
    )


def initiators_of(initiative: Initiative) -> list:
    return [initiative.initiator, *initiative.co_initiators.all()]


def council_of(initiative: Initiative) -> list:
    from community.selectors import council_of as council_of_kern

    return council_of_kern(initiative.kern_id)


def copy_state(*, target: Initiative, source: Initiative) -> None:
    """Give the caller's instance the saved values, so it is not left stale after a service changed the row."""
    if target is source or not isinstance(target, Initiative):
        return
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
