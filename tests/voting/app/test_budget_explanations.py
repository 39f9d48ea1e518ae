"""The stored result put in words, per project: who paid what, whose money went elsewhere, what did not fit."""

import pytest

from tests.factories import StaffFactory
from tests.factories_voting import BallotBoxFactory, BudgetFactory, ProjectFactory
from voting.models import Ballot, BallotFormat, Budget, CountingRule
from voting.selectors import budgets as selectors
from voting.services.results import publish_result

pytestmark = pytest.mark.django_db


def counted(kern, ballots, projects, **budget):
    made = BudgetFactory(box=BallotBoxFactory(kern=kern, closed=True), **budget)
    found = {title: ProjectFactory(budget=made, title=title, cost=cost) for title, cost in projects}
    for choices in ballots:
        Ballot.objects.create(box=made.box, choices={str(found[title].pk): points for title, points in choices})
    made = Budget.objects.select_related("box__poll").get(pk=made.pk)
    publish_result(actor=StaffFactory(), box=made.box)
    made = Budget.objects.select_related("box__poll").get(pk=made.pk)
    rows = selectors.explain_result(made, made.box.result, selectors.projects_of(made))
    return {row.title: row for row in rows}


def test_money_that_went_to_another_project(kern):
    rows = counted(kern, [[("Bankjes", 1), ("Bomen", 1)]] * 2, [("Bankjes", 500), ("Bomen", 600)], amount=1_000,
                   ballot_format=BallotFormat.APPROVAL)
    assert rows["Bankjes"].funded and not rows["Bomen"].funded
    assert rows["Bankjes"].lines[0] == "2 inwoners die dit project kozen, betaalden elk €\xa0250,00."
    assert rows["Bomen"].lines == ["2 inwoners kozen dit project.",
                                   "Zij hadden samen nog €\xa0500,00 over. Het project kost €\xa0600,00.",
                                   "Een deel van hun geld ging al naar “Bankjes”."]
    assert rows["Bankjes"].paid_by_supporters == 500 and rows["Bankjes"].position == 1


def test_points_ballots_say_how_many_points(kern):
    rows = counted(kern, [[("Speeltuin", 7), ("Bomen", 3)], [("Speeltuin", 2), ("Bomen", 8)]],
                   [("Speeltuin", 400), ("Bomen", 400)], amount=1_000, ballot_format=BallotFormat.POINTS,
                   points_total=10)
    text = " ".join(rows["Speeltuin"].lines + rows["Bomen"].lines)
    assert "punten gaf, betaalde" in text and rows["Speeltuin"].points == 9


def test_greedy_lines_and_figures(kern):
    rows = counted(kern, [[("Groot", 1)], [("Groot", 1)], [("Klein", 1)], [("Klein", 1)], [("Groot", 1)]],
                   [("Groot", 900), ("Klein", 200), ("Niemand", 50)], amount=1_000, counting_rule=CountingRule.GREEDY)
    assert rows["Groot"].lines == ["3 inwoners kozen dit project.",
                                   "Het werd als nummer 1 gekozen. Daarna was er nog €\xa0100,00 over."]
    assert rows["Klein"].lines[-1].startswith("Toen het aan de beurt was, was er nog €\xa0100,00 over.")
    assert rows["Niemand"].lines == ["Niemand koos dit project."]
    figures = selectors.result_figures(Budget.objects.get(box__result__isnull=False).box.result)
    assert (figures.spent, figures.left, figures.ballots) == (900, 100, 5)
