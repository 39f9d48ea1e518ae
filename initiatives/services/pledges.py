"""Pledges of money, time and materials, with idempotency keys and match funding.

Idempotency: a request carries a key; the same key from the same pledger returns the pledge made the
first time. Every pledge locks its initiative's row first, so identical parallel requests queue up and
the second one finds the first one's pledge; the unique constraint (pledger, key) backs this up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Overloaded, is_overload
from core.formats import money
from core.pagecache import invalidate_pages_after_commit
from initiatives.models import Initiative, Pledge, Status
from initiatives.money import PLEDGE_MAX, PLEDGE_MIN, parse_euro
from initiatives.notification_kinds import PLEDGE_RECEIVED
from initiatives.services import funds
from initiatives.services._common import initiators_of, lock_initiative, require_perm
from initiatives.services.errors import IdempotencyConflict, InitiativeError, PledgeRefused, PossibleDuplicate
from initiatives.services.notifications import tell
from initiatives.services.text import clean_plain_text

MAX_PLEDGE = PLEDGE_MAX
MIN_PLEDGE = PLEDGE_MIN
REPEAT_WINDOW = timedelta(minutes=10)
MAX_HOURS = 1000
CENT = Decimal("0.01")


@dataclass(frozen=True)
class PledgeResult:
    pledge: Pledge
    created: bool
    matched: Decimal = Decimal("0.00")  # matching reserved for this pledge (0 for time, materials, replays)
    goal_met: bool = False  # money pledge accepted without matching because the goal needed no more


def bounded_lock_waits() -> None:
    """Inside ``atomic`` on PostgreSQL: give up waiting for a row lock after ``PLEDGE_LOCK_TIMEOUT_MS``
    (``SET LOCAL``: only this transaction). The time-out surfaces as ``core.errors.Overloaded`` (503)."""
    if connection.vendor == "postgresql":
        timeout = int(getattr(settings, "PLEDGE_LOCK_TIMEOUT_MS", 3000))
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{timeout}ms"])


def _overloaded(error: OperationalError) -> Exception:
    if is_overload(error):
        return Overloaded(_("Het is nu erg druk. Probeer het over een paar seconden opnieuw; er is niets veranderd."))
    return error


def _clean_amount(amount) -> Decimal:
    """The one amount check (``initiatives.money.parse_euro``): the web form and the API say the same."""
    try:
        return parse_euro(amount, minimum=MIN_PLEDGE, maximum=MAX_PLEDGE)
    except ValidationError as error:
        raise InitiativeError(error.messages[0], code="amount") from None


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
           materials: str = "", message: str = "", confirm_repeat: bool = False) -> PledgeResult:
    """Pledge money (only while funding), time or materials (while published or funding).

    Same ``idempotency_key`` from the same pledger: the first pledge is returned (``created=False``);
    with different values an ``IdempotencyConflict``. The same pledge again within ten minutes with a new
    key is a ``PossibleDuplicate`` unless ``confirm_repeat`` (Back and submit again is not a second gift).
    One person's active money pledges to one initiative add up to at most its goal. Money pledges reserve
    match funding at once, per person and never past the goal (docs/decisions/0012).

    Waits for locks are bounded: too long a wait raises ``core.errors.Overloaded`` and changes nothing.
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
            bounded_lock_waits()
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
            if not confirm_repeat:
                _refuse_likely_repeat(pledger=pledger, initiative=locked, kind=kind, values=values)
            if kind == Pledge.Kind.MONEY:
                _check_personal_ceiling(pledger=pledger, initiative=locked, amount=values["amount"])
            created = Pledge.objects.create(initiative=locked, pledger=pledger, kind=kind, idempotency_key=key,
                                            message=clean_plain_text(message)[:300], **values)
            matched, goal_met = Decimal("0.00"), False
            if kind == Pledge.Kind.MONEY:
                reservation = funds.reserve_match(pledge=created, initiative=locked)
                if reservation is not None:
                    matched = reservation.amount
                else:
                    goal_met = funds.match_need(initiative=locked) <= 0
            value = {Pledge.Kind.MONEY: "amount", Pledge.Kind.TIME: "hours"}.get(kind, "materials")
            tell(kind=PLEDGE_RECEIVED, recipients=initiators_of(locked), initiative=locked, actor=pledger,
                 params={"name": pledger.display_name, "pledge_kind": kind, "value": str(values[value])[:200]},
                 event_key=f"pledge:{created.pk}")
            invalidate_pages_after_commit()  # the kern page shows the progress bar
    except IntegrityError:
        existing = Pledge.objects.filter(pledger=pledger, idempotency_key=key).first()
        if existing is None:
            raise
        return _replay(existing, kind, values)
    except OperationalError as error:
        raise _overloaded(error) from error
    return PledgeResult(pledge=created, created=True, matched=matched, goal_met=goal_met)


