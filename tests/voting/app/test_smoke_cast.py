import pytest

from tests.factories import UserFactory
from tests.factories_voting import BudgetFactory, ProjectFactory
from voting.models import Ballot, Turnout
from voting.services.casting import cast_ballot, receipt_counted

pytestmark = pytest.mark.django_db


def test_cast_once():
    budget = BudgetFactory()
    p1, p2 = ProjectFactory(budget=budget), ProjectFactory(budget=budget)
    voter = UserFactory(kern=budget.box.kern)
    result = cast_ballot(actor=voter, box=budget.box, choices=[p1.pk, p2.pk], idempotency_key="k1")
    assert result.receipt and receipt_counted(budget.box, result.receipt)
    assert Ballot.objects.count() == 1 and Turnout.objects.count() == 1
    again = cast_ballot(actor=voter, box=budget.box, choices=[p1.pk], idempotency_key="k1")
    assert again.replayed and Ballot.objects.count() == 1
