"""Pages of polls: the list, one poll (with its ballot and, when the rule allows, its result), casting a
ballot, and setting a poll up (staff, and the council of the kern)."""

from django.urls import path

from voting.views.polls import ballot, manage, pages

urlpatterns = [
    path("peilingen/", pages.poll_list, name="polls"),
    path("peilingen/nieuw/", manage.poll_new, name="poll_new"),
    path("peilingen/<int:pk>/", pages.poll_detail, name="poll"),
    path("peilingen/<int:pk>/stemmen/", ballot.vote, name="poll_vote"),
    path("peilingen/<int:pk>/wijzigen/", manage.poll_edit, name="poll_edit"),
    path("peilingen/<int:pk>/weghalen/", manage.poll_remove, name="poll_remove"),
]
