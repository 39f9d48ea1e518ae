"""Money, time and materials: pledges, municipal match funds and payments.

Money is ``Decimal(10, 2)`` everywhere, summed by the database; the database itself refuses a negative
pledge or a fund below zero (CHECK constraints), so a bug in Python cannot overdraw anything.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from initiatives.models.initiative import Theme


class Pledge(models.Model):
    """A commitment: money is collected only when the goal is reached by the deadline, released otherwise."""

    class Kind(models.TextChoices):
        MONEY = "money", _("geld")
        TIME = "time", _("tijd")
        MATERIALS = "materials", _("materialen")

    class Status(models.TextChoices):
        ACTIVE = "active", _("toegezegd")
        CANCELLED = "cancelled", _("ingetrokken")
        COLLECTED = "collected", _("geïnd")
        RELEASED = "released", _("vrijgegeven")

    initiative = models.ForeignKey("initiatives.Initiative", on_delete=models.PROTECT, related_name="pledges")
    pledger = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pledges")
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(_("bedrag (euro)"), max_digits=10, decimal_places=2, null=True, blank=True)
    hours = models.PositiveIntegerField(_("uren"), null=True, blank=True)
    materials = models.TextField(_("materialen"), blank=True)
    message = models.CharField(_("bericht"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    idempotency_key = models.CharField(max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("toezegging")
        verbose_name_plural = _("toezeggingen")
        indexes = [models.Index(fields=["initiative", "status", "kind"], name="pledge_initiative_status")]
        constraints = [
            models.UniqueConstraint(fields=["pledger", "idempotency_key"], name="unique_pledge_idempotency_key"),
            models.CheckConstraint(
                # NULL > 0 is not false in SQL, so "is not null" is spelled out.
                condition=(Q(kind="money", amount__isnull=False, amount__gt=0, hours__isnull=True)
                           | Q(kind="time", hours__isnull=False, hours__gt=0, amount__isnull=True)
                           | (Q(kind="materials", amount__isnull=True, hours__isnull=True) & ~Q(materials=""))),
                name="pledge_kind_matches_value",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount or self.hours or ''} → {self.initiative_id}"


class MatchFund(models.Model):
    """A municipal budget that adds to what residents pledge, per kern and/or theme (both empty: all).

Matching is per person (docs/decisions/0012): one person's pledges to one initiative draw at most
``cap_per_person`` from this fund, one initiative at most ``cap_per_initiative``, and never more than the
goal still needs.

    ``balance`` is what is left to reserve; it only changes inside ``initiatives.services.funds`` with the
    row locked, and the database refuses it below zero or above the budget.
    """

    name = models.CharField(_("naam"), max_length=120)
    kern = models.ForeignKey("community.Kern", verbose_name=_("kern"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="match_funds")
    theme = models.CharField(_("thema"), max_length=20, choices=Theme.choices, blank=True)
    budget = models.DecimalField(_("budget (euro)"), max_digits=12, decimal_places=2)
    balance = models.DecimalField(_("nog beschikbaar (euro)"), max_digits=12, decimal_places=2)
    ratio = models.DecimalField(_("verhouding"), max_digits=5, decimal_places=2, default=1,
                                help_text=_("Euro van de gemeente per gedoneerde euro, bijv. 1,00."))
    cap_per_initiative = models.DecimalField(_("maximum per initiatief (euro)"), max_digits=10, decimal_places=2)
    cap_per_person = models.DecimalField(
        _("maximum per persoon (euro)"), max_digits=10, decimal_places=2, default=Decimal("250.00"),
        help_text=_("Hoeveel matching één persoon bij één initiatief hoogstens oplevert, bijv. 250,00."))
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("matchfonds")
        verbose_name_plural = _("matchfondsen")
        constraints = [
            models.CheckConstraint(condition=Q(balance__gte=0), name="match_fund_balance_not_negative"),
            models.CheckConstraint(condition=Q(balance__lte=models.F("budget")),
                                   name="match_fund_balance_within_budget"),
            models.CheckConstraint(condition=Q(ratio__gt=0), name="match_fund_ratio_positive"),
            models.CheckConstraint(condition=Q(cap_per_initiative__gt=0), name="match_fund_cap_positive"),
            models.CheckConstraint(condition=Q(cap_per_person__gt=0), name="match_fund_cap_per_person_positive"),
        ]

    def __str__(self):
        return self.name


class MatchReservation(models.Model):
    """The part of a fund set aside for one money pledge: committed when the goal is met, returned otherwise."""

    class Status(models.TextChoices):
        RESERVED = "reserved", _("gereserveerd")
        COMMITTED = "committed", _("toegekend")
        RETURNED = "returned", _("teruggegeven")

    fund = models.ForeignKey(MatchFund, on_delete=models.PROTECT, related_name="reservations")
    initiative = models.ForeignKey("initiatives.Initiative", on_delete=models.PROTECT,
                                   related_name="match_reservations")
    pledge = models.OneToOneField(Pledge, on_delete=models.PROTECT, related_name="match_reservation")
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RESERVED)
    created_at = models.DateTimeField(auto_now_add=True)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("matchreservering")
        verbose_name_plural = _("matchreserveringen")
        indexes = [models.Index(fields=["initiative", "status"], name="match_res_initiative_status")]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="match_reservation_positive")]

    def __str__(self):
        return f"€ {self.amount} uit {self.fund_id} voor {self.initiative_id} ({self.status})"


class Payment(models.Model):
    """Collecting one money pledge through a payment provider (see ``initiatives.services.payments``).

    Created in the deadline transaction with an empty ``reference``; the provider is asked after commit,
    so a provider outage never blocks or undoes the deadline decision, and a re-run retries what is empty.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("wacht op betaling")
        PAID = "paid", _("betaald")
        FAILED = "failed", _("mislukt")
        REFUNDED = "refunded", _("terugbetaald")

    pledge = models.OneToOneField(Pledge, on_delete=models.PROTECT, related_name="payment")
    provider = models.CharField(max_length=40)
    reference = models.CharField(max_length=120, blank=True)
    checkout_url = models.URLField(max_length=500, blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    marked_paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")

    class Meta:
        verbose_name = _("betaling")
        verbose_name_plural = _("betalingen")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.UniqueConstraint(fields=["provider", "reference"], condition=~Q(reference=""),
                                    name="unique_payment_reference"),
        ]

    def __str__(self):
        return self.reference or f"betaling {self.pk}"
