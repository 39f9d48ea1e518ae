"""Permission grid for every community predicate and rule: role (the shared cast, tests/roles.py) x own
kern / other kern. Superusers appear with and without ``is_staff``: only ``is_staff`` is staff."""

import pytest

from community import rules as community_rules
from core.permissions import may
from tests import factories
from tests.roles import ADMINS, LIVES_IN_KERN, ROLES, SIGNED_IN, STAFF, fresh

pytestmark = pytest.mark.django_db

COUNCILS = {"council", "council_other_kern"}

# predicate -> (roles true for own kern, roles true for the other kern)
KERN_PREDICATE_GRID = {
    "is_council_member_of": ({"council"}, {"council_other_kern"}),
    "is_resident_of": (LIVES_IN_KERN, {"resident_other_kern", "council_other_kern"}),
    "is_verified_resident_of": ({"verified_resident", "council"}, {"council_other_kern"}),
}

ROLE_PREDICATE_GRID = {
    "is_resident": SIGNED_IN,
    "is_staff": STAFF,
    "is_admin": ADMINS,
    "is_facilitator": {"facilitator"},
    "is_council_member": COUNCILS,
}


@pytest.mark.parametrize("predicate", sorted(KERN_PREDICATE_GRID))
def test_kern_predicates(cast, kern, other_kern, predicate):
    check = getattr(community_rules, predicate)
    own, other = KERN_PREDICATE_GRID[predicate]
    assert {role for role in ROLES if check(fresh(cast[role]), kern)} == own
    assert {role for role in ROLES if check(fresh(cast[role]), other_kern)} == other


@pytest.mark.parametrize("predicate", sorted(ROLE_PREDICATE_GRID))
def test_role_predicates(cast, predicate):
    check = getattr(community_rules, predicate)
    assert {role for role in ROLES if check(fresh(cast[role]))} == ROLE_PREDICATE_GRID[predicate]


def test_inactive_users_have_no_role(kern):
    user = factories.CouncilMembershipFactory(kern=kern, user__is_active=False).user
    user.is_staff = user.is_superuser = True
    assert not community_rules.is_resident(user)
    assert not community_rules.is_staff(user)
    assert not community_rules.is_admin(user)
    assert not community_rules.is_council_member_of(user, kern)


def test_kern_predicates_accept_objects_that_belong_to_a_kern(cast, kern, other_kern):
    council = fresh(cast["council"])
    neighbour = factories.UserFactory(kern=kern)
    stranger = factories.UserFactory(kern=other_kern)
    assert community_rules.is_council_member_of(council, neighbour)
    assert not community_rules.is_council_member_of(council, stranger)
    assert not community_rules.is_council_member_of(council, None)


# perm -> (roles allowed on an object of own kern, on an object of the other kern)
PERM_GRID = {
    "community.moderate_kern": ({"council"} | STAFF, {"council_other_kern"} | STAFF),
    # object: a neighbour living in own / other kern
    "community.confirm_residency": ({"council"} | STAFF, {"council_other_kern"} | STAFF),
}

GLOBAL_PERM_GRID = {
    "community.access_staff_desk": STAFF,
    "community.view_callback_list": STAFF,
    "community.view_residents_to_confirm": COUNCILS | STAFF,
    "community.facilitate": {"facilitator"} | STAFF,
    "community.manage_site": ADMINS,
    "wagtailadmin.access_admin": STAFF | ADMINS,
}


@pytest.mark.parametrize("perm", sorted(PERM_GRID))
def test_kern_permission_grid(cast, kern, other_kern, perm):
    if perm == "community.confirm_residency":
        own_obj, other_obj = factories.UserFactory(kern=kern), factories.UserFactory(kern=other_kern)
    else:
        own_obj, other_obj = kern, other_kern
    own, other = PERM_GRID[perm]
    assert {role for role in ROLES if may(fresh(cast[role]), perm, own_obj)} == own
    assert {role for role in ROLES if may(fresh(cast[role]), perm, other_obj)} == other


@pytest.mark.parametrize("perm", sorted(GLOBAL_PERM_GRID))
def test_global_permission_grid(cast, perm):
    assert {role for role in ROLES if may(fresh(cast[role]), perm)} == GLOBAL_PERM_GRID[perm]


def test_nobody_confirms_their_own_residency(cast):
    for role in ("council", "staff", "superuser"):
        user = fresh(cast[role])
        assert not may(user, "community.confirm_residency", user), role


@pytest.mark.parametrize("role", ROLES)
def test_callback_visibility_grid(cast, role):
    """A call-back request is seen by staff and by its own requester, by nobody else."""
    own_callback = factories.CallbackRequestFactory(requester=cast[role] if role != "anonymous" else None)
    someone_elses = factories.CallbackRequestFactory()
    user = fresh(cast[role])
    assert may(user, "community.view_callbackrequest", someone_elses) is (role in STAFF)
    assert may(user, "community.handle_callbackrequest", someone_elses) is (role in STAFF)
    assert may(user, "community.view_callbackrequest", own_callback) is (role != "anonymous")


def test_residents_to_confirm_lists_what_the_rule_allows(cast, kern, other_kern):
    """The council's list of residents to confirm equals the residents the rule lets each role confirm."""
    from community.models import User
    from community.selectors import residents_to_confirm

    for role in SIGNED_IN:
        user = fresh(cast[role])
        listed = set(residents_to_confirm(user).values_list("pk", flat=True))
        waiting = User.objects.filter(is_active=True, kern__isnull=False, residency_verified_at__isnull=True)
        allowed = {person.pk for person in waiting if may(user, "community.confirm_residency", person)}
        if may(user, "community.view_residents_to_confirm"):
            assert listed == allowed, role


def test_council_memberships_are_read_once_per_user(cast, kern, other_kern, django_assert_num_queries):
    council = fresh(cast["council"])
    with django_assert_num_queries(1):
        for _ in range(20):
            community_rules.is_council_member_of(council, kern)
            community_rules.is_council_member_of(council, other_kern)
