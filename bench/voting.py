"""Voting: a village budget with 200 projects on the ballot and 2,000 ballots cast.

``prepare`` builds, for Goudriaan, an open budget in the voting phase with ``PROJECTS`` feasible projects, one
signed-in resident who has not voted (whose ballot page is measured) and ``BALLOTS`` ballots from other residents,
written with ``bulk_create`` (the bench measures reading). The budget has a fixed slug so bench/scenarios.py can
name its pages. Safe to run again: it tops up to the numbers.
"""

import datetime
import random

SLUG = "bench-kernbudget-200-projecten"
PROJECTS = 200
BALLOTS = 2_000
VOTER = "bench-stemmer@example.org"
BUDGET_PATH = f"/kernbudget/{SLUG}/"
BALLOT_PATH = f"/kernbudget/{SLUG}/stemmen/"


def prepare() -> None:
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from community.models import Kern
    from voting.models import Ballot, BallotBox, Budget, BudgetPhase, Project, ProjectState, Turnout, WhoMayVote

    users = get_user_model()
    kern = Kern.objects.get(slug="goudriaan")
    now = timezone.now()
    with transaction.atomic():
        users.objects.get_or_create(email=VOTER, defaults={"first_name": "Bench", "kern": kern})
        budget = Budget.objects.filter(slug=SLUG).select_related("box").first()
        if budget is None:
            box = BallotBox.objects.create(kern=kern, opens_at=now - datetime.timedelta(days=1),
                                           closes_at=now + datetime.timedelta(days=365),
                                           who_may_vote=WhoMayVote.RESIDENTS)
            budget = Budget.objects.create(box=box, title="Benchbudget met 200 projecten", slug=SLUG,
                                           amount=250_000, phase=BudgetPhase.VOTING)
        missing = PROJECTS - budget.projects.count()
        Project.objects.bulk_create([
            Project(budget=budget, title=f"Benchproject {n}", summary="Een project om te meten.",
                    cost=1_000 + 250 * (n % 40), state=ProjectState.FEASIBLE) for n in range(missing)])
        ids = list(budget.projects.values_list("pk", flat=True))
        missing = BALLOTS - Ballot.objects.filter(box=budget.box).count()
        if missing > 0:
            voters = users.objects.bulk_create([
                users(email=f"bench-kiezer-{budget.pk}-{n}-{random.random()}@example.org", first_name="Kiezer",  # noqa: S311
                      kern=kern) for n in range(missing)])
            Turnout.objects.bulk_create([Turnout(box=budget.box, voter=voter, channel="web") for voter in voters])
            rng = random.Random(SLUG)  # noqa: S311 - demo ballots, not a secret
            Ballot.objects.bulk_create([
                Ballot(box=budget.box, choices={str(pk): 1 for pk in rng.sample(ids, 5)}) for _ in range(missing)])
