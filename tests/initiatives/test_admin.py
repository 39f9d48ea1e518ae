"""Admin for staff: a new match fund starts with its whole budget; payments are marked paid via the service."""

from decimal import Decimal

import pytest
from django.urls import reverse

from initiatives.models import MatchFund, Payment, Status
from tests.factories_initiatives import PledgeFactory

pytestmark = pytest.mark.django_db


def test_new_fund_balance_is_budget(client, admin_user, kern):
    client.force_login(admin_user)
    response = client.post(reverse("admin:initiatives_matchfund_add"), {
        "name": "Groenfonds", "kern": kern.pk, "theme": "groen", "budget": "2000.00", "ratio": "1.00",
        "cap_per_initiative": "400.00", "is_active": "on"})
    assert response.status_code == 302, response.content[:2000]
    fund = MatchFund.objects.get()
    assert fund.balance == fund.budget == Decimal("2000.00")


def test_mark_paid_action(client, admin_user):
    pledge = PledgeFactory(initiative__status=Status.FUNDED, status="collected")
    payment = Payment.objects.create(pledge=pledge, provider="offline", reference="SL-1", amount=pledge.amount)
    client.force_login(admin_user)
    client.post(reverse("admin:initiatives_payment_changelist"),
                {"action": "mark_paid", "_selected_action": [payment.pk]})
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID
    assert payment.marked_paid_by == admin_user