def _describe(kind: str, values: dict) -> str:
    if kind == Pledge.Kind.MONEY:
        return money(values["amount"])
    if kind == Pledge.Kind.TIME:
        return _("%(hours)s uur") % {"hours": values["hours"]}
    return values["materials"][:60]


def _refuse_likely_repeat(*, pledger, initiative: Initiative, kind: str, values: dict) -> None:
    """The same pledge by the same person in the last ten minutes (another key): ask before counting it twice."""
    recent = Pledge.objects.filter(pledger=pledger, initiative=initiative, kind=kind, status=Pledge.Status.ACTIVE,
                                   created_at__gte=timezone.now() - REPEAT_WINDOW, amount=values["amount"],
                                   hours=values["hours"], materials=values["materials"])
    if recent.exists():
        what = _describe(kind, values)
        raise PossibleDuplicate(_("U heeft zojuist %(what)s toegezegd. Nog een keer %(what)s?") % {"what": what},
                                code="possible_duplicate")


def _check_personal_ceiling(*, pledger, initiative: Initiative, amount: Decimal) -> None:
    """One person's active money pledges to one initiative add up to at most its goal."""
    if not initiative.goal:
        return
    already = Pledge.objects.filter(pledger=pledger, initiative=initiative, kind=Pledge.Kind.MONEY,
                                    status=Pledge.Status.ACTIVE).aggregate(total=Sum("amount"))["total"] \
        or Decimal("0.00")
    if already + amount > initiative.goal:
        room = max(Decimal("0.00"), initiative.goal - already)
        if room > 0:
            text = _("Samen mogen uw toezeggingen aan dit initiatief niet meer zijn dan het doel van %(goal)s. "
                     "U heeft al %(already)s toegezegd; u kunt nog hoogstens %(room)s toezeggen.")
        else:
            text = _("U heeft al %(already)s toegezegd: het hele doel van %(goal)s. Meer geld toezeggen aan "
                     "dit initiatief kan niet; tijd of materialen wel.")
        raise PledgeRefused(text % {"goal": money(initiative.goal), "already": money(already),
                                    "room": money(room)}, code="amount")


def _replay(existing: Pledge, kind: str, values: dict) -> PledgeResult:
    if not _same_pledge(existing, kind, values):
        raise IdempotencyConflict(
            _("Dit verzoek is al eerder verstuurd met een andere toezegging. Ververs de pagina en probeer opnieuw."),
            code="idempotency_conflict")
    return PledgeResult(pledge=existing, created=False)


def cancel_pledge(*, actor, pledge: Pledge, today: date | None = None) -> Pledge:
    """Withdraw an active pledge until the end of the deadline day; reserved matching goes back to the fund."""
    today = today or timezone.localdate()
    try:
        with transaction.atomic():
            bounded_lock_waits()
            initiative = lock_initiative(pledge.initiative_id)
            locked = Pledge.objects.select_for_update().get(pk=pledge.pk)
            locked.initiative = initiative
            if locked.status != Pledge.Status.ACTIVE:
                raise PledgeRefused(_("Deze toezegging is al %(status)s.")
                                    % {"status": locked.get_status_display()}, code="not_active")
            if initiative.status not in (Status.PUBLISHED, Status.FUNDING) or (
                    initiative.deadline is not None and initiative.deadline < today):
                raise PledgeRefused(_("Intrekken kan alleen tot en met de einddatum."), code="deadline_passed")
            require_perm(actor, "initiatives.cancel_pledge", locked,
                         _("U kunt alleen uw eigen toezegging intrekken."))
            _withdraw(locked)
    except OperationalError as error:
        raise _overloaded(error) from error
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
