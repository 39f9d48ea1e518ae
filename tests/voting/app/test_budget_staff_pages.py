"""The pages that change a budget: staff set one up, change it, move it on, check ideas and post news;
residents propose and withdraw. Each page refuses others clearly and changes nothing for them."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from initiatives.models import Status
from tests.factories_initiatives import InitiativeFactory
from tests.factories_voting import BallotBoxFactory, BudgetFactory, ProjectFactory
from tests.roles import ROLES
from voting.models import Budget, BudgetPhase, Project, ProjectState, ProjectUpdate

pytestmark = pytest.mark.django_db


def client_for(cast, role) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(cast[role])
    return client


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def budget_form(kern, **extra) -> dict:
    return {"title": "Kernbudget Arkel", "intro": "Voor het dorp", "kern": kern.pk, "amount": "15000",
            "opens_at": local(timezone.now() + timedelta(days=10)),
            "closes_at": local(timezone.now() + timedelta(days=20)), "who_may_vote": "residents",
            "ballot_format": "knapsack", "min_projects": "1", "counting_rule": "equal_shares", **extra}


@pytest.mark.parametrize("role", ROLES)
def test_making_a_budget_is_for_staff(cast, kern, role):
    client = client_for(cast, role)
    response = client.post(reverse("voting:budget_new"), budget_form(kern))
    if role in ("staff", "superuser"):
        budget = Budget.objects.get()
        assert response["Location"] == reverse("voting:budget", args=[budget.slug])
        assert budget.amount == 15_000 and budget.box.kern == kern
    else:
        assert response.status_code in (302, 403) and not Budget.objects.exists()
        if role == "anonymous":
            assert response["Location"].startswith(reverse("account_login"))
        else:
            assert "Alleen medewerkers" in response.content.decode()


def test_a_bad_budget_form_says_what_is_wrong(cast, kern):
    client = client_for(cast, "staff")
    assert client.get(reverse("voting:budget_new")).status_code == 200
    response = client.post(reverse("voting:budget_new"), budget_form(
        kern, ballot_format="points", closes_at=local(timezone.now() + timedelta(days=5))))
    html = response.content.decode()
    assert response.status_code == 400 and not Budget.objects.exists()
    assert "De stemming moet sluiten na het begin." in html


def test_once_voting_started_the_rules_cannot_be_changed_on_the_page(cast, kern):
    budget = BudgetFactory(box__kern=kern, phase=BudgetPhase.VOTING)
    client = client_for(cast, "staff")
    page = client.get(reverse("voting:budget_edit", args=[budget.slug])).content.decode()
    assert "liggen nu vast" in page and 'name="amount"' in page and "disabled" in page
    response = client.post(reverse("voting:budget_edit", args=[budget.slug]),
                           budget_form(kern, title="Nieuwe titel", amount="1"))
    assert response.status_code == 302
    budget.refresh_from_db()
    assert budget.title == "Nieuwe titel" and budget.amount == 10_000


@pytest.mark.parametrize("role", ["resident", "council", "superuser_not_staff"])
def test_others_cannot_edit_or_move_a_budget(cast, kern, role):
    budget = BudgetFactory(box__kern=kern, phase=BudgetPhase.PROPOSALS)
    client = client_for(cast, role)
    assert client.get(reverse("voting:budget_edit", args=[budget.slug])).status_code == 403
    assert client.post(reverse("voting:budget_phase", args=[budget.slug]), {"phase": "review"}).status_code == 403
    assert Budget.objects.get(pk=budget.pk).phase == BudgetPhase.PROPOSALS


def test_staff_move_the_phase_on_the_page(cast, kern):
    budget = BudgetFactory(box__kern=kern, phase=BudgetPhase.REVIEW)
    client = client_for(cast, "staff")
    response = client.post(reverse("voting:budget_phase", args=[budget.slug]), {"phase": "voting"}, follow=True)
    assert "minstens twee haalbare projecten" in response.content.decode()
    ProjectFactory(budget=budget)
    ProjectFactory(budget=budget)
    response = client.post(reverse("voting:budget_phase", args=[budget.slug]), {"phase": "voting"}, follow=True)
    assert "Het kernbudget is nu in de fase" in response.content.decode()
    assert Budget.objects.get(pk=budget.pk).phase == BudgetPhase.VOTING


def test_staff_review_an_idea_on_its_page(cast, kern):
    budget = BudgetFactory(box__kern=kern, phase=BudgetPhase.REVIEW)
    project = ProjectFactory(budget=budget, state=ProjectState.PROPOSED, proposer=cast["initiator"], cost=500)
    address = reverse("voting:review_project", args=[budget.slug, project.pk])
    for role in ("resident", "council", "initiator", "superuser_not_staff"):
        assert client_for(cast, role).post(address, {"decision": "feasible", "reason": "Ok", "cost": 1}
                                           ).status_code == 403
    client = client_for(cast, "staff")
    assert client.get(address).status_code == 200
    missing = client.post(address, {"decision": "feasible", "reason": "Prima plan.", "cost": ""})
    assert missing.status_code == 400 and "heel getal" in missing.content.decode()
    response = client.post(address, {"decision": "feasible", "reason": "Prima plan.", "cost": "650"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.state, project.cost, project.review_reason) == (ProjectState.FEASIBLE, 650, "Prima plan.")
    other = BudgetFactory(box__kern=kern, phase=BudgetPhase.REVIEW)
    assert client.get(reverse("voting:review_project", args=[other.slug, project.pk])).status_code == 404


def test_a_resident_proposes_an_idea_on_the_page(cast, kern):
    budget = BudgetFactory(box__kern=kern, phase=BudgetPhase.PROPOSALS)
    mine = InitiativeFactory(kern=kern, initiator=cast["resident"], status=Status.PUBLISHED, title="Mijn plein")
    client = client_for(cast, "resident")
    page = client.get(reverse("voting:propose_project", args=[budget.slug])).content.decode()
    assert "Mijn plein" in page
    response = client.post(reverse("voting:propose_project", args=[budget.slug]), {
        "title": "Bankjes", "summary": "<script>x</script>Om te zitten", "cost": "800", "initiative": mine.pk})
    project = Project.objects.get()
    assert response["Location"] == reverse("voting:project", args=[budget.slug, project.pk])
    assert project.summary == "Om te zitten" and project.initiative == mine
    again = client.post(reverse("voting:propose_project", args=[budget.slug]),
                        {"title": "Bankjes", "summary": "Nog eens", "cost": "800"})
    assert again.status_code == 400 and "al ingediend" in again.content.decode()
    too_much = client.post(reverse("voting:propose_project", args=[budget.slug]),
                           {"title": "Zwembad", "summary": "Groot", "cost": "99999"})
    assert too_much.status_code == 400 and Project.objects.count() == 1


@pytest.mark.parametrize("role", ["resident_other_kern", "council_other_kern"])
def test_outsiders_cannot_propose(cast, kern, role):
    budget = BudgetFactory(box__kern=kern, phase=BudgetPhase.PROPOSALS)
    response = client_for(cast, role).post(reverse("voting:propose_project", args=[budget.slug]),
                                           {"title": "Idee", "summary": "Iets", "cost": "5"})
    assert response.status_code == 403 and "alleen tijdens de ideeënfase" in response.content.decode()
    assert not Project.objects.exists()


def test_the_proposer_withdraws_on_the_page(cast, kern):
    budget = BudgetFactory(box__kern=kern, phase=BudgetPhase.PROPOSALS)
    project = ProjectFactory(budget=budget, proposer=cast["initiator"], state=ProjectState.PROPOSED)
    address = reverse("voting:withdraw_project", args=[budget.slug, project.pk])
    assert client_for(cast, "resident").post(address).status_code == 403
    assert client_for(cast, "initiator").get(address).status_code == 405
    assert client_for(cast, "initiator").post(address).status_code == 302
    assert Project.objects.get(pk=project.pk).state == ProjectState.WITHDRAWN


def test_staff_post_news_about_a_chosen_project(cast, kern):
    budget = BudgetFactory(box=BallotBoxFactory(kern=kern, closed=True), phase=BudgetPhase.RESULT)
    project = ProjectFactory(budget=budget)
    Project.objects.filter(pk=project.pk).update(funded=True)
    address = reverse("voting:project_update", args=[budget.slug, project.pk])
    assert client_for(cast, "resident").post(address, {"text": "Nieuws", "progress": "10"}).status_code == 403
    client = client_for(cast, "staff")
    assert client.post(address, {"text": "", "progress": "10"}).status_code == 400
    response = client.post(address, {"text": "Het hek staat er.", "progress": "50"}, follow=True)
    assert "Het hek staat er." in response.content.decode() and "50 procent klaar" in response.content.decode()
    assert ProjectUpdate.objects.get().progress == 50
