"""Municipal match funds: reserve as money pledges arrive, return when a pledge is cancelled or the goal missed.

Never below zero, whatever the concurrency: the fund row is locked (``select_for_update``) before its
balance is read, the new balance is computed as an exact ``Decimal`` while the lock is held and written
back (not as ``F("balance") - amount``: SQLite does that arithmetic in floating point, and 1.00 - 0.79 - 0.21
would come out a hair below zero), and the database's CHECK constraint refuses a negative balance as the last
line of defence. Callers already hold the
initiative's lock, and always lock initiative before fund, so two pledges cannot deadlock. A pledge locks
at most the one fund it draws from (plus, rarely, a candidate that turned out drained under its lock).
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from initiatives.models import Initiative, MatchFund, MatchReservation, Pledge
from initiatives.services._common import require_perm
from initiatives.services.errors import InitiativeError

CENT = Decimal("0.01")
MONEY = DecimalField(max_digits=12, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY)
DEFAULT_CAP_PER_PERSON = Decimal("250.00")
HELD = (MatchReservation.Status.RESERVED, MatchReservation.Status.COMMITTED)


def applicable_funds(initiative: Initiative):
    """Active funds for this initiative's kern and theme, most specific first (kern+theme, kern, theme, all)."""
    return (
        MatchFund.objects.filter(is_active=True)
        .filter(Q(kern__isnull=True) | Q(kern_id=initiative.kern_id))
        .filter(Q(theme="") | Q(theme=initiative.theme))
        .order_by(F("kern_id").desc(nulls_last=True), "-theme", "pk")
    )


def _held_sum(queryset):
    return Coalesce(Subquery(queryset.values("fund").annotate(total=Sum("amount")).values("total")[:1],
                             output_field=MONEY), ZERO)


def held_by(*, initiative: Initiative, fund_id: int, pledger_id: int | None = None) -> Decimal:
    """Matching this fund holds (reserved or committed) for ``initiative``, or for one person's pledges to it."""
    held = MatchReservation.objects.filter(fund_id=fund_id, initiative=initiative, status__in=HELD)
    if pledger_id is not None:
        held = held.filter(pledge__pledger_id=pledger_id)
    return held.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


def candidate_funds(*, initiative: Initiative, pledger_id: int) -> list[int]:
    """Ids of the applicable funds that still have room for this person on this initiative, best first.

    One query, no locks: drained funds, funds whose cap for this initiative or for this person is used up
    are left out before anything is locked, so a pledge costs the same with 3 funds or with 300.
    """
    held = MatchReservation.objects.filter(fund=OuterRef("pk"), initiative=initiative, status__in=HELD)
    return list(
        applicable_funds(initiative).filter(balance__gt=0)
        .annotate(held_initiative=_held_sum(held),
                  held_person=_held_sum(held.filter(pledge__pledger_id=pledger_id)))
        .filter(cap_per_initiative__gt=F("held_initiative"), cap_per_person__gt=F("held_person"))
        .values_list("pk", flat=True)
    )


def match_need(*, initiative: Initiative) -> Decimal:
    """What the goal still needs after the active and collected money pledges (incl. a new one) and held matching.

    Precondition: ``initiative`` is locked, so no other pledge changes these totals meanwhile.
    """
    if not initiative.goal:
        return Decimal("0.00")
    pledged = Pledge.objects.filter(initiative=initiative, kind=Pledge.Kind.MONEY,
                                    status__in=(Pledge.Status.ACTIVE, Pledge.Status.COLLECTED)) \
        .aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    matched = MatchReservation.objects.filter(initiative=initiative, status__in=HELD) \
        .aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    return max(Decimal("0.00"), initiative.goal - pledged - matched)


