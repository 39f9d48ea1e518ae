"""The budget page's project list is kept per page generation for everyone with the same rights: a signed-in
resident does not pay for rendering 200 projects on every visit, and a change to a project shows at once."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.factories_voting import BallotBoxFactory, BudgetFactory, ProjectFactory
from voting.models import BudgetPhase
from voting.services.budgets import propose_project, review_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(settings):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300


def test_the_list_is_kept_and_a_change_shows_at_once(client, kern, staff, kept,
                                                     django_capture_on_commit_callbacks):
    budget = BudgetFactory(box=BallotBoxFactory(kern=kern), phase=BudgetPhase.VOTING)
    project = ProjectFactory(budget=budget, title="Bankjes langs de Linge")
    client.force_login(UserFactory(kern=kern))
    url = reverse("voting:budget", args=[budget.slug])
    assert "Bankjes langs de Linge" in client.get(url).content.decode()
    type(project).objects.filter(pk=project.pk).update(title="Stilletjes veranderd")  # no service: no new generation
    assert "Bankjes langs de Linge" in client.get(url).content.decode()  # kept
    budget.phase = BudgetPhase.REVIEW
    budget.save()
    with django_capture_on_commit_callbacks(execute=True):  # a service: a new generation after its commit
        review_project(actor=staff, project=project, feasible=False, reason="Te duur voor één kern.")
    page = client.get(url).content.decode()
    assert "Te duur voor één kern." in page and "Stilletjes veranderd" in page


def test_staff_see_their_own_kept_list_with_the_review_links(client, kern, staff, kept):
    budget = BudgetFactory(box=BallotBoxFactory(kern=kern, upcoming=True), phase=BudgetPhase.REVIEW)
    project = ProjectFactory(budget=budget)
    review = reverse("voting:review_project", args=[budget.slug, project.pk])
    url = reverse("voting:budget", args=[budget.slug])
    client.force_login(UserFactory(kern=kern))
    assert review not in client.get(url).content.decode()
    client.force_login(staff)
    assert review in client.get(url).content.decode()
    client.force_login(UserFactory(kern=kern))
    assert review not in client.get(url).content.decode()


def test_a_proposer_gets_their_own_withdraw_form_not_a_kept_one(client, kern, kept,
                                                                django_capture_on_commit_callbacks):
    budget = BudgetFactory(box=BallotBoxFactory(kern=kern, upcoming=True), phase=BudgetPhase.PROPOSALS)
    proposer, neighbour = UserFactory(kern=kern), UserFactory(kern=kern)
    with django_capture_on_commit_callbacks(execute=True):
        project = propose_project(actor=proposer, budget=budget, title="Een pannaveld", summary="Voor de jeugd.",
                                  cost=500)
    withdraw = reverse("voting:withdraw_project", args=[budget.slug, project.pk])
    url = reverse("voting:budget", args=[budget.slug])
    client.force_login(neighbour)
    assert withdraw not in client.get(url).content.decode()
    client.force_login(proposer)
    assert withdraw in client.get(url).content.decode()
    client.force_login(neighbour)
    assert withdraw not in client.get(url).content.decode()
