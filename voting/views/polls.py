"""Pages of voting (polls); filled in with their issue."""

urlpatterns: list = []
