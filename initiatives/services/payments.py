"""Collecting money through a payment provider.

``PaymentProvider`` is shaped after what a real provider such as Mollie offers: create a payment
(a reference and, for online providers, a checkout URL the pledger is sent to), learn its status (from a
webhook call, which only says "look at payment X", so the status is always fetched, never trusted from the
request), and refund. The default ``OfflineProvider`` is payment by invoice / bank transfer: the reference
goes on the invoice and staff mark the payment paid when the transfer arrives.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from initiatives.models import Payment
from initiatives.services._common import require_perm
from initiatives.services.errors import InitiativeError


@dataclass(frozen=True)
class ProviderPayment:
    reference: str
    checkout_url: str = ""


class PaymentProvider(Protocol):
    name: str

    def create_payment(self, payment: Payment) -> ProviderPayment:
        """Register the payment with the provider; must be safe to call again for the same ``payment.pk``."""

    def fetch_status(self, payment: Payment) -> str:
        """The provider's current status as one of ``Payment.Status`` values."""

    def refund(self, payment: Payment) -> None:
        """Ask the provider to pay the amount back."""


class OfflineProvider:
    """Invoice / bank transfer: the reference is the payment's description; staff confirm the transfer."""

    name = "offline"

    def create_payment(self, payment: Payment) -> ProviderPayment:
        return ProviderPayment(reference=f"SL-{payment.pk:06d}-{secrets.token_hex(3).upper()}")

    def fetch_status(self, payment: Payment) -> str:
        return payment.status  # only staff change it, through mark_payment_paid

    def refund(self, payment: Payment) -> None:
        """Staff transfer the money back by hand; nothing to call."""


PROVIDERS = {"offline": "initiatives.services.payments.OfflineProvider"}


def get_provider(name: str | None = None) -> PaymentProvider:
    name = name or getattr(settings, "INITIATIVES_PAYMENT_PROVIDER", "offline")
    providers = {**PROVIDERS, **getattr(settings, "INITIATIVES_PAYMENT_PROVIDERS", {})}
    return import_string(providers[name])()


def request_payments(*, initiative_id: int | None = None) -> int:
    """Hand every payment without a provider reference to its provider; returns how many got one.

    Runs after the deadline transaction commits, and again on any later run: only empty references are
    asked for, each in its own transaction with the row locked, so nothing is registered twice.
    """
    pending = Payment.objects.filter(reference="", status=Payment.Status.PENDING)
    if initiative_id is not None:
        pending = pending.filter(pledge__initiative_id=initiative_id)
    done = 0
    for pk in pending.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            payment = Payment.objects.select_for_update().get(pk=pk)
            if payment.reference:
                continue
            result = get_provider(payment.provider).create_payment(payment)
            payment.reference = result.reference
            payment.checkout_url = result.checkout_url
            payment.save(update_fields=["reference", "checkout_url", "updated_at"])
            done += 1
    return done


def mark_payment_paid(*, actor, payment: Payment) -> Payment:
    """Staff confirm a bank transfer. Marking a paid payment again changes nothing."""
    require_perm(actor, "initiatives.manage_payments", None, _("Alleen medewerkers verwerken betalingen."))
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if locked.status == Payment.Status.PAID:
            return locked
        if locked.status != Payment.Status.PENDING:
            raise InitiativeError(_("Deze betaling is %(status)s en kan niet meer als betaald worden gemarkeerd.")
                                  % {"status": locked.get_status_display()})
        locked.status = Payment.Status.PAID
        locked.paid_at = timezone.now()
        locked.marked_paid_by = actor
        locked.save(update_fields=["status", "paid_at", "marked_paid_by", "updated_at"])
    return locked


def sync_payment_status(*, provider_name: str, reference: str) -> Payment:
    """A provider's webhook says something changed: fetch the status from the provider and store it."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(provider=provider_name, reference=reference)
        status = get_provider(provider_name).fetch_status(payment)
        if status not in Payment.Status.values:
            raise InitiativeError(_("Onbekende betaalstatus."))
        if status != payment.status:
            payment.status = status
            if status == Payment.Status.PAID:
                payment.paid_at = timezone.now()
            payment.save(update_fields=["status", "paid_at", "updated_at"])
    return payment


def refund_payment(*, actor, payment: Payment) -> Payment:
    """Staff pay a collected amount back (e.g. the initiative could not go ahead)."""
    require_perm(actor, "initiatives.manage_payments", None, _("Alleen medewerkers verwerken betalingen."))
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if locked.status != Payment.Status.PAID:
            raise InitiativeError(_("Alleen een betaalde betaling kan worden terugbetaald."))
        get_provider(locked.provider).refund(locked)
        locked.status = Payment.Status.REFUNDED
        locked.save(update_fields=["status", "updated_at"])
    return locked
