"""The result page: nobody sees it before staff publish it after the close; then everyone sees what was chosen,
the money, the rule in words, the seed, and per project why (who paid how much under Equal Shares)."""

import pytest
from django.db import reset_queries
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.factories_voting import BallotBoxFactory, BudgetFactory, ProjectFactory
from tests.roles import ROLES
from voting.models import Ballot, Budget, BudgetPhase, CountingRule, Project

pytestmark = pytest.mark.django_db


def client_for(cast, role) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(cast[role])
    return client


def closed_budget(kern, rule=CountingRule.EQUAL_SHARES, amount=10_000):
    budget = BudgetFactory(box=BallotBoxFactory(kern=kern, closed=True), counting_rule=rule, amount=amount)
    budget.p = [ProjectFactory(budget=budget, title=title, cost=cost) for title, cost in
                (("Speeltuin", 3_000), ("Bankjes", 9_000), ("Bomen", 500))]
    speeltuin, bankjes, _bomen = budget.p
    for choices in ([speeltuin], [speeltuin], [speeltuin], [bankjes]):
        Ballot.objects.create(box=budget.box, choices={str(project.pk): 1 for project in choices})
    return budget


def publish(cast, budget, role="staff"):
    return client_for(cast, role).post(reverse("voting:budget_publish", args=[budget.slug]))


@pytest.mark.parametrize("role", ROLES)
def test_nobody_sees_a_result_before_it_is_published(cast, kern, role):
    open_budget = BudgetFactory(box__kern=kern)
    closed = closed_budget(kern)
    client = client_for(cast, role)
    for budget in (open_budget, closed):
        assert client.get(reverse("voting:results", args=[budget.slug])).status_code == 404


@pytest.mark.parametrize("role", ["resident", "council", "superuser_not_staff", "anonymous"])
def test_only_staff_publish(cast, kern, role):
    budget = closed_budget(kern)
    response = publish(cast, budget, role)
    assert response.status_code == 302 and response["Location"] == reverse("voting:budget", args=[budget.slug])
    assert Budget.objects.get(pk=budget.pk).box.result_published_at is None


def test_an_open_box_is_not_published(cast, kern):
    budget = BudgetFactory(box__kern=kern)
    publish(cast, budget)
    assert Budget.objects.get(pk=budget.pk).box.result is None


@pytest.mark.parametrize("role", ROLES)
def test_after_publication_everyone_sees_the_explanation(cast, kern, role):
    budget = closed_budget(kern)
    response = publish(cast, budget)
    assert response["Location"] == reverse("voting:results", args=[budget.slug])
    html = client_for(cast, role).get(reverse("voting:results", args=[budget.slug])).content.decode()
    # Equal Shares: each of the 4 voters has € 2.500; the three who chose the playground pay € 1.000 each.
    assert "3 inwoners die dit project kozen, betaalden elk €\xa01.000,00." in html
    assert "Niemand koos dit project." in html  # Bomen
    assert ("Het deel van het budget van deze inwoner was €\xa02.500,00. Het project kost €\xa09.000,00: te veel."
            in html)
    assert "methode van gelijke delen" in html and Budget.objects.get(pk=budget.pk).box.seed in html
    assert "<table" in html and 'data-label="Stemmen"' in html
    assert reverse("voting:recount", args=[budget.slug]) in html
    assert "4 inwoners hebben gestemd." in html and "1 project is gekozen." in html


def test_publishing_marks_the_chosen_and_moves_the_phase(cast, kern):
    budget = closed_budget(kern)
    publish(cast, budget)
    assert Budget.objects.get(pk=budget.pk).phase == BudgetPhase.RESULT
    assert list(Project.objects.filter(funded=True).values_list("title", flat=True)) == ["Speeltuin"]
    second = publish(cast, budget)
    assert second.status_code == 302 and second["Location"] == reverse("voting:budget", args=[budget.slug])


def test_greedy_explains_what_did_not_fit(cast, kern):
    budget = closed_budget(kern, rule=CountingRule.GREEDY, amount=10_000)
    Ballot.objects.create(box=budget.box, choices={str(budget.p[1].pk): 1})
    Ballot.objects.create(box=budget.box, choices={str(budget.p[1].pk): 1})
    Ballot.objects.create(box=budget.box, choices={str(budget.p[1].pk): 1})
    publish(cast, budget)
    html = Client().get(reverse("voting:results", args=[budget.slug])).content.decode()
    assert "meeste stemmen eerst" in html
    assert "Toen het aan de beurt was, was er nog €\xa01.000,00 over. Het kost €\xa03.000,00: dat paste niet." in html


@pytest.mark.parametrize("count", [5, 100])
def test_the_results_page_needs_few_queries(cast, kern, count, django_assert_max_num_queries):
    budget = BudgetFactory(box=BallotBoxFactory(kern=kern, closed=True), amount=1_000_000)
    projects = [ProjectFactory(budget=budget, cost=1_000) for _ in range(count)]
    voters = [UserFactory(kern=kern) for _ in range(3)]
    for number, _voter in enumerate(voters):
        Ballot.objects.create(box=budget.box, choices={str(p.pk): 1 for p in projects[number::3]})
    publish(cast, budget)
    client = client_for(cast, "resident")
    client.get(reverse("voting:results", args=[budget.slug]))
    reset_queries()
    with django_assert_max_num_queries(10):
        response = client.get(reverse("voting:results", args=[budget.slug]))
    assert response.status_code == 200 and response.content.decode().count('class="card result-item') == count
