"""Pages of voting (public); filled in with their issue."""

urlpatterns: list = []
