"""Closing initiatives whose funding deadline has passed: funded or not funded, collect or release.

Safe to run twice and safe to kill half-way: every initiative is settled in its own transaction, with
its row locked and its status checked again under the lock (only ``funding`` is settled). A run that
dies after N initiatives has committed exactly those N; the next run does the rest. Payments are
created in the same transaction with an empty reference and handed to the provider after commit
(see ``payments.request_payments``), which retries what is still empty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formats import money
from initiatives.models import Follow, Initiative, MatchReservation, Payment, Pledge, Status
from initiatives.notification_kinds import OUTCOME
from initiatives.services import funds
from initiatives.services._common import initiators_of, lock_initiative, record_event
from initiatives.services.notifications import tell


@dataclass
class DeadlineSummary:
    funded: list[int] = field(default_factory=list)
    not_funded: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)


def due_initiative_ids(today: date) -> list[int]:
    """Initiatives still funding whose deadline day is over, oldest deadline first."""
    return list(Initiative.objects.filter(status=Status.FUNDING, deadline__lt=today)
                .order_by("deadline", "pk").values_list("pk", flat=True))


def money_raised(initiative: Initiative) -> tuple[Decimal, Decimal]:
    """(pledged, matched) for the goal: active and collected money pledges; reserved and committed matching."""
    pledged = Pledge.objects.filter(initiative=initiative, kind=Pledge.Kind.MONEY,
                                    status__in=(Pledge.Status.ACTIVE, Pledge.Status.COLLECTED)) \
        .aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    matched = MatchReservation.objects.filter(initiative=initiative, status__in=funds.HELD) \
        .aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    return pledged, matched


def settle_initiative(*, initiative_id: int, today: date) -> str | None:
    """Settle one initiative in its own transaction; returns the new status, or ``None`` when nothing was due."""
    with transaction.atomic():
        locked = lock_initiative(initiative_id)
        if locked.status != Status.FUNDING or locked.deadline is None or locked.deadline >= today:
            return None
        pledged, matched = money_raised(locked)
        now = timezone.now()
        if pledged + matched >= locked.goal:
            new_status = Status.FUNDED
            money_pledges = list(Pledge.objects.filter(initiative=locked, status=Pledge.Status.ACTIVE,
                                                       kind=Pledge.Kind.MONEY))
            provider = getattr(settings, "INITIATIVES_PAYMENT_PROVIDER", "offline")
            Payment.objects.bulk_create([Payment(pledge=p, provider=provider, amount=p.amount) for p in money_pledges],
                                        ignore_conflicts=True)
            Pledge.objects.filter(initiative=locked, status=Pledge.Status.ACTIVE).update(
                status=Pledge.Status.COLLECTED, settled_at=now)
            funds.commit_matches(initiative=locked)
            variant = "funded"
        else:
            new_status = Status.NOT_FUNDED
            Pledge.objects.filter(initiative=locked, status=Pledge.Status.ACTIVE).update(
                status=Pledge.Status.RELEASED, settled_at=now)
            funds.return_matches(initiative=locked)
            variant = "not_funded"
        reason = _("Opgehaald %(pledged)s + %(matched)s matching van %(goal)s.") % {
            "pledged": money(pledged), "matched": money(matched), "goal": money(locked.goal)}
        record_event(initiative=locked, actor=None, action="deadline", from_status=locked.status,
                     to_status=new_status, reason=reason)
        locked.status = new_status
        locked.closed_at = now
        locked.save(update_fields=["status", "closed_at", "updated_at"])
        pledgers = {p.pledger for p in Pledge.objects.filter(initiative=locked).select_related("pledger")}
        followers = [follow.user for follow in Follow.objects.filter(initiative=locked).select_related("user")]
        tell(kind=OUTCOME, recipients=[*initiators_of(locked), *pledgers, *followers], initiative=locked,
             params={"variant": variant}, body=reason, event_key=f"outcome:{locked.pk}")
        if new_status == Status.FUNDED:
            from initiatives.tasks import request_initiative_payments

            transaction.on_commit(lambda: request_initiative_payments.enqueue(initiative_id=locked.pk))
    return new_status


def process_deadlines(*, today: date | None = None,
                      after_each: Callable[[int, str | None], None] | None = None) -> DeadlineSummary:
    """Settle every initiative whose deadline has passed. ``after_each(pk, status)`` runs after each commit."""
    today = today or timezone.localdate()
    summary = DeadlineSummary()
    for pk in due_initiative_ids(today):
        status = settle_initiative(initiative_id=pk, today=today)
        {Status.FUNDED: summary.funded, Status.NOT_FUNDED: summary.not_funded}.get(status, summary.skipped).append(pk)
        if after_each is not None:
            after_each(pk, status)
    return summary
