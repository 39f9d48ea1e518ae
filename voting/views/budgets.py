"""Pages of voting (budgets); filled in with their issue."""

urlpatterns: list = []
