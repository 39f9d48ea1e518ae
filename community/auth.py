"""Signing in: allauth's backend, loading the person with what nearly every page asks of them, in one query.

Nearly every signed-in page shows something of the person's own kern ("Dit gebeurt er in Arkel") and
asks the rules what the person may do, which depends on the kernen whose council they sit on or where
they may not post. The person's kern and those sets of kern ids are fetched with the person: one query
instead of one per set on every page.
"""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery

from core.aggregates import Joined, split_ids

# attribute set on the user (read by the rules) -> a model with ``user`` and ``kern`` fields
_KERN_ID_SETS: dict[str, type] = {}


def load_kern_ids_with_person(attribute: str, model: type) -> None:
    """Have ``user.<attribute>`` hold the frozenset of kern ids of ``model``'s rows for the person (called
    from an app's ``ready``). The rule that reads it must still query when the attribute is missing: a
    user loaded another way (a test's ``force_login`` object, a WebSocket scope) has not got it."""
    _KERN_ID_SETS[attribute] = model


class PeopleBackend(AuthenticationBackend):
    def get_user(self, user_id):
        found = list(_people_with_kern_ids().filter(pk=user_id))
        user = found[0] if found else None
        if user is None or not self.user_can_authenticate(user):
            return None
        for attribute in _KERN_ID_SETS:
            setattr(user, attribute, split_ids(getattr(user, f"joined{attribute}")))
        return user


_people: list = []  # [queryset]: built once per process, on the first request, after every app registered its sets


def _people_with_kern_ids():
    """People with their kern and the joined kern ids of each registered set. Building the subqueries costs
    more than running them, and they never change once the apps are loaded, so every request filters this
    one queryset (filtering copies it; it is never evaluated itself)."""
    if not _people:
        people = get_user_model()._default_manager.select_related("kern")
        for attribute, model in _KERN_ID_SETS.items():
            ids = (model.objects.filter(user=OuterRef("pk")).order_by().values("user")
                   .annotate(ids=Joined("kern_id")).values("ids"))
            people = people.annotate(**{f"joined{attribute}": Subquery(ids)})
        _people.append(people)
    return _people[0]
