"""/api/v1/voting/ routes (included by config.urls under the ``api`` namespace)."""

from django.urls import path

from voting.api import views

urlpatterns = [
    path("voting/polls/", views.PollList.as_view(), name="voting-polls"),
    path("voting/polls/<int:pk>/", views.PollDetail.as_view(), name="voting-poll"),
    path("voting/budgets/", views.BudgetList.as_view(), name="voting-budgets"),
    path("voting/budgets/<int:pk>/", views.BudgetDetail.as_view(), name="voting-budget"),
    path("voting/budgets/<int:pk>/projects/", views.ProjectList.as_view(), name="voting-projects"),
    path("voting/projects/<int:pk>/", views.ProjectDetail.as_view(), name="voting-project"),
    path("voting/boxes/<int:pk>/", views.BoxDetail.as_view(), name="voting-box"),
    path("voting/boxes/<int:pk>/ballots/", views.CastBallot.as_view(), name="voting-ballots"),
    path("voting/boxes/<int:pk>/result/", views.BoxResult.as_view(), name="voting-result"),
    path("voting/boxes/<int:pk>/receipt-check/", views.ReceiptCheck.as_view(), name="voting-receipt-check"),
]
