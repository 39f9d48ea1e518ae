"""A file that is not a Pabulib file we can count, and META we cannot write, are refused with a ValueError that
says what is wrong. One case per guard of voting/counting/pabulib.py."""

from fractions import Fraction

import pytest

from tests.voting.instances import META
from voting.counting import Approval, Ballot, Election, Project, read_pabulib, write_pabulib

GOOD = """META
key;value
budget;500
vote_type;approval
PROJECTS
project_id;cost;name
a;300;Speeltuin
b;200;Bankjes
VOTES
voter_id;vote
1;a,b
2;b
"""

CUMULATIVE = """META
key;value
budget;500
vote_type;cumulative
max_sum_points;5
PROJECTS
project_id;cost
a;300
b;200
VOTES
voter_id;vote;points
1;a,b;3,2
"""


def test_the_good_files_are_read():
    assert len(read_pabulib(GOOD).election.ballots) == 2
    assert read_pabulib(CUMULATIVE).election.ballots[0].points == {"a": 3, "b": 2}
    assert read_pabulib(GOOD.replace("budget;500", "budget;500,5")).election.budget == Fraction(1001, 2)


@pytest.mark.parametrize(("text", "message"), [
    (GOOD.replace("META\n", "", 1), "starts with its META section"),
    (GOOD + "VOTES\nvoter_id;vote\n3;a\n", "two VOTES sections"),
    (GOOD.split("VOTES")[0], "no VOTES section"),
    (GOOD.replace("budget;500\n", ""), "META has no 'budget'"),
    (GOOD.replace("vote_type;approval\n", ""), "META has no 'vote_type'"),
    (GOOD.replace("vote_type;approval", "vote_type;ordinal"), "not 'ordinal'"),
    (GOOD.replace("a;300;Speeltuin", "a;300;Speeltuin;extra"), "PROJECTS row 1 has more cells"),
    (GOOD.replace("project_id;cost;name", "project_id;price;name"), "needs a project_id and a cost"),
    (GOOD.replace("a;300;", "a;drie honderd;"), "not a number"),
    (GOOD.replace("a;300;", "a;1/0;"), "not a number"),
    (GOOD.replace("vote_type;approval", "vote_type;approval\nmax_length;1.5"), "whole number"),
    (GOOD.replace("2;b", "2;b,c"), "not on the ballot"),
    (CUMULATIVE.replace("max_sum_points;5\n", ""), "needs max_sum_points"),
    (CUMULATIVE.replace("1;a,b;3,2", "1;a,b;3"), "each project chosen once, with its points"),
    (CUMULATIVE.replace("1;a,b;3,2", "1;a,a;3,2"), "each project chosen once, with its points"),
    (CUMULATIVE.replace("1;a,b;3,2", "1;a,b;4,2"), "spreads 6 points; only 5"),
])
def test_a_bad_file_is_refused(text, message):
    with pytest.raises(ValueError, match=message):
        read_pabulib(text)


def test_writing_needs_the_required_meta():
    election = read_pabulib(GOOD).election

    with pytest.raises(ValueError, match=r"requires the META fields \['date_end'\]"):
        write_pabulib(election, meta={key: value for key, value in META.items() if key != "date_end"})


def test_writing_refuses_meta_it_counts_itself():
    election = read_pabulib(GOOD).election

    with pytest.raises(ValueError, match=r"\['num_votes'\] are not descriptive"):
        write_pabulib(election, meta={**META, "num_votes": "3"})


def test_an_amount_without_a_decimal_notation_cannot_be_written():
    election = Election((Project("a", Fraction(1, 3)),), 1, Approval(None), (Ballot.approving(["a"]),))

    assert "a;0.25;" in write_pabulib(Election((Project("a", Fraction(1, 4)),), 1, Approval(None)), meta=META)
    with pytest.raises(ValueError, match="no exact decimal notation"):
        write_pabulib(election, meta=META)
