"""The one cast of roles for every permission grid (and every "list == rule" test).

Everyone except staff and admins lives in ``kern``; ``*_other_kern`` live in (or sit on the council of)
``other_kern``. ``initiator`` is the author of whatever a grid builds (initiative, comment): a grid
passes it to its factories. Superusers appear twice: with ``is_staff`` (an admin who is also staff) and
without (an admin only), because the rules treat ``is_superuser`` as "admin of the site", never as a
pass for everything (docs/decisions/0013-one-meaning-of-may.md).
"""

from django.contrib.auth.models import AnonymousUser, Group

from community.rules import FACILITATORS_GROUP
from tests import factories

ROLES = [
    "anonymous", "resident", "resident_other_kern", "verified_resident", "initiator", "council",
    "council_other_kern", "staff", "facilitator", "superuser", "superuser_not_staff",
]
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
STAFF = frozenset({"staff", "superuser"})  # is_staff: "staff sees everything" (community.rules.is_staff)
ADMINS = frozenset({"superuser", "superuser_not_staff"})  # is_superuser: community.rules.is_admin
LIVES_IN_KERN = frozenset({"resident", "verified_resident", "initiator", "council", "facilitator"})


def build_cast(kern, other_kern) -> dict:
    facilitator = factories.UserFactory(kern=kern, first_name="Fenna")
    facilitator.groups.add(Group.objects.get_or_create(name=FACILITATORS_GROUP)[0])
    return {
        "anonymous": AnonymousUser(),
        "resident": factories.UserFactory(kern=kern, first_name="Rik"),
        "resident_other_kern": factories.UserFactory(kern=other_kern, first_name="Olga"),
        "verified_resident": factories.VerifiedResidentFactory(kern=kern, first_name="Vera"),
        "initiator": factories.UserFactory(kern=kern, first_name="Iris"),
        "council": factories.CouncilMembershipFactory(kern=kern).user,
        "council_other_kern": factories.CouncilMembershipFactory(kern=other_kern).user,
        "staff": factories.StaffFactory(first_name="Sam"),
        "facilitator": facilitator,
        "superuser": factories.AdminFactory(first_name="Ada"),
        "superuser_not_staff": factories.AdminFactory(first_name="Bob", is_staff=False),
    }


def fresh(user):
    """Predicates cache per user object (as within one request): a grid asks with a fresh object."""
    if user.is_authenticated:
        return type(user).objects.get(pk=user.pk)
    return user
