"""Permission grid for every community predicate and rule: role x own kern / other kern."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from community import rules as community_rules
from community.rules import FACILITATORS_GROUP
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "resident", "verified_resident", "council", "staff", "facilitator", "admin"]


@pytest.fixture
def cast(kern, other_kern):
    """One person per role, all (except staff/admin/anonymous) living in ``kern``."""
    facilitator = factories.UserFactory(kern=kern)
    facilitator.groups.add(Group.objects.get_or_create(name=FACILITATORS_GROUP)[0])
    return {
        "anonymous": AnonymousUser(),
        "resident": factories.UserFactory(kern=kern),
        "verified_resident": factories.VerifiedResidentFactory(kern=kern),
        "council": factories.CouncilMembershipFactory(kern=kern).user,
        "staff": factories.StaffFactory(),
        "facilitator": facilitator,
        "admin": factories.AdminFactory(),
    }


def fresh(user):
    """Predicates cache per user object (as within one request): a grid uses fresh objects per check."""
    if user.is_authenticated:
        return type(user).objects.get(pk=user.pk)
    return user


# role -> (own kern, other kern)
KERN_PREDICATE_GRID = {
    "is_council_member_of": {
        "anonymous": (False, False), "resident": (False, False), "verified_resident": (False, False),
        "council": (True, False), "staff": (False, False), "facilitator": (False, False), "admin": (False, False),
    },
    "is_resident_of": {
        "anonymous": (False, False), "resident": (True, False), "verified_resident": (True, False),
        "council": (True, False), "staff": (False, False), "facilitator": (True, False), "admin": (False, False),
    },
    "is_verified_resident_of": {
        "anonymous": (False, False), "resident": (False, False), "verified_resident": (True, False),
        "council": (True, False), "staff": (False, False), "facilitator": (False, False), "admin": (False, False),
    },
}

ROLE_PREDICATE_GRID = {
    "is_resident": {"anonymous": False, "resident": True, "verified_resident": True, "council": True,
                    "staff": True, "facilitator": True, "admin": True},
    "is_staff": {"anonymous": False, "resident": False, "verified_resident": False, "council": False,
                 "staff": True, "facilitator": False, "admin": True},
    "is_admin": {"anonymous": False, "resident": False, "verified_resident": False, "council": False,
                 "staff": False, "facilitator": False, "admin": True},
    "is_facilitator": {"anonymous": False, "resident": False, "verified_resident": False, "council": False,
                       "staff": False, "facilitator": True, "admin": False},
    "is_council_member": {"anonymous": False, "resident": False, "verified_resident": False, "council": True,
                          "staff": False, "facilitator": False, "admin": False},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("predicate", sorted(KERN_PREDICATE_GRID))
def test_kern_predicates(cast, kern, other_kern, predicate, role):
    check = getattr(community_rules, predicate)
    own, other = KERN_PREDICATE_GRID[predicate][role]
    assert check(fresh(cast[role]), kern) is own
    assert check(fresh(cast[role]), other_kern) is other


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("predicate", sorted(ROLE_PREDICATE_GRID))
def test_role_predicates(cast, predicate, role):
    assert getattr(community_rules, predicate)(fresh(cast[role])) is ROLE_PREDICATE_GRID[predicate][role]


def test_inactive_users_have_no_role(kern):
    user = factories.CouncilMembershipFactory(kern=kern, user__is_active=False).user
    user.is_staff = True
    assert not community_rules.is_resident(user)
    assert not community_rules.is_staff(user)
    assert not community_rules.is_council_member_of(user, kern)


def test_kern_predicates_accept_objects_that_belong_to_a_kern(cast, kern, other_kern):
    council = fresh(cast["council"])
    neighbour = factories.UserFactory(kern=kern)
    stranger = factories.UserFactory(kern=other_kern)
    assert community_rules.is_council_member_of(council, neighbour)
    assert not community_rules.is_council_member_of(council, stranger)
    assert not community_rules.is_council_member_of(council, None)


# perm -> role -> (on an object of own kern, on an object of other kern); None = perm without object
PERM_GRID = {
    "community.moderate_kern": {
        "anonymous": (False, False), "resident": (False, False), "verified_resident": (False, False),
        "council": (True, False), "staff": (True, True), "facilitator": (False, False), "admin": (True, True),
    },
    "community.confirm_residency": {  # object: a neighbour living in own / other kern
        "anonymous": (False, False), "resident": (False, False), "verified_resident": (False, False),
        "council": (True, False), "staff": (True, True), "facilitator": (False, False), "admin": (True, True),
    },
}

GLOBAL_PERM_GRID = {
    "community.access_staff_desk": {"staff", "admin"},
    "community.view_callback_list": {"staff", "admin"},
    "community.view_residents_to_confirm": {"council", "staff", "admin"},
    "community.facilitate": {"facilitator", "staff", "admin"},
    "community.manage_site": {"admin"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("perm", sorted(PERM_GRID))
def test_kern_permission_grid(cast, kern, other_kern, perm, role):
    if perm == "community.confirm_residency":
        own_obj, other_obj = factories.UserFactory(kern=kern), factories.UserFactory(kern=other_kern)
    else:
        own_obj, other_obj = kern, other_kern
    own, other = PERM_GRID[perm][role]
    assert fresh(cast[role]).has_perm(perm, own_obj) is own
    assert fresh(cast[role]).has_perm(perm, other_obj) is other


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("perm", sorted(GLOBAL_PERM_GRID))
def test_global_permission_grid(cast, perm, role):
    assert fresh(cast[role]).has_perm(perm) is (role in GLOBAL_PERM_GRID[perm])


def test_nobody_confirms_their_own_residency(cast):
    council = fresh(cast["council"])
    staff = fresh(cast["staff"])
    assert not council.has_perm("community.confirm_residency", council)
    assert not staff.has_perm("community.confirm_residency", staff)


@pytest.mark.parametrize("role", ROLES)
def test_callback_visibility_grid(cast, role):
    """A call-back request is seen by staff and by its own requester, by nobody else."""
    own_callback = factories.CallbackRequestFactory(requester=cast[role] if role != "anonymous" else None)
    someone_elses = factories.CallbackRequestFactory()
    user = fresh(cast[role])
    staffish = role in ("staff", "admin")
    assert user.has_perm("community.view_callbackrequest", someone_elses) is staffish
    assert user.has_perm("community.handle_callbackrequest", someone_elses) is staffish
    assert user.has_perm("community.view_callbackrequest", own_callback) is (role != "anonymous")


def test_council_memberships_are_read_once_per_user(cast, kern, other_kern, django_assert_num_queries):
    council = fresh(cast["council"])
    with django_assert_num_queries(1):
        for _ in range(20):
            community_rules.is_council_member_of(council, kern)
            community_rules.is_council_member_of(council, other_kern)
