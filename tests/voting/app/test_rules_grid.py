"""Permission grid for the budget, village-hall and result rules of voting/rules.py: every role of the shared
cast × own kern / other kern / the whole municipality × box state × budget phase. (Polls: test_poll_rules*.)"""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.permissions import may
from tests.factories_voting import BallotBoxFactory, BudgetFactory, ProjectFactory
from tests.roles import LIVES_IN_KERN, ROLES, SIGNED_IN, STAFF, fresh
from voting.models import BudgetPhase, WhoMayVote

pytestmark = pytest.mark.django_db

STATES = ["upcoming", "open", "closed", "published"]
PHASES = list(BudgetPhase.values)
WHERE = ["kern", "other_kern", "municipality"]
# The cast's "initiator" and "verified_resident" live in kern too; residents of other_kern live elsewhere.
LIVES_IN_OTHER_KERN = {"resident_other_kern"}


def build_budget(kern, other_kern, where: str, state: str, phase: str, who_may_vote=WhoMayVote.RESIDENTS):
    box_kern = {"kern": kern, "other_kern": other_kern, "municipality": None}[where]
    now = timezone.now()
    times = {"upcoming": (now + timedelta(days=1), now + timedelta(days=2)),
             "open": (now - timedelta(days=1), now + timedelta(days=1))}.get(
        state, (now - timedelta(days=2), now - timedelta(days=1)))
    box = BallotBoxFactory(kern=box_kern, opens_at=times[0], closes_at=times[1], who_may_vote=who_may_vote,
                           result_published_at=now if state == "published" else None)
    budget = BudgetFactory(box=box, phase=phase)
    return budget


def allowed(cast, perm, obj):
    return {role for role in ROLES if may(fresh(cast[role]), perm, obj)}


def lives_in(where):
    """Who lives where the budget is: the kern's people, or anyone with a kern for a municipal budget."""
    if where == "kern":
        return LIVES_IN_KERN | {"council"}
    if where == "other_kern":
        return LIVES_IN_OTHER_KERN | {"council_other_kern"}
    return LIVES_IN_KERN | LIVES_IN_OTHER_KERN | {"council", "council_other_kern"}


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("phase", PHASES)
def test_vote_in_a_budget(cast, kern, other_kern, where, state, phase):
    budget = build_budget(kern, other_kern, where, state, phase)
    open_for_votes = state == "open" and phase == BudgetPhase.VOTING
    # residents of the kern (by their profile); staff and admins without a kern do not vote here
    residents = {role for role in lives_in(where) if cast[role].kern_id is not None}
    assert allowed(cast, "voting.vote", budget) == (residents if open_for_votes else set())
    assert allowed(cast, "voting.vote", budget.box) == (residents if open_for_votes else set())
    assert allowed(cast, "voting.vote_with_code", budget) == set()  # not a box by letter


@pytest.mark.parametrize("state", STATES)
def test_vote_with_a_letter_code(cast, kern, other_kern, state):
    budget = build_budget(kern, other_kern, "kern", state, BudgetPhase.VOTING, WhoMayVote.LETTER)
    assert allowed(cast, "voting.vote", budget) == set()  # an account does not vote in a box by letter
    assert allowed(cast, "voting.vote_with_code", budget) == (set(ROLES) if state == "open" else set())


@pytest.mark.parametrize("state", STATES)
def test_verified_residents_only(cast, kern, other_kern, state):
    budget = build_budget(kern, other_kern, "kern", state, BudgetPhase.VOTING, WhoMayVote.VERIFIED)
    verified = {role for role in ROLES if role != "anonymous" and cast[role].kern_id == kern.pk
                and cast[role].residency_verified_at is not None}
    assert "verified_resident" in verified and "resident" not in verified
    assert allowed(cast, "voting.vote", budget) == (verified if state == "open" else set())


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("state", STATES)
def test_results_only_after_publication_for_everyone_staff_and_admins_included(cast, kern, other_kern, where,
                                                                                state):
    budget = build_budget(kern, other_kern, where, state, BudgetPhase.RESULT)
    expected = set(ROLES) if state == "published" else set()
    assert allowed(cast, "voting.view_results", budget) == expected
    assert allowed(cast, "voting.view_results", budget.box) == expected
    assert allowed(cast, "voting.download_ballots", budget) == expected
    assert allowed(cast, "voting.publish_result", budget) == (STAFF if state == "closed" else set())


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("phase", PHASES)
def test_propose_and_review_projects(cast, kern, other_kern, where, phase):
    budget = build_budget(kern, other_kern, where, "upcoming", phase)
    residents = {role for role in lives_in(where) if cast[role].kern_id is not None}
    assert allowed(cast, "voting.propose_project", budget) == (residents if phase == "proposals" else set())
    in_review = phase in ("proposals", "review")
    assert allowed(cast, "voting.review_project", budget) == (STAFF if in_review else set())
    project = ProjectFactory(budget=budget)
    assert allowed(cast, "voting.post_project_update", project) == set()  # not funded
    project.funded = True
    expected = STAFF if phase in ("result", "realisation") else set()
    assert allowed(cast, "voting.post_project_update", project) == expected


def test_proposals_close_on_their_date(cast, kern, other_kern):
    budget = build_budget(kern, other_kern, "kern", "upcoming", "proposals")
    budget.proposals_until = timezone.localdate() - timedelta(days=1)
    assert allowed(cast, "voting.propose_project", budget) == set()
    budget.proposals_until = timezone.localdate()
    assert allowed(cast, "voting.propose_project", budget) == LIVES_IN_KERN | {"council"}


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("state", STATES)
def test_the_village_hall(cast, kern, other_kern, where, state):
    budget = build_budget(kern, other_kern, where, state, BudgetPhase.VOTING, WhoMayVote.LETTER)
    closed = state in ("closed", "published")
    assert allowed(cast, "voting.manage_codes", budget) == (set() if closed else STAFF)
    assert allowed(cast, "voting.assist_at_counter", budget) == (STAFF if state == "open" else set())
    assert allowed(cast, "voting.enter_paper", budget) == (set() if state == "published" else STAFF)
    council = {"kern": {"council"}, "other_kern": {"council_other_kern"}, "municipality": set()}[where]
    assert allowed(cast, "voting.view_register", budget) == STAFF | (council if closed else set())


def test_budgets_are_set_up_by_staff(cast, kern, other_kern):
    budget = build_budget(kern, other_kern, "kern", "upcoming", "proposals")
    assert allowed(cast, "voting.create_budget", None) == STAFF
    assert allowed(cast, "voting.change_budget", budget) == STAFF
    assert SIGNED_IN >= STAFF
