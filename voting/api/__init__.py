"""The voting API."""

urlpatterns: list = []
