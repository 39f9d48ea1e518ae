"""/api/v1/voting/: polls, budgets, projects and boxes as everyone may read them; results only when the rule
allows; lists in the same number of queries for 1 or 25 objects; bad query parameters refused."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.factories_voting import BallotBoxFactory, BudgetFactory, PollFactory, ProjectFactory
from tests.voting.app._public_data import budget_with_ballots, close, poll_with_ballots, published_budget
from voting.models import ProjectState, ProjectUpdate, ResultsShown
from voting.services.casting import cast_ballot

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"api:voting-{name}", args=args)


# --- polls ------------------------------------------------------------------------------------------------------

def test_a_poll_shows_its_question_options_and_box_but_no_count_while_open(client, kern):
    poll = poll_with_ballots(kern)
    found = client.get(url("poll", poll.pk))
    assert found.status_code == 200
    data = found.json()
    assert data["question"] == poll.question and [o["label"] for o in data["options"]] == [
        "Bankjes", "Bomen", "Speeltoestel"]
    assert data["box"]["kern"] == {"name": kern.name, "slug": kern.slug} and data["box"]["is_open"]
    assert data["results"] is None and data["box"]["result_url"] is None and data["box"]["seed"] is None
    assert data["box"]["viewer"] == {"may_vote": False, "may_vote_with_code": False, "voted": False,
                                     "may_view_results": False}


def test_after_the_close_the_poll_shows_its_tally(client, kern):
    poll = poll_with_ballots(kern, voters=5)
    close(poll.box)
    results = client.get(url("poll", poll.pk)).json()["results"]
    assert results["ballots"] == 5
    assert [(o["label"], o["votes"], o["share"]) for o in results["options"]] == [
        ("Bankjes", 2, 40), ("Bomen", 3, 60), ("Speeltoestel", 0, 0)]


def test_a_poll_that_shows_results_after_ones_own_vote_shows_them_to_that_voter_only(client, kern):
    poll = poll_with_ballots(kern, voters=2, results_shown=ResultsShown.AFTER_OWN_VOTE)
    me, neighbour = UserFactory(kern=kern), UserFactory(kern=kern)
    cast_ballot(actor=me, box=poll.box, choices=[poll.options_in_order[0].pk], idempotency_key="mine")
    client.force_login(me)
    mine = client.get(url("poll", poll.pk)).json()
    assert mine["results"]["ballots"] == 3 and mine["box"]["viewer"]["voted"]
    client.force_login(neighbour)
    theirs = client.get(url("poll", poll.pk)).json()
    assert theirs["results"] is None and theirs["box"]["viewer"] == {
        "may_vote": True, "may_vote_with_code": False, "voted": False, "may_view_results": False}


def test_the_poll_list_costs_the_same_queries_for_one_or_twenty_five(client, kern, django_assert_max_num_queries):
    voter = UserFactory(kern=kern)
    client.force_login(voter)
    first = poll_with_ballots(kern, voters=1, results_shown=ResultsShown.AFTER_OWN_VOTE)
    cast_ballot(actor=voter, box=first.box, choices=[first.options_in_order[0].pk], idempotency_key="v")
    with django_assert_max_num_queries(7) as one:
        assert client.get(url("polls")).json()["count"] == 1
    for n in range(24):
        poll = poll_with_ballots(kern, voters=1, results_shown=ResultsShown.AFTER_OWN_VOTE)
        if n % 2:
            cast_ballot(actor=voter, box=poll.box, choices=[poll.options_in_order[2].pk], idempotency_key=f"v{n}")
        if n % 3 == 0:
            close(poll.box)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url("polls")).json()
    assert page["count"] == 25 and len(page["results"]) == 20 and page["next"]
    assert sum(item["results"] is not None for item in page["results"]) >= 10


def test_the_poll_list_filters_by_kern_state_and_initiative(client, kern, other_kern):
    here, there = PollFactory(box=BallotBoxFactory(kern=kern)), PollFactory(box=BallotBoxFactory(kern=other_kern))
    everywhere = PollFactory(box=BallotBoxFactory(kern=None, closed=True))
    ids = lambda **query: [item["id"] for item in client.get(url("polls"), query).json()["results"]]  # noqa: E731
    assert ids(kern=kern.slug) == [here.pk] and ids(kern=other_kern.slug) == [there.pk]
    assert ids(kern="gemeente") == [everywhere.pk] and ids(kern="nergens") == []
    assert set(ids(state="open")) == {here.pk, there.pk} and ids(state="closed") == [everywhere.pk]
    assert ids(state="upcoming") == [] and ids(initiative=9999) == []


@pytest.mark.parametrize("query", [{"state": "soon"}, {"kern": ""}, {"kern": "<b>x</b>"}, {"initiative": "x"},
                                   {"initiative": 0}, {"page": 99}])
def test_bad_query_parameters_are_refused(client, kern, query):
    PollFactory(box=BallotBoxFactory(kern=kern))
    answer = client.get(url("polls"), query)
    assert answer.status_code in (400, 404)
    assert set(answer.json()) == {"detail", "code", "errors"}


def test_an_unknown_poll_or_box_answers_the_apis_404(client):
    for path in (url("poll", 999), url("box", 999), url("result", 999), url("budget", 999), url("project", 999),
                 url("projects", 999)):
        answer = client.get(path)
        assert answer.status_code == 404 and answer.json()["code"] == "not_found"


# --- budgets and projects -----------------------------------------------------------------------------------

def test_a_budget_shows_phase_format_amount_and_every_project_with_its_state(client, kern):
    budget = BudgetFactory(box=BallotBoxFactory(kern=kern), amount=25_000)
    on, off = ProjectFactory(budget=budget, cost=9_500), ProjectFactory(
        budget=budget, state=ProjectState.NOT_FEASIBLE, review_reason="Het fietspad is van de provincie.")
    data = client.get(url("budget", budget.pk)).json()
    assert (data["phase"], data["ballot_format"], data["counting_rule"], data["amount"]) == (
        "voting", "knapsack", "equal_shares", 25_000)
    assert [(p["id"], p["state"], p["on_ballot"]) for p in data["projects"]] == [
        (on.pk, "feasible", True), (off.pk, "not_feasible", False)]
    assert data["projects"][1]["review_reason"] == "Het fietspad is van de provincie."
    assert data["exports"] is None and data["box"]["result_url"] is None


def test_a_published_budget_links_its_result_and_downloads(client, kern, staff):
    budget = published_budget(kern, staff)
    data = client.get(url("budget", budget.pk)).json()
    assert data["exports"] == {"pabulib": reverse("voting:budget_pabulib", args=[budget.slug]),
                               "ballots_csv": reverse("voting:budget_ballots", args=[budget.slug]),
                               "recount": reverse("voting:recount", args=[budget.slug])}
    assert data["box"]["seed"] == budget.box.seed and data["box"]["result_url"] == url("result", budget.box.pk)


def test_the_budget_list_costs_the_same_queries_for_one_or_twenty_five(client, kern, staff,
                                                                        django_assert_max_num_queries):
    client.force_login(UserFactory(kern=kern))
    published_budget(kern, staff, voters=2)
    with django_assert_max_num_queries(5) as one:
        assert client.get(url("budgets")).json()["count"] == 1
    for n in range(24):
        budget = BudgetFactory(box=BallotBoxFactory(kern=kern, closed=bool(n % 2)))
        ProjectFactory(budget=budget)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url("budgets")).json()
    assert page["count"] == 25 and len(page["results"]) == 20


def test_the_budget_list_filters_by_phase_and_kern(client, kern, other_kern):
    voting = BudgetFactory(box=BallotBoxFactory(kern=kern))
    proposals = BudgetFactory(box=BallotBoxFactory(kern=other_kern), phase="proposals")
    ids = lambda **query: [item["id"] for item in client.get(url("budgets"), query).json()["results"]]  # noqa: E731
    assert ids(phase="voting") == [voting.pk] and ids(phase="proposals") == [proposals.pk]
    assert ids(kern=other_kern.slug) == [proposals.pk] and ids(phase="result") == []
    assert client.get(url("budgets"), {"phase": "klaar"}).status_code == 400


def test_projects_of_a_budget_are_listed_in_constant_queries(client, kern, django_assert_max_num_queries):
    budget = BudgetFactory(box=BallotBoxFactory(kern=kern))
    ProjectFactory(budget=budget)
    with django_assert_max_num_queries(3) as one:
        assert client.get(url("projects", budget.pk)).json()["count"] == 1
    ProjectFactory.create_batch(30, budget=budget)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(client.get(url("projects", budget.pk)).json()["results"]) == 20


def test_a_project_shows_its_updates_newest_first(client, kern, staff):
    budget = published_budget(kern, staff)
    ProjectUpdate.objects.create(project=budget.c, text="Besteld.", progress=20)
    ProjectUpdate.objects.create(project=budget.c, text="Geplant.", progress=80)
    data = client.get(url("project", budget.c.pk)).json()
    assert data["funded"] and [u["text"] for u in data["updates"]] == ["Geplant.", "Besteld."]


# --- boxes and results ------------------------------------------------------------------------------------

def test_a_box_says_what_the_rules_say_for_the_viewer(client, kern):
    budget = budget_with_ballots(kern, voters=3)
    client.force_login(UserFactory(kern=kern))
    data = client.get(url("box", budget.box.pk)).json()
    assert data["viewer"]["may_vote"] and not data["viewer"]["voted"]
    assert data["ballots_url"] == url("ballots", budget.box.pk) and data["result_url"] is None


def test_a_budgets_result_shows_the_published_outcome(client, kern, staff):
    budget = published_budget(kern, staff, voters=10)
    data = client.get(url("result", budget.box.pk)).json()
    assert (data["kind"], data["ballots"], data["seed"]) == ("budget", 10, budget.box.seed)
    assert data["poll"] is None and data["budget"]["selected"] == [budget.c.pk]
    rows = {row["id"]: row for row in data["budget"]["projects"]}
    assert rows[budget.c.pk]["funded"] and rows[budget.c.pk]["votes"] == 10 and rows[budget.c.pk]["position"] == 1
    assert rows[budget.a.pk]["why"] == "SupportersShort" and rows[budget.a.pk]["title"] == "Speeltuin"


def test_a_closed_polls_result_is_its_tally(client, kern):
    poll = poll_with_ballots(kern, voters=4)
    close(poll.box)
    data = client.get(url("result", poll.box.pk)).json()
    assert data["kind"] == "poll" and data["ballots"] == 4 and data["budget"] is None
    assert [o["votes"] for o in data["poll"]["options"]] == [1, 3, 0]
