"""Before the close (and for a budget, before its result is published), with ballots cast, no endpoint of the API
and no download shows a count: not to residents, councils, staff or admins (CONSUL #4771).

The votes use unusual numbers of voters (17 and 19) that no id, cost or setting in the test equals, so a count
anywhere in an answer is caught wherever it hides."""

import pytest
from django.urls import reverse

from tests.roles import ROLES, fresh
from tests.voting.app._public_data import budget_with_ballots, close, poll_with_ballots

pytestmark = pytest.mark.django_db

BUDGET_VOTERS, POLL_VOTERS = 17, 19
COUNT_KEYS = {"ballots", "votes", "share", "counts", "turnout", "points", "spent", "selected"}


def walk(value, path=""):
    """Every (path, key, value) in a JSON answer: each key of each object with its value, and each plain value."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield path, key, item
            yield from walk(item, f"{path}.{key}")
    elif isinstance(value, list):
        for item in value:
            yield from walk(item, f"{path}[]")
    else:
        yield path, None, value


def assert_no_count(data, where):
    for path, key, value in walk(data):
        assert key not in COUNT_KEYS, f"{where}: {path}.{key}"
        # A poll's ``results`` is null; a page's ``results`` is the list of objects (walked through as well).
        assert key != "results" or value is None or isinstance(value, list), f"{where}: {path}.results"
        if key is None and isinstance(value, int) and not isinstance(value, bool):
            assert value not in (BUDGET_VOTERS, POLL_VOTERS), f"{where}: {path} = {value}"


@pytest.fixture
def votes(kern):
    budget = budget_with_ballots(kern, voters=BUDGET_VOTERS)
    counted_unpublished = budget_with_ballots(kern, voters=BUDGET_VOTERS)
    close(counted_unpublished.box)
    poll = poll_with_ballots(kern, voters=POLL_VOTERS)
    after_own_vote = poll_with_ballots(kern, voters=POLL_VOTERS, results_shown="after_own_vote")
    return budget, counted_unpublished, poll, after_own_vote


@pytest.mark.parametrize("role", ROLES)
def test_no_endpoint_shows_a_count_before_the_close(client, cast, votes, role):
    budget, unpublished, poll, after_own_vote = votes
    user = fresh(cast[role])
    if user.is_authenticated:
        client.force_login(user)
    api = [reverse("api:voting-polls"), reverse("api:voting-budgets"),
           reverse("api:voting-polls") + "?state=open", reverse("api:voting-budgets") + "?phase=voting"]
    for item in (poll, after_own_vote):
        api += [reverse("api:voting-poll", args=[item.pk]), reverse("api:voting-box", args=[item.box.pk])]
    for item in (budget, unpublished):
        api += [reverse("api:voting-budget", args=[item.pk]), reverse("api:voting-projects", args=[item.pk]),
                reverse("api:voting-project", args=[item.a.pk]), reverse("api:voting-box", args=[item.box.pk])]
    for path in api:
        answer = client.get(path)
        assert answer.status_code == 200, (role, path)
        assert_no_count(answer.json(), f"{role} {path}")
    for item in (poll, after_own_vote, budget, unpublished):
        answer = client.get(reverse("api:voting-result", args=[item.box.pk]))
        assert answer.status_code == 404, (role, item)
        assert set(answer.json()) == {"detail", "code", "errors"}
    for item in (budget, unpublished):
        for name in ("budget_pabulib", "budget_ballots", "recount"):
            assert client.get(reverse(f"voting:{name}", args=[item.slug])).status_code == 404, (role, name)
    for item in (poll, after_own_vote):
        for name in ("poll_ballots", "poll_recount"):
            assert client.get(reverse(f"voting:{name}", args=[item.pk])).status_code == 404, (role, name)


def test_the_check_catches_a_count(kern):
    """The walk above finds a count however deep it is (guarding the guard)."""
    with pytest.raises(AssertionError):
        assert_no_count({"box": {"viewer": {"x": [{"y": BUDGET_VOTERS}]}}}, "test")
    with pytest.raises(AssertionError):
        assert_no_count({"results": {"a": 1}}, "test")
    with pytest.raises(AssertionError):
        assert_no_count({"box": {"turnout": 0}}, "test")
