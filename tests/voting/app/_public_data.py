"""Votes for the API, export, recount and receipt tests: open ones with ballots cast, and finished, published ones."""

from __future__ import annotations

import json
from datetime import timedelta

from django.utils import timezone

from tests.factories import UserFactory
from tests.factories_voting import BallotBoxFactory, BudgetFactory, PollFactory, ProjectFactory
from voting.models import BallotBox, CountingRule
from voting.services.casting import cast_ballot
from voting.services.results import publish_result


def fresh_box(box) -> BallotBox:
    return BallotBox.objects.select_related("poll", "budget", "kern").get(pk=box.pk)


def close(box) -> BallotBox:
    BallotBox.objects.filter(pk=box.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    return fresh_box(box)


def budget_with_ballots(kern, *, voters: int = 10, amount: int = 10_000, rule=CountingRule.EQUAL_SHARES, **box):
    """Three projects; C (€ 4,500) on every ballot, A (€ 5,500) on the first 60 %, B (€ 4,000) on the rest.
    Returns the budget with ``.a``, ``.b``, ``.c`` and ``.receipts`` (one per voter, in casting order)."""
    budget = BudgetFactory(box=BallotBoxFactory(kern=kern, **box), amount=amount, counting_rule=rule)
    a, b, c = (ProjectFactory(budget=budget, cost=cost, title=name) for cost, name in
               ((5_500, "Speeltuin"), (4_000, "Bankjes"), (4_500, "Bloembakken")))
    budget.a, budget.b, budget.c, budget.receipts = a, b, c, []
    for n in range(voters):
        choices = [c.pk, a.pk] if n < voters * 6 // 10 else [c.pk, b.pk]
        cast = cast_ballot(actor=UserFactory(kern=kern), box=fresh_box(budget.box), choices=choices,
                           idempotency_key=f"k{n}")
        budget.receipts.append(cast.receipt)
    return budget


def publish(budget_or_poll, staff):
    box = close(budget_or_poll.box)
    publish_result(actor=staff, box=box)
    budget_or_poll.refresh_from_db()
    budget_or_poll.box = fresh_box(box)
    return budget_or_poll


def published_budget(kern, staff, **kwargs):
    return publish(budget_with_ballots(kern, **kwargs), staff)


def poll_with_ballots(kern, *, voters: int = 5, **box):
    """A single-choice poll (Bankjes, Bomen, Speeltoestel): the first 3 voters choose Bomen, the rest Bankjes."""
    poll = PollFactory(box=BallotBoxFactory(kern=kern, **box))
    options = list(poll.options.order_by("order"))
    poll.receipts = []
    for n in range(voters):
        cast = cast_ballot(actor=UserFactory(kern=kern), box=fresh_box(poll.box),
                           choices=[options[1].pk if n < 3 else options[0].pk], idempotency_key=f"p{n}")
        poll.receipts.append(cast.receipt)
    poll.options_in_order = options
    return poll


def post_json(client, path, data, **headers):
    return client.post(path, json.dumps(data), content_type="application/json", headers=headers)
