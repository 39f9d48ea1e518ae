"""A knapsack ballot under fifty parallel clicks, on PostgreSQL: threads with their own connections call
``change_draft`` at once. Every click that is accepted is in the draft, and together they never cost more than
the budget (without the draft's row lock, clicks overwrite each other and more are accepted than fit)."""


import pytest
from django.db import connection

from tests.factories import UserFactory
from tests.factories_voting import BudgetFactory, ProjectFactory
from tests.services import require_service
from tests.threads import errors, in_threads
from voting.models import BallotDraft, Budget
from voting.services._common import VotingError
from voting.services.drafts import change_draft

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres():
    require_service("PostgreSQL", connection.vendor == "postgresql", "Set DATABASE_URL to a PostgreSQL database.")


def test_fifty_parallel_clicks_never_go_over_budget(kern):
    budget = BudgetFactory(box__kern=kern, amount=10_000)
    projects = [ProjectFactory(budget=budget, cost=1_000) for _ in range(50)]
    voter = UserFactory(kern=kern)
    box = Budget.objects.select_related("box__poll").get(pk=budget.pk).box

    def click(project):
        try:
            change_draft(actor=voter, box=box, key=project.pk, points=1)
            return str(project.pk)
        except VotingError as refused:
            assert refused.code == "over_budget"
            return None

    results = in_threads(click, projects, workers=25)
    assert errors(results) == []
    accepted = {key for key in results if key}
    draft = BallotDraft.objects.get(box=box)
    assert set(draft.choices) == accepted
    assert sum(1_000 for _key in accepted) <= budget.amount
    assert len(accepted) == 10  # the budget is filled exactly: nothing lost either
