"""Pages of village budgets (kernbudget): proposals, the ballot (with or without an account), the result."""

from django.urls import path

from voting.views.budgets import ballot, pages, proposals, results, staff

urlpatterns = [
    path("kernbudget/", pages.budget_list, name="budgets"),
    path("kernbudget/nieuw/", staff.budget_new, name="budget_new"),
    path("kernbudget/<slug:slug>/", pages.budget_detail, name="budget"),
    path("kernbudget/<slug:slug>/wijzigen/", staff.budget_edit, name="budget_edit"),
    path("kernbudget/<slug:slug>/fase/", staff.change_phase, name="budget_phase"),
    path("kernbudget/<slug:slug>/idee/", proposals.propose_project, name="propose_project"),
    path("kernbudget/<slug:slug>/project/<int:pk>/", pages.project_detail, name="project"),
    path("kernbudget/<slug:slug>/project/<int:pk>/beoordelen/", staff.review_project, name="review_project"),
    path("kernbudget/<slug:slug>/project/<int:pk>/terugtrekken/", proposals.withdraw_project,
         name="withdraw_project"),
    path("kernbudget/<slug:slug>/project/<int:pk>/voortgang/", staff.project_update, name="project_update"),
    path("kernbudget/<slug:slug>/stemmen/", ballot.ballot, name="ballot"),
    path("kernbudget/<slug:slug>/stemmen/keuze/", ballot.ballot_choice, name="ballot_choice"),
    path("kernbudget/<slug:slug>/stemmen/controleren/", ballot.ballot_summary, name="ballot_summary"),
    path("kernbudget/<slug:slug>/stemmen/geteld/", ballot.receipt, name="receipt"),
    path("kernbudget/<slug:slug>/uitslag/", results.results, name="results"),
    path("kernbudget/<slug:slug>/uitslag/publiceren/", results.publish, name="budget_publish"),
]
