"""Pledges of money, time and materials, with idempotency keys and match funding.

Idempotency: a request carries a key; the same key from the same pledger returns the pledge made the
first time. Every pledge locks its initiative's row first, so identical parallel requests queue up and
the second one finds the first one's pledge; the unique constraint (pledger, key) backs this up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pagecache import invalidate_pages_after_commit
from initiatives.models import Initiative, Pledge, Status
from initiatives.services import funds
from initiatives.services._common import lock_initiative, require_perm
from initiatives.services.errors import IdempotencyConflict, InitiativeError, PledgeRefused
from initiatives.services.text import clean_plain_text

MAX_PLEDGE = Decimal("10000.00")
MAX_HOURS = 1000
CENT = Decimal("0.01")


@dataclass(frozen=True)
class PledgeResult:
    pledge: Pledge
    created: bool


def _clean_amount(amount) -> Decimal:
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        value = Decimal("NaN")
    if not value.is_finite() or value <= 0 or value > MAX_PLEDGE or value != value.quantize(CENT):
        raise InitiativeError(_("Vul een bedrag in tussen € 0,01 en € 10.000, in hele centen."), code="amount")
    return value.quantize(CENT)


def _clean_values(kind: str, amount, hours, materials: str) -> dict:
    if kind == Pledge.Kind.MONEY:
        return {"amount": _clean_amount(amount), "hours": None, "materials": ""}
    if kind == Pledge.Kind.TIME:
        try:
            hours = int(hours)
        except (TypeError, ValueError):
            hours = 0
        if not 0 < hours <= MAX_HOURS:
            raise InitiativeError(_("Vul een aantal uren in van 1 tot 1000."), code="hours")
        return {"amount": None, "hours": hours, "materials": ""}
    if kind == Pledge.Kind.MATERIALS:
        materials = clean_plain_text(materials)[:2000]
        if not materials:
            raise InitiativeError(_("Schrijf op welke materialen u aanbiedt."), code="materials")
        return {"amount": None, "hours": None, "materials": materials}
    raise InitiativeError(_("Kies geld, tijd of materialen."), code="kind")


def _same_pledge(existing: Pledge, kind: str, values: dict) -> bool:
    return existing.kind == kind and existing.amount == values["amount"] and existing.hours == values["hours"] \
        and existing.materials == values["materials"]


def pledge(*, pledger, initiative: Initiative, kind: str, idempotency_key: str, amount=None, hours=None,
           materials: str = "", message: str = "") -> PledgeResult:
    """Pledge money (only while funding), time or materials (while published or funding).

    Same ``idempotency_key`` from the same pledger: the first pledge is returned (``created=False``);
    with different values an ``IdempotencyConflict``. Money pledges reserve match funding at once.
    """
    if not getattr(pledger, "is_authenticated", False):
        raise PermissionDenied(_("Meld u aan om toe te zeggen."))
    key = (idempotency_key or "").strip()
    if not key or len(key) > 80:
        raise InitiativeError(_("Er ontbreekt een geldige sleutel voor dit verzoek. Probeer het opnieuw."),
                              code="idempotency_key")
    values = _clean_values(kind, amount, hours, materials)
    existing = Pledge.objects.filter(pledger=pledger, idempotency_key=key).first()
    if existing is not None:
        return _replay(existing, kind, values)
    try:
        with transaction.atomic():
            locked = lock_initiative(initiative)
            # Under the lock: a parallel request with the same key that got here first has committed.
            existing = Pledge.objects.filter(pledger=pledger, idempotency_key=key).first()
            if existing is not None:
                return _replay(existing, kind, values)
            allowed = (Status.FUNDING,) if kind == Pledge.Kind.MONEY else (Status.PUBLISHED, Status.FUNDING)
            if locked.status not in allowed:
                raise PledgeRefused(_("Toezeggen kan nu niet: dit initiatief is %(status)s.")
                                    % {"status": locked.get_status_display()}, code="not_open")
            if locked.deadline is not None and locked.status == Status.FUNDING \
                    and locked.deadline < timezone.localdate():
                raise PledgeRefused(_("De einddatum van dit initiatief is voorbij."), code="deadline_passed")
            require_perm(pledger, "initiatives.add_pledge", locked,
                         _("Meld u aan om toe te zeggen. Initiatiefnemers zeggen niet toe aan hun eigen initiatief."))
            created = Pledge.objects.create(initiative=locked, pledger=pledger, kind=kind, idempotency_key=key,
                                            message=clean_plain_text(message)[:300], **values)
            if kind == Pledge.Kind.MONEY:
                funds.reserve_match(pledge=created, initiative=locked)
            invalidate_pages_after_commit()  # the kern page shows the progress bar
    except IntegrityError:
        existing = Pledge.objects.filter(pledger=pledger, idempotency_key=key).first()
        if existing is None:
            raise
        return _replay(existing, kind, values)
    return PledgeResult(pledge=created, created=True)


def _replay(existing: Pledge, kind: str, values: dict) -> PledgeResult:
    if not _same_pledge(existing, kind, values):
        raise IdempotencyConflict(
            _("Dit verzoek is al eerder verstuurd met een andere toezegging. Ververs de pagina en probeer opnieuw."),
            code="idempotency_conflict")
    return PledgeResult(pledge=existing, created=False)


def cancel_pledge(*, actor, pledge: Pledge, today: date | None = None) -> Pledge:
    """Withdraw an active pledge until the end of the deadline day; reserved matching goes back to the fund."""
    today = today or timezone.localdate()
    with transaction.atomic():
        initiative = lock_initiative(pledge.initiative_id)
        locked = Pledge.objects.select_for_update().get(pk=pledge.pk)
        locked.initiative = initiative
        if locked.status != Pledge.Status.ACTIVE:
            raise PledgeRefused(_("Deze toezegging is al %(status)s.") % {"status": locked.get_status_display()},
                                code="not_active")
        if initiative.status not in (Status.PUBLISHED, Status.FUNDING) or (
                initiative.deadline is not None and initiative.deadline < today):
            raise PledgeRefused(_("Intrekken kan alleen tot en met de einddatum."), code="deadline_passed")
        require_perm(actor, "initiatives.cancel_pledge", locked, _("U kunt alleen uw eigen toezegging intrekken."))
        _withdraw(locked)
    return locked


def withdraw_all_pledges_of(*, user) -> int:
    """Erasure: withdraw every active pledge of ``user``, whatever the deadline (nobody can collect them now).

    Precondition: the account is being erased (``community.privacy.erase_account``).
    """
    withdrawn = 0
    for pledge in Pledge.objects.filter(pledger=user, status=Pledge.Status.ACTIVE):
        with transaction.atomic():
            lock_initiative(pledge.initiative_id)
            locked = Pledge.objects.select_for_update().get(pk=pledge.pk)
            if locked.status == Pledge.Status.ACTIVE:
                _withdraw(locked)
                withdrawn += 1
    return withdrawn


def _withdraw(locked: Pledge) -> None:
    """Cancel a locked, active pledge and give its reserved matching back. Precondition: inside ``atomic``."""
    locked.status = Pledge.Status.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["status", "cancelled_at"])
    reservation = getattr(locked, "match_reservation", None)
    if reservation is not None:
        funds.return_match(reservation=reservation)
    invalidate_pages_after_commit()
