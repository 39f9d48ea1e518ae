"""Pages of voting (hall); filled in with their issue."""

urlpatterns: list = []