def reserve_match(*, pledge: Pledge, initiative: Initiative) -> MatchReservation | None:
    """Reserve matching for a new money pledge from the most specific fund with room (docs/decisions/0012):

    ``min(ratio × amount, fund balance, cap per initiative − held for it, cap per person − held for this
    person on it, what the goal still needs)``. Only the fund that is used is locked; a candidate found to
    be used up under its lock (a parallel pledge to another initiative drained it) falls through to the next.

    Precondition: inside ``transaction.atomic`` with ``initiative`` locked (so the totals of this initiative
    cannot move); ``pledge`` is a new, saved money pledge. Returns the reservation, or ``None`` when there
    is nothing to match (no fund with room, or the goal is already met).
    """
    need = match_need(initiative=initiative)
    if need <= 0:
        return None
    for fund_id in candidate_funds(initiative=initiative, pledger_id=pledge.pledger_id):
        fund = MatchFund.objects.select_for_update().get(pk=fund_id)
        if not fund.is_active or fund.balance <= 0:
            continue
        wanted = (pledge.amount * fund.ratio).quantize(CENT, rounding=ROUND_DOWN)
        amount = min(wanted, fund.balance, need,
                     fund.cap_per_initiative - held_by(initiative=initiative, fund_id=fund.pk),
                     fund.cap_per_person - held_by(initiative=initiative, fund_id=fund.pk,
                                                   pledger_id=pledge.pledger_id))
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


def create_match_fund(*, actor, name: str, budget, ratio=Decimal("1.00"), cap_per_initiative, cap_per_person=None,
                      kern=None, theme: str = "", is_active: bool = True) -> MatchFund:
    """Staff open a fund; its whole budget is available at first. ``cap_per_person`` defaults to
    € 250 or the cap per initiative, whichever is lower."""
    require_perm(actor, "initiatives.manage_match_funds", None, _("Alleen medewerkers beheren matchfondsen."))
    budget = _money(budget, _("Het budget moet een positief bedrag in hele centen zijn."))
    cap = _money(cap_per_initiative, _("Het maximum per initiatief moet een positief bedrag zijn."))
    per_person = min(cap, DEFAULT_CAP_PER_PERSON) if cap_per_person in (None, "") else _money(
        cap_per_person, _("Het maximum per persoon moet een positief bedrag zijn."))
    ratio = _money(ratio, _("De verhouding moet groter dan nul zijn, bijvoorbeeld 1,00."))
    if not name.strip():
        raise InitiativeError(_("Geef het fonds een naam."))
    return MatchFund.objects.create(name=name.strip(), budget=budget, balance=budget, ratio=ratio,
                                    cap_per_initiative=cap, cap_per_person=per_person, kern=kern, theme=theme,
                                    is_active=is_active)


def update_match_fund(*, actor, fund: MatchFund, name: str | None = None, is_active: bool | None = None,
                      cap_per_initiative=None, cap_per_person=None) -> MatchFund:
    """Staff rename, pause or resume a fund, or change its caps. Budget and balance move only through
    ``add_to_budget`` and reservations; lowering a cap never takes back what is already reserved."""
    require_perm(actor, "initiatives.manage_match_funds", None, _("Alleen medewerkers beheren matchfondsen."))
    changes = {}
    if name is not None:
        if not name.strip():
            raise InitiativeError(_("Geef het fonds een naam."))
        changes["name"] = name.strip()
    if is_active is not None:
        changes["is_active"] = bool(is_active)
    if cap_per_initiative is not None:
        changes["cap_per_initiative"] = _money(cap_per_initiative,
                                               _("Het maximum per initiatief moet een positief bedrag zijn."))
    if cap_per_person is not None:
        changes["cap_per_person"] = _money(cap_per_person, _("Het maximum per persoon moet een positief bedrag zijn."))
    with transaction.atomic():
        locked = MatchFund.objects.select_for_update().get(pk=fund.pk)
        for field, value in changes.items():
            setattr(locked, field, value)
        if changes:
            locked.save(update_fields=list(changes))
    fund.refresh_from_db()
    return fund


def fund_figures(queryset=None):
    """Funds annotated with ``reserved``, ``committed`` and ``returned`` (sums of reservations) and ``left``
    (the balance): one query for any number of funds. Books: left + reserved + committed == budget."""
    queryset = MatchFund.objects.all() if queryset is None else queryset
    reservations = MatchReservation.objects.filter(fund=OuterRef("pk"))
    return queryset.annotate(
        reserved=_held_sum(reservations.filter(status=MatchReservation.Status.RESERVED)),
        committed=_held_sum(reservations.filter(status=MatchReservation.Status.COMMITTED)),
        returned=_held_sum(reservations.filter(status=MatchReservation.Status.RETURNED)),
    )


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
