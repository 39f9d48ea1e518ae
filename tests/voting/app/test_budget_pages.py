"""The public budget pages (overview, budget, project) for every role: what each sees, in a fixed number of
queries whatever the number of projects, and the page cache for anonymous visitors."""

from datetime import timedelta

import pytest
from django.db import reset_queries
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from initiatives.models import Status
from tests.factories_initiatives import InitiativeFactory
from tests.factories_voting import BallotBoxFactory, BudgetFactory, ProjectFactory
from tests.roles import ROLES
from voting.models import BudgetPhase, ProjectState, ProjectUpdate, WhoMayVote

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10


def client_for(cast, role) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(cast[role])
    return client


def busy_budget(kern, count: int, phase=BudgetPhase.VOTING, **box):
    budget = BudgetFactory(box=BallotBoxFactory(kern=kern, **box), phase=phase, amount=50_000)
    for number in range(count):
        ProjectFactory(budget=budget, cost=1_000 + number, state=[ProjectState.FEASIBLE, ProjectState.PROPOSED,
                                                                  ProjectState.NOT_FEASIBLE][number % 3],
                       review_reason="Past in het plan." if number % 3 == 2 else "",
                       initiative=InitiativeFactory(kern=kern, status=Status.PUBLISHED) if number % 10 == 0 else None)
    return budget


def test_the_overview_groups_by_kern_with_the_whole_municipality_first(client, kern, other_kern):
    BudgetFactory(box__kern=kern, title="Arkel doet mee")
    BudgetFactory(box__kern=other_kern, title="Kinderdijk kiest")
    BudgetFactory(box__kern=None, title="Heel Molenlanden")
    html = client.get(reverse("voting:budgets")).content.decode()
    assert html.index("Heel Molenlanden") < html.index("Arkel doet mee") < html.index("Kinderdijk kiest")
    assert html.index("De hele gemeente") < html.index(">Arkel<")


