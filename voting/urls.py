"""Pages of voting: budgets and their ballots, polls, the village hall (codes, counter, paper), public checks."""

from voting.views import budgets, hall, overview, polls, public

app_name = "voting"

urlpatterns = [*overview.urlpatterns, *budgets.urlpatterns, *polls.urlpatterns, *hall.urlpatterns, *public.urlpatterns]
