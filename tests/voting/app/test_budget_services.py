"""The budget services: each rule and limit, bad input refused with a clear message and nothing changed."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from community.models import Notification
from initiatives.models import Status
from tests import factories
from tests.factories_initiatives import InitiativeFactory
from tests.factories_voting import BallotBoxFactory, BudgetFactory, ProjectFactory
from voting.models import (
    BallotBox,
    BallotFormat,
    Budget,
    BudgetPhase,
    Project,
    ProjectState,
    ProjectUpdate,
    WhoMayVote,
)
from voting.services import budgets as services
from voting.services._common import VotingError
from voting.services.results import publish_result

pytestmark = pytest.mark.django_db


def soon(days=1):
    return timezone.now() + timedelta(days=days)


def new_budget(staff, kern=None, **extra):
    values = {"title": "Kernbudget Arkel 2026", "amount": 10_000, "opens_at": soon(10), "closes_at": soon(20),
              "kern": kern, **extra}
    return services.create_budget(actor=staff, **values)


def codes_of(error) -> set:
    error = error.value if hasattr(error, "value") else error
    found = {getattr(error, "code", None)}
    for errors in getattr(error, "error_dict", {}).values():
        found |= {item.code for item in errors}
    return found


# create_budget -------------------------------------------------------------------------------------------

def test_staff_create_a_budget_with_its_own_box(staff, kern):
    budget = new_budget(staff, kern, intro="<script>alert(1)</script>Voor het dorp", who_may_vote=WhoMayVote.LETTER)
    assert budget.phase == BudgetPhase.PROPOSALS and budget.slug == "kernbudget-arkel-2026"
    assert budget.box.kern == kern and budget.box.secret and budget.box.uses_letters
    assert budget.intro == "Voor het dorp" and budget.created_by == staff
    whole = new_budget(staff, None, title="Kernbudget Arkel 2026")
    assert whole.box.kern is None and whole.slug == "kernbudget-arkel-2026-2"


@pytest.mark.parametrize("role", ["resident", "council", "superuser_not_staff", "anonymous"])
def test_only_staff_create_budgets(cast, kern, role):
    with pytest.raises(PermissionDenied):
        new_budget(cast[role], kern)
    assert not Budget.objects.exists() and not BallotBox.objects.exists()


@pytest.mark.parametrize(("extra", "field"), [
    ({"title": ""}, "title"),
    ({"title": "x" * 121}, "title"),
    ({"title": 42}, "title"),
    ({"amount": 0}, "amount"),
    ({"amount": "veel"}, "amount"),
    ({"amount": True}, "amount"),
    ({"amount": 10**9}, "amount"),
    ({"closes_at": soon(5)}, "closes_at"),  # before it opens
    ({"opens_at": "morgen"}, "opens_at"),
    ({"who_may_vote": "everyone"}, "who_may_vote"),
    ({"ballot_format": "ranked"}, "ballot_format"),
    ({"counting_rule": "borda"}, "counting_rule"),
    ({"ballot_format": BallotFormat.POINTS}, "points_total"),  # points need a total
    ({"ballot_format": BallotFormat.APPROVAL, "min_projects": 3, "max_projects": 2}, "max_projects"),
    ({"proposals_until": (soon(30)).date()}, "proposals_until"),  # after voting opens
    ({"min_projects": 0}, "min_projects"),
])
def test_bad_settings_are_refused_and_nothing_is_made(staff, kern, extra, field):
    with pytest.raises(VotingError) as refused:
        new_budget(staff, kern, **extra)
    assert field in refused.value.error_dict
    assert not Budget.objects.exists() and not BallotBox.objects.exists()


def test_a_budget_that_closed_already_cannot_be_made(staff):
    with pytest.raises(VotingError):
        new_budget(staff, opens_at=timezone.now() - timedelta(days=3), closes_at=timezone.now() - timedelta(days=1))


def test_the_limits_of_other_formats_are_not_kept(staff):
    budget = new_budget(staff, ballot_format=BallotFormat.KNAPSACK, max_projects=3, points_total=10)
    assert budget.max_projects is None and budget.points_total is None


def test_a_reserved_address_is_never_taken(staff):
    assert new_budget(staff, title="Nieuw").slug == "nieuw-2"


# change_budget -------------------------------------------------------------------------------------------

def test_staff_change_a_budget_before_voting(staff, kern):
    budget = new_budget(staff, kern)
    services.change_budget(actor=staff, budget=budget, amount=12_000, ballot_format=BallotFormat.APPROVAL,
                           max_projects=3, title="Nieuwe <b>titel</b>")
    budget.refresh_from_db()
    assert (budget.amount, budget.ballot_format, budget.max_projects, budget.title) == (
        12_000, "approval", 3, "Nieuwe titel")


def test_the_rules_of_the_vote_are_frozen_once_voting_started(staff, kern):
    budget = BudgetFactory(box__kern=kern, phase=BudgetPhase.VOTING)
    for change in ({"amount": 5}, {"ballot_format": BallotFormat.APPROVAL}, {"counting_rule": "greedy"},
                   {"who_may_vote": WhoMayVote.SIGNED_IN}, {"opens_at": timezone.now()}):
        with pytest.raises(VotingError) as refused:
            services.change_budget(actor=staff, budget=budget, **change)
        assert "frozen" in codes_of(refused)
    services.change_budget(actor=staff, budget=budget, title="Nieuwe naam", amount=10_000)  # same amount: fine
    budget.refresh_from_db()
    assert budget.title == "Nieuwe naam" and budget.amount == 10_000 and budget.ballot_format == "knapsack"


def test_the_closing_time_is_frozen_once_the_box_closed(staff, kern):
    budget = BudgetFactory(box=BallotBoxFactory(kern=kern, closed=True), phase=BudgetPhase.VOTING)
    with pytest.raises(VotingError):
        services.change_budget(actor=staff, budget=budget, closes_at=soon(3))


def test_an_unknown_setting_is_refused(staff):
    budget = BudgetFactory(phase=BudgetPhase.PROPOSALS)
    with pytest.raises(VotingError):
        services.change_budget(actor=staff, budget=budget, slug="eigen")


def test_only_staff_change_budgets(cast, kern):
    budget = BudgetFactory(box__kern=kern, phase=BudgetPhase.PROPOSALS)
    with pytest.raises(PermissionDenied):
        services.change_budget(actor=cast["council"], budget=budget, amount=1)


# set_phase -----------------------------------------------------------------------------------------------

def test_phases_go_forward_one_at_a_time(staff, kern):
    budget = new_budget(staff, kern)
    with pytest.raises(VotingError) as skipped:
        services.set_phase(actor=staff, budget=budget, phase=BudgetPhase.VOTING)
    assert "skipped" in codes_of(skipped)
    services.set_phase(actor=staff, budget=budget, phase=BudgetPhase.REVIEW)
    with pytest.raises(VotingError) as back:
        services.set_phase(actor=staff, budget=budget, phase=BudgetPhase.PROPOSALS)
    assert "backwards" in codes_of(back)
    with pytest.raises(VotingError):
        services.set_phase(actor=staff, budget=budget, phase="done")
    budget.refresh_from_db()
    assert budget.phase == BudgetPhase.REVIEW


def test_voting_needs_two_feasible_projects_and_changes_nothing_else(staff, kern):
    budget = BudgetFactory(box__kern=kern, phase=BudgetPhase.REVIEW)
    ProjectFactory(budget=budget)
    ProjectFactory(budget=budget, state=ProjectState.NOT_FEASIBLE)
    with pytest.raises(VotingError) as refused:
        services.set_phase(actor=staff, budget=budget, phase=BudgetPhase.VOTING)
    assert "too_few_projects" in codes_of(refused)
    ProjectFactory(budget=budget)
    box_before = BallotBox.objects.values().get(pk=budget.box_id)
    services.set_phase(actor=staff, budget=budget, phase=BudgetPhase.VOTING)
    assert Budget.objects.get(pk=budget.pk).phase == BudgetPhase.VOTING
    assert BallotBox.objects.values().get(pk=budget.box_id) == box_before


def test_voting_is_left_only_after_the_box_closed(staff, kern):
    budget = BudgetFactory(box__kern=kern, phase=BudgetPhase.VOTING)
    with pytest.raises(VotingError) as refused:
        services.set_phase(actor=staff, budget=budget, phase=BudgetPhase.RESULT)
    assert "still_open" in codes_of(refused)
    BallotBox.objects.filter(pk=budget.box_id).update(closes_at=timezone.now() - timedelta(minutes=1))
    services.set_phase(actor=staff, budget=Budget.objects.get(pk=budget.pk), phase=BudgetPhase.RESULT)
    budget = Budget.objects.get(pk=budget.pk)
    with pytest.raises(VotingError) as unpublished:
        services.set_phase(actor=staff, budget=budget, phase=BudgetPhase.REALISATION)
    assert "not_published" in codes_of(unpublished)


def test_only_staff_move_phases(cast, kern):
    budget = BudgetFactory(box__kern=kern, phase=BudgetPhase.PROPOSALS)
    for role in ("resident", "council", "superuser_not_staff"):
        with pytest.raises(PermissionDenied):
            services.set_phase(actor=cast[role], budget=budget, phase=BudgetPhase.REVIEW)
    assert Budget.objects.get(pk=budget.pk).phase == BudgetPhase.PROPOSALS


# propose_project -----------------------------------------------------------------------------------------

@pytest.fixture
def open_budget(kern):
    return BudgetFactory(box__kern=kern, phase=BudgetPhase.PROPOSALS, amount=20_000)


def test_a_resident_proposes_a_project_hostile_html_stripped(resident, open_budget):
    project = services.propose_project(actor=resident, budget=open_budget, title="<b>Bankjes</b> bij de kerk",
                                       summary='<img src=x onerror="alert(1)">Om te rusten.', cost="1500")
    assert (project.title, project.summary, project.cost) == ("Bankjes bij de kerk", "Om te rusten.", 1500)
    assert project.state == ProjectState.PROPOSED and project.proposer == resident


@pytest.mark.parametrize("role", ["anonymous", "resident_other_kern", "council_other_kern"])
def test_only_residents_of_the_kern_propose(cast, open_budget, role):
    with pytest.raises(PermissionDenied):
        services.propose_project(actor=cast[role], budget=open_budget, title="Idee", summary="Iets", cost=10)
    assert not Project.objects.exists()


def test_anyone_with_a_kern_proposes_for_the_whole_municipality(cast):
    budget = BudgetFactory(box__kern=None, phase=BudgetPhase.PROPOSALS)
    services.propose_project(actor=cast["resident_other_kern"], budget=budget, title="Idee", summary="Iets", cost=10)


def test_proposing_ends_with_the_proposals_phase_or_its_date(resident, open_budget):
    Budget.objects.filter(pk=open_budget.pk).update(proposals_until=timezone.localdate() - timedelta(days=1))
    with pytest.raises(PermissionDenied):
        services.propose_project(actor=resident, budget=Budget.objects.get(pk=open_budget.pk), title="Idee",
                                 summary="Iets", cost=10)
    review = BudgetFactory(box__kern=resident.kern, phase=BudgetPhase.REVIEW)
    with pytest.raises(PermissionDenied):
        services.propose_project(actor=resident, budget=review, title="Idee", summary="Iets", cost=10)


@pytest.mark.parametrize(("values", "field"), [
    ({"title": ""}, "title"),
    ({"title": "<script></script>"}, "title"),
    ({"summary": ""}, "summary"),
    ({"summary": "x" * 2001}, "summary"),
    ({"cost": 0}, "cost"),
    ({"cost": -5}, "cost"),
    ({"cost": "duur"}, "cost"),
    ({"cost": 20_001}, "cost"),  # more than the whole budget
    ({"cost": None}, "cost"),
])
def test_bad_proposals_are_refused(resident, open_budget, values, field):
    with pytest.raises(VotingError) as refused:
        services.propose_project(actor=resident, budget=open_budget,
                                 **{"title": "Idee", "summary": "Iets", "cost": 100, **values})
    assert field in refused.value.error_dict
    assert not Project.objects.exists()


def test_a_double_submit_makes_one_project(resident, open_budget):
    services.propose_project(actor=resident, budget=open_budget, title="Bankjes", summary="Iets", cost=100)
    with pytest.raises(VotingError) as again:
        services.propose_project(actor=resident, budget=open_budget, title="bankjes", summary="Iets", cost=100)
    assert "duplicate" in codes_of(again)
    assert Project.objects.count() == 1


def test_a_resident_proposes_at_most_ten_ideas(resident, open_budget):
    for number in range(services.MAX_OPEN_IDEAS):
        services.propose_project(actor=resident, budget=open_budget, title=f"Idee {number}", summary="Iets", cost=5)
    with pytest.raises(VotingError):
        services.propose_project(actor=resident, budget=open_budget, title="Nog een", summary="Iets", cost=5)
    assert Project.objects.count() == services.MAX_OPEN_IDEAS


def test_a_project_comes_from_the_proposers_own_public_initiative(resident, open_budget, kern, other_kern):
    mine = InitiativeFactory(kern=kern, initiator=resident, status=Status.PUBLISHED)
    project = services.propose_project(actor=resident, budget=open_budget, title="Idee", summary="Iets", cost=5,
                                       initiative=mine)
    assert project.initiative == mine
    someone_elses = InitiativeFactory(kern=kern, status=Status.PUBLISHED)
    my_draft = InitiativeFactory(kern=kern, initiator=resident, status=Status.DRAFT)
    elsewhere = InitiativeFactory(kern=other_kern, initiator=resident, status=Status.PUBLISHED)
    for initiative in (someone_elses, my_draft, elsewhere, someone_elses.pk, 999_999, "1; DROP TABLE"):
        with pytest.raises(VotingError) as refused:
            services.propose_project(actor=resident, budget=open_budget, title=f"Ander {initiative}",
                                     summary="Iets", cost=5, initiative=initiative)
        assert "initiative" in refused.value.error_dict
    assert Project.objects.count() == 1


# review_project ------------------------------------------------------------------------------------------

def test_staff_review_with_a_reason_and_the_proposer_is_told(staff, resident, kern, django_capture_on_commit_callbacks):
    budget = BudgetFactory(box__kern=kern, phase=BudgetPhase.REVIEW)
    project = ProjectFactory(budget=budget, state=ProjectState.PROPOSED, proposer=resident, cost=900)
    with django_capture_on_commit_callbacks(execute=True):
        services.review_project(actor=staff, project=project, feasible=True, reason="Kan <i>zo</i>.", cost=1200)
    project.refresh_from_db()
    assert (project.state, project.cost, project.review_reason, project.reviewed_by) == (
        ProjectState.FEASIBLE, 1200, "Kan zo.", staff)
    told = Notification.objects.get(recipient=resident)
    assert told.kind == "voting.project_reviewed" and told.url.endswith(f"/project/{project.pk}/")
    with django_capture_on_commit_callbacks(execute=True):
        services.review_project(actor=staff, project=project, feasible=False, reason="Toch te duur.")
    project.refresh_from_db()
    assert project.state == ProjectState.NOT_FEASIBLE and project.cost == 1200
    assert Notification.objects.filter(recipient=resident).count() == 2


@pytest.mark.parametrize(("values", "field"), [
    ({"reason": ""}, "reason"),
    ({"reason": "<b></b>"}, "reason"),
    ({"cost": None}, "cost"),
    ({"cost": 0}, "cost"),
    ({"cost": 10_001}, "cost"),
    ({"feasible": "ja"}, "feasible"),
])
def test_bad_reviews_are_refused(staff, kern, values, field):
    budget = BudgetFactory(box__kern=kern, phase=BudgetPhase.REVIEW)
    project = ProjectFactory(budget=budget, state=ProjectState.PROPOSED, cost=900)
    with pytest.raises(VotingError) as refused:
        services.review_project(actor=staff, project=project, **{"feasible": True, "reason": "Ok", "cost": 100,
                                                                 **values})
    assert field in refused.value.error_dict
    project.refresh_from_db()
    assert project.state == ProjectState.PROPOSED and project.cost == 900


def test_no_review_once_voting_began_or_by_non_staff(cast, kern):
    voting = ProjectFactory(budget=BudgetFactory(box__kern=kern, phase=BudgetPhase.VOTING))
    with pytest.raises(PermissionDenied):
        services.review_project(actor=cast["staff"], project=voting, feasible=False, reason="Nee")
    open_one = ProjectFactory(budget=BudgetFactory(box__kern=kern, phase=BudgetPhase.REVIEW))
    for role in ("council", "resident", "superuser_not_staff"):
        with pytest.raises(PermissionDenied):
            services.review_project(actor=cast[role], project=open_one, feasible=False, reason="Nee")


def test_a_withdrawn_idea_is_not_reviewed(staff, kern):
    project = ProjectFactory(budget=BudgetFactory(box__kern=kern, phase=BudgetPhase.REVIEW),
                             state=ProjectState.WITHDRAWN)
    with pytest.raises(VotingError):
        services.review_project(actor=staff, project=project, feasible=True, reason="Ok", cost=5)


# withdraw ------------------------------------------------------------------------------------------------

def test_the_proposer_withdraws_before_voting(cast, kern):
    budget = BudgetFactory(box__kern=kern, phase=BudgetPhase.REVIEW)
    project = ProjectFactory(budget=budget, proposer=cast["initiator"])
    for role in ("resident", "staff", "superuser", "anonymous"):
        with pytest.raises(PermissionDenied):
            services.withdraw_project(actor=cast[role], project=project)
    services.withdraw_project(actor=cast["initiator"], project=project)
    assert Project.objects.get(pk=project.pk).state == ProjectState.WITHDRAWN
    with pytest.raises(PermissionDenied):
        services.withdraw_project(actor=cast["initiator"], project=Project.objects.get(pk=project.pk))


def test_no_withdrawing_once_voting_began(resident, kern):
    project = ProjectFactory(budget=BudgetFactory(box__kern=kern, phase=BudgetPhase.VOTING), proposer=resident)
    with pytest.raises(PermissionDenied):
        services.withdraw_project(actor=resident, project=project)
    assert Project.objects.get(pk=project.pk).state == ProjectState.FEASIBLE


# post_project_update -------------------------------------------------------------------------------------

@pytest.fixture
def funded(kern, resident):
    budget = BudgetFactory(box=BallotBoxFactory(kern=kern, closed=True), phase=BudgetPhase.VOTING)
    project = ProjectFactory(budget=budget, proposer=resident, cost=4_000)
    ProjectFactory(budget=budget, cost=9_000)
    from voting.models import Ballot

    Ballot.objects.create(box=budget.box, choices={str(project.pk): 1})
    publish_result(actor=factories.StaffFactory(), box=Budget.objects.select_related("box").get(pk=budget.pk).box)
    return Project.objects.get(pk=project.pk)


def test_staff_post_progress_on_a_funded_project(staff, resident, funded, django_capture_on_commit_callbacks):
    assert funded.funded
    with django_capture_on_commit_callbacks(execute=True):
        update = services.post_project_update(actor=staff, project=funded, text="De <b>bankjes</b> staan er.",
                                              progress="60")
    assert (update.text, update.progress) == ("De bankjes staan er.", 60)
    assert Project.objects.get(pk=funded.pk).progress == 60
    assert Notification.objects.filter(recipient=resident, kind="voting.project_progress").exists()


@pytest.mark.parametrize(("values", "field"), [
    ({"text": ""}, "text"), ({"progress": 101}, "progress"), ({"progress": -1}, "progress"),
    ({"progress": "half"}, "progress"),
])
def test_bad_updates_are_refused(staff, funded, values, field):
    with pytest.raises(VotingError) as refused:
        services.post_project_update(actor=staff, project=funded, **{"text": "Nieuws", "progress": 10, **values})
    assert field in refused.value.error_dict
    assert not ProjectUpdate.objects.exists()


def test_no_updates_on_projects_not_chosen_or_by_non_staff(cast, funded):
    not_chosen = Project.objects.exclude(pk=funded.pk).get()
    with pytest.raises(PermissionDenied):
        services.post_project_update(actor=cast["staff"], project=not_chosen, text="Nieuws", progress=5)
    for role in ("resident", "council", "superuser_not_staff"):
        with pytest.raises(PermissionDenied):
            services.post_project_update(actor=cast[role], project=funded, text="Nieuws", progress=5)
    assert not ProjectUpdate.objects.exists()


def test_every_service_empties_the_page_cache_after_commit(staff, resident, kern, django_capture_on_commit_callbacks):
    from core import pagecache

    budget = BudgetFactory(box__kern=kern, phase=BudgetPhase.PROPOSALS)
    before = pagecache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        services.propose_project(actor=resident, budget=budget, title="Idee", summary="Iets", cost=5)
    assert pagecache.generation() != before
