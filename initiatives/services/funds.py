"""Municipal match funds: reserve as money pledges arrive, return when a pledge is cancelled or the goal missed.

Never below zero, whatever the concurrency: the fund row is locked (``select_for_update``) before its
balance is read, the new balance is computed as an exact ``Decimal`` while the lock is held and written
back (not as ``F("balance") - amount``: SQLite does that arithmetic in floating point, and 1.00 - 0.79 - 0.21
would come out a hair below zero), and the database's CHECK constraint refuses a negative balance as the last
line of defence. Callers already hold the
initiative's lock, and always lock initiative before fund, so two pledges cannot deadlock.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from initiatives.models import Initiative, MatchFund, MatchReservation, Pledge
from initiatives.services._common import require_perm
from initiatives.services.errors import InitiativeError

CENT = Decimal("0.01")
HELD = (MatchReservation.Status.RESERVED, MatchReservation.Status.COMMITTED)


def applicable_funds(initiative: Initiative):
    """Active funds for this initiative's kern and theme, most specific first (kern+theme, kern, theme, all)."""
    return (
        MatchFund.objects.filter(is_active=True)
        .filter(Q(kern__isnull=True) | Q(kern_id=initiative.kern_id))
        .filter(Q(theme="") | Q(theme=initiative.theme))
        .order_by(F("kern_id").desc(nulls_last=True), "-theme", "pk")
    )


def reserve_match(*, pledge: Pledge, initiative: Initiative) -> MatchReservation | None:
    """Reserve ``ratio × amount`` from the most specific fund with room, within its cap per initiative.

    Precondition: inside ``transaction.atomic`` with ``initiative`` locked; ``pledge`` is a new money pledge.
    Returns the reservation, or ``None`` when no fund has anything left for this initiative.
    """
    for fund_id in applicable_funds(initiative).values_list("pk", flat=True):
        fund = MatchFund.objects.select_for_update().get(pk=fund_id)
        if not fund.is_active or fund.balance <= 0:
            continue
        already = (MatchReservation.objects.filter(fund=fund, initiative=initiative, status__in=HELD)
                   .aggregate(total=Sum("amount"))["total"] or Decimal("0"))
        wanted = (pledge.amount * fund.ratio).quantize(CENT, rounding=ROUND_DOWN)
        amount = min(wanted, fund.cap_per_initiative - already, fund.balance)
        if amount <= 0:
            continue
        fund.balance -= amount
        fund.save(update_fields=["balance"])
        return MatchReservation.objects.create(fund=fund, initiative=initiative, pledge=pledge, amount=amount)
    return None


def return_match(*, reservation: MatchReservation) -> None:
    """Give a reserved amount back to its fund. Precondition: inside ``atomic``; idempotent per reservation."""
    locked = MatchReservation.objects.select_for_update().get(pk=reservation.pk)
    if locked.status != MatchReservation.Status.RESERVED:
        return
    fund = MatchFund.objects.select_for_update().get(pk=locked.fund_id)
    fund.balance += locked.amount
    fund.save(update_fields=["balance"])
    locked.status = MatchReservation.Status.RETURNED
    locked.settled_at = timezone.now()
    locked.save(update_fields=["status", "settled_at"])


def commit_matches(*, initiative: Initiative) -> int:
    """The goal is met: every reservation for this initiative becomes a commitment. Precondition: in ``atomic``."""
    return MatchReservation.objects.filter(initiative=initiative, status=MatchReservation.Status.RESERVED).update(
        status=MatchReservation.Status.COMMITTED, settled_at=timezone.now())


def return_matches(*, initiative: Initiative) -> int:
    """The goal is missed: give every reservation for this initiative back. Precondition: in ``atomic``."""
    reservations = list(MatchReservation.objects.filter(initiative=initiative,
                                                        status=MatchReservation.Status.RESERVED).order_by("fund_id"))
    for reservation in reservations:
        return_match(reservation=reservation)
    return len(reservations)


def _money(value, message: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        raise InitiativeError(message) from None
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(CENT):
        raise InitiativeError(message)
    return amount


def create_match_fund(*, actor, name: str, budget, ratio=Decimal("1.00"), cap_per_initiative, kern=None,
                      theme: str = "") -> MatchFund:
    """Staff open a fund; its whole budget is available at first."""
    require_perm(actor, "initiatives.manage_match_funds", None, _("Alleen medewerkers beheren matchfondsen."))
    budget = _money(budget, _("Het budget moet een positief bedrag in hele centen zijn."))
    cap = _money(cap_per_initiative, _("Het maximum per initiatief moet een positief bedrag zijn."))
    ratio = _money(ratio, _("De verhouding moet groter dan nul zijn, bijvoorbeeld 1,00."))
    if not name.strip():
        raise InitiativeError(_("Geef het fonds een naam."))
    return MatchFund.objects.create(name=name.strip(), budget=budget, balance=budget, ratio=ratio,
                                    cap_per_initiative=cap, kern=kern, theme=theme)


def add_to_budget(*, actor, fund: MatchFund, amount) -> MatchFund:
    """Staff raise a fund's budget (and so its balance) by ``amount``."""
    require_perm(actor, "initiatives.manage_match_funds", None, _("Alleen medewerkers beheren matchfondsen."))
    amount = _money(amount, _("Vul een positief bedrag in hele centen in."))
    with transaction.atomic():
        locked = MatchFund.objects.select_for_update().get(pk=fund.pk)
        locked.budget += amount
        locked.balance += amount
        locked.save(update_fields=["budget", "balance"])
    fund.refresh_from_db()
    return fund
