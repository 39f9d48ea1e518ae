"""Signing in: allauth's backend, loading the person with their kern in the same query.

Nearly every signed-in page shows something of the person's own kern ("Dit gebeurt er in Arkel");
fetching the kern with the person saves that query on every one of them.
"""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model


class PeopleBackend(AuthenticationBackend):
    def get_user(self, user_id):
        user = get_user_model()._default_manager.select_related("kern").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