@pytest.mark.parametrize("count", [5, 100])
@pytest.mark.parametrize("role", ["anonymous", "resident", "staff"])
def test_the_budget_page_needs_the_same_few_queries_for_5_or_100_projects(
        cast, kern, role, count, django_assert_max_num_queries, django_assert_num_queries):
    budget = busy_budget(kern, count)
    client = client_for(cast, role)
    client.get(reverse("voting:budget", args=[budget.slug]))  # the session and the visit, once
    reset_queries()  # a full query log would count nothing
    with django_assert_max_num_queries(MAX_QUERIES) as captured:
        response = client.get(reverse("voting:budget", args=[budget.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="card project-card"') == count
    if count == 100:
        measured = len(captured)
        other = busy_budget(kern, 5)
        client.get(reverse("voting:budget", args=[other.slug]))
        reset_queries()
        with django_assert_num_queries(measured):
            client.get(reverse("voting:budget", args=[other.slug]))


@pytest.mark.parametrize("count", [5, 100])
def test_the_overview_needs_few_queries(client, kern, count, django_assert_max_num_queries):
    for _number in range(count // 5):
        busy_budget(kern, 5)
    reset_queries()
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(reverse("voting:budgets")).status_code == 200


def test_the_budget_page_shows_phases_ways_in_projects_and_reasons(client, kern):
    budget = BudgetFactory(box__kern=kern, phase=BudgetPhase.PROPOSALS, intro="Geld voor het dorp.",
                           proposals_until=timezone.localdate() + timedelta(days=5))
    ProjectFactory(budget=budget, title="Bankjes", cost=7_500, state=ProjectState.NOT_FEASIBLE,
                   review_reason="De grond is niet van de gemeente.")
    ProjectFactory(budget=budget, title="Weg ermee", state=ProjectState.WITHDRAWN)
    html = client.get(reverse("voting:budget", args=[budget.slug])).content.decode()
    assert 'aria-current="step"' in html and "Ideeën indienen" in html
    assert "€\xa07.500" in html and "De grond is niet van de gemeente." in html
    assert reverse("voting:propose_project", args=[budget.slug]) in html and "Dien een idee in" in html
    assert "Weg ermee" not in html and "1 idee is teruggetrokken" in html
    assert reverse("community:contact") in html


def test_a_budget_by_letter_links_to_the_code_page(client, kern):
    budget = BudgetFactory(box__kern=kern, box__who_may_vote=WhoMayVote.LETTER)
    html = client.get(reverse("voting:budget", args=[budget.slug])).content.decode()
    assert "Stem met de code uit uw brief" in html
    assert reverse("voting:ballot", args=[budget.slug]) not in html
    try:
        code_url = reverse("voting:enter_code")
    except Exception:  # noqa: BLE001 - the code page is built elsewhere
        code_url = "/stemcode/"
    assert f'href="{code_url}"' in html


def test_an_open_budget_says_stem_nu(client, kern):
    budget = BudgetFactory(box__kern=kern)
    html = client.get(reverse("voting:budget", args=[budget.slug])).content.decode()
    assert "Stem nu" in html and reverse("voting:ballot", args=[budget.slug]) in html


@pytest.mark.parametrize("role", ROLES)
def test_staff_tools_only_for_staff(cast, kern, role):
    budget = BudgetFactory(box__kern=kern, phase=BudgetPhase.PROPOSALS)
    project = ProjectFactory(budget=budget, state=ProjectState.PROPOSED, proposer=cast["initiator"])
    html = client_for(cast, role).get(reverse("voting:budget", args=[budget.slug])).content.decode()
    is_staff = role in ("staff", "superuser")
    assert (reverse("voting:budget_edit", args=[budget.slug]) in html) is is_staff
    assert (reverse("voting:review_project", args=[budget.slug, project.pk]) in html) is is_staff
    assert ("Naar de volgende fase" in html) is is_staff
    assert (reverse("voting:withdraw_project", args=[budget.slug, project.pk]) in html) is (role == "initiator")


def test_staff_see_the_publish_button_after_the_close(cast, kern):
    budget = BudgetFactory(box=BallotBoxFactory(kern=kern, closed=True))
    for role, shown in (("staff", True), ("resident", False), ("superuser_not_staff", False), ("anonymous", False)):
        html = client_for(cast, role).get(reverse("voting:budget", args=[budget.slug])).content.decode()
        assert ("Uitslag tellen en publiceren" in html) is shown, role


def test_the_project_page(client, kern):
    budget = BudgetFactory(box__kern=kern, phase=BudgetPhase.REVIEW)
    initiative = InitiativeFactory(kern=kern, status=Status.PUBLISHED, title="Groen plein")
    project = ProjectFactory(budget=budget, title="Bomen", summary="Tien <b>bomen</b>", initiative=initiative,
                             state=ProjectState.PROPOSED)
    html = client.get(reverse("voting:project", args=[budget.slug, project.pk])).content.decode()
    assert "Bomen" in html and "Tien &lt;b&gt;bomen&lt;/b&gt;" in html and "Groen plein" in html
    other = BudgetFactory(box__kern=kern)
    assert client.get(reverse("voting:project", args=[other.slug, project.pk])).status_code == 404
    assert client.get(reverse("voting:project", args=[budget.slug, 999_999])).status_code == 404
    assert client.get(reverse("voting:budget", args=["bestaat-niet"])).status_code == 404


def test_progress_updates_of_chosen_projects_are_shown(client, kern, staff, django_assert_max_num_queries):
    budget = BudgetFactory(box=BallotBoxFactory(kern=kern, closed=True), phase=BudgetPhase.REALISATION)
    for number in range(6):
        project = ProjectFactory(budget=budget, title=f"Klaar {number}", progress=40)
        project.funded = True
        project.save()
        ProjectUpdate.objects.create(project=project, text=f"Bericht {number}", progress=40, author=staff)
    reset_queries()
    with django_assert_max_num_queries(MAX_QUERIES):
        html = client.get(reverse("voting:budget", args=[budget.slug])).content.decode()
    assert "Bericht 5" in html and "40 procent klaar" in html and "Deze projecten zijn gekozen" in html
    with django_assert_max_num_queries(MAX_QUERIES):
        html = client.get(reverse("voting:project", args=[budget.slug, project.pk])).content.decode()
    assert "Bericht 5" in html


def test_anonymous_visitors_get_the_budget_page_from_the_cache(client, kern, settings, resident,
                                                               django_capture_on_commit_callbacks):
    from voting.services.budgets import propose_project

    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    budget = BudgetFactory(box__kern=kern, phase=BudgetPhase.PROPOSALS)
    url = reverse("voting:budget", args=[budget.slug])
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        propose_project(actor=resident, budget=budget, title="Nieuw idee", summary="Iets", cost=10)
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss" and "Nieuw idee" in response.content.decode()
