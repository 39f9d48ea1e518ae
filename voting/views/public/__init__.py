"""Pages of voting that anyone can use to check a vote: the public recount, the downloads of a vote that is over,
and the receipt check."""

from django.urls import path

from voting.views.public import downloads, receipts, recount

urlpatterns = [
    path("kernbudget/<slug:slug>/hertelling/", recount.budget_recount, name="recount"),
    path("kernbudget/<slug:slug>/uitslag.pb", downloads.budget_pabulib, name="budget_pabulib"),
    path("kernbudget/<slug:slug>/stembiljetten.csv", downloads.budget_ballots, name="budget_ballots"),
    path("peilingen/<int:pk>/hertelling/", recount.poll_recount, name="poll_recount"),
    path("peilingen/<int:pk>/stembiljetten.csv", downloads.poll_ballots, name="poll_ballots"),
    path("stemmen/controleer/", receipts.check_receipt, name="check_receipt"),
]
