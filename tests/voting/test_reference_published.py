"""On every published Pabulib instance kept in pabulib/, greedy and Equal Shares (plain, add1, add1 then
greedy) fund exactly the projects pabutools 1.2.3 funds, with the same tie-break (see reference.py for
the pabutools calls). Where the file records what the city funded by the rule we implement, we fund
that too."""

import pytest

from tests.voting.instances import PUBLISHED, SEED
from tests.voting.reference import reference_for_file
from voting.counting import Completion, Method, NoVotes, count, read_pabulib_file

RULES = [("greedy", Completion.NONE), ("equal_shares", Completion.NONE), ("equal_shares", Completion.ADD1),
         ("equal_shares", Completion.ADD1_GREEDY)]


@pytest.fixture(scope="module")
def files():
    return {path: read_pabulib_file(path) for path in PUBLISHED}


def test_the_published_instances_are_there():
    assert len(PUBLISHED) >= 5


@pytest.mark.parametrize("path", PUBLISHED, ids=lambda path: path.stem[:40])
@pytest.mark.parametrize(("method", "completion"), RULES, ids=lambda rule: str(rule))
def test_we_fund_what_pabutools_funds(files, path, method, completion):
    election = files[path].election
    # Precondition for comparing at all: pabutools' greedy would fund a project nobody voted for, we never do.
    assert not any(isinstance(item, NoVotes) for item in count(election, method=Method.GREEDY, seed=SEED).explanations)

    outcome = count(election, method=Method(method), completion=completion, seed=SEED)

    assert set(outcome.selected) == reference_for_file(path, method, completion, SEED)
    assert outcome.spent <= election.budget


@pytest.mark.parametrize(("name", "method", "completion"), [
    ("Netherlands_Assen_2024", Method.EQUAL_SHARES, Completion.ADD1),  # rule equalshares/add1
    ("Poland_Swiecie_2023", Method.EQUAL_SHARES, Completion.ADD1),  # rule equalshares/add1
    ("Poland_Czestochowa_2024_Srodmiescie", Method.GREEDY, Completion.NONE),  # rule greedy, points ballots
])
def test_we_fund_what_the_city_funded(files, name, method, completion):
    published = files[next(path for path in PUBLISHED if path.stem == name)]

    outcome = count(published.election, method=method, completion=completion, seed=SEED)

    assert published.selected
    assert set(outcome.selected) == published.selected
