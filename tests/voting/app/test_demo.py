"""The voting demo: every kind of vote is there, it loads twice without duplicates, its printed demo codes vote, and
the finished budget's public recount matches its published result."""

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from tests.voting.app._public_data import fresh_box
from voting import demo
from voting.models import (
    Ballot,
    BallotBox,
    Budget,
    BudgetPhase,
    CodeEvent,
    Poll,
    Project,
    ProjectState,
    ProjectUpdate,
    PublicVote,
    Turnout,
    VotingCode,
)
from voting.recounts import compare
from voting.services.casting import cast_ballot

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    from community import demo as community_demo
    from initiatives import demo as initiatives_demo

    community_demo.seed()
    initiatives_demo.seed()
    out = io.StringIO()
    demo.seed(stdout=out)
    return out.getvalue()


def counts():
    return tuple(model.objects.count() for model in (Poll, Budget, Project, BallotBox, Ballot, Turnout, VotingCode,
                                                     CodeEvent, ProjectUpdate, PublicVote))


def test_the_demo_has_every_kind_of_vote(seeded):
    market = Poll.objects.get(question=demo.MARKET_POLL)
    assert market.box.results_shown == "after_own_vote" and market.box.is_open() and market.box.kern.slug == \
        "groot-ammers"
    aed = Poll.objects.get(question=demo.AED_POLL)
    assert not aed.box.secret and aed.initiative is not None and PublicVote.objects.filter(box=aed.box).exists()
    voting = Budget.objects.get(title=demo.VOTING_BUDGET)
    assert (voting.phase, voting.amount, voting.ballot_format, voting.counting_rule) == (
        BudgetPhase.VOTING, 25_000, "knapsack", "equal_shares")
    projects = list(voting.projects.all())
    assert 6 <= len(projects) <= 8 and any(p.initiative_id for p in projects)
    [refused] = [p for p in projects if p.state == ProjectState.NOT_FEASIBLE]
    assert refused.review_reason
    letters = Budget.objects.get(title=demo.LETTER_BUDGET)
    assert letters.box.who_may_vote == "letter" and letters.box.is_open()
    finished = Budget.objects.get(title=demo.FINISHED_BUDGET)
    assert finished.phase == BudgetPhase.REALISATION and finished.box.result_published_at is not None
    assert finished.box.result["ballots"] == Ballot.objects.filter(box=finished.box).count() == 120
    carried_out = finished.projects.get(updates__isnull=False, updates__progress=75)
    assert carried_out.funded and carried_out.progress == 75 and carried_out.initiative_id


def test_the_demo_loads_twice_without_duplicates(seeded):
    before = counts()
    out = io.StringIO()
    demo.seed(stdout=out)
    assert counts() == before
    assert "0 created" in out.getvalue()


def test_the_printed_demo_codes_vote(seeded):
    codes = demo.demo_codes()
    assert len(codes) == demo.DEMO_CODE_COUNT and not any(used for _code, used in codes)
    assert codes[0][0] in seeded  # printed by seed_demo
    budget = Budget.objects.select_related("box").get(title=demo.LETTER_BUDGET)
    project = budget.projects.filter(state=ProjectState.FEASIBLE).first()
    cast = cast_ballot(actor=AnonymousUser(), box=fresh_box(budget.box), choices=[project.pk],
                       idempotency_key="demo-test", code=codes[0][0])
    assert cast.receipt
    assert demo.demo_codes()[0][1] and not demo.demo_codes()[1][1]


def test_the_demo_codes_are_predictable_and_distinct():
    one = [demo.demo_code("kernbudget-streefkerk", n) for n in range(1, 9)]
    assert one == [demo.demo_code("kernbudget-streefkerk", n) for n in range(1, 9)]
    assert len(set(one)) == 8 and all(len(code) == 26 for code in one)


def test_the_finished_budgets_recount_matches(seeded):
    finished = Budget.objects.get(title=demo.FINISHED_BUDGET)
    assert finished.slug == "kernbudget-arkel"  # as the README says
    comparison = compare(fresh_box(finished.box))
    assert comparison.same and comparison.ballots_recounted == 120
    out = io.StringIO()
    call_command("recount", finished.slug, stdout=out)
    assert "same result" in out.getvalue()


def test_the_demo_codes_command_prints_them(seeded):
    out = io.StringIO()
    call_command("demo_codes", stdout=out)
    assert all(code in out.getvalue() for code, _used in demo.demo_codes())
