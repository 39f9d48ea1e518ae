"""Permission grid: every initiatives rule × role (own kern / other kern) × initiative state.

``can`` asks the rule itself (``rules.has_perm``), as the services and the API do: Django's
``user.has_perm`` lets superusers pass everything, which would hide that the domain rules (nobody
moderates their own initiative, no pledges to a draft) hold for admins too. For everyone else
``user.has_perm`` gives the same answer, checked in ``test_user_has_perm_agrees_for_non_superusers``.
"""

import datetime

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from initiatives.models import Initiative, Pledge, Status
from tests.factories import AdminFactory, CouncilMembershipFactory, StaffFactory, UserFactory
from tests.factories_initiatives import InitiativeFactory, PledgeFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "resident_own_kern", "resident_other_kern", "initiator", "co_initiator", "council_own_kern",
         "council_other_kern", "staff", "admin"]
PUBLIC = {Status.PUBLISHED, Status.FUNDING, Status.FUNDED, Status.NOT_FUNDED, Status.REALISED, Status.ARCHIVED}
OVERSEE = {"council_own_kern", "staff", "admin"}
INITIATORS = {"initiator", "co_initiator"}
SIGNED_IN = set(ROLES) - {"anonymous"}
TEAM_CLOSED = {Status.DECLINED, Status.ARCHIVED}


@pytest.fixture
def cast(kern, other_kern):
    initiator = UserFactory(kern=kern)
    co = UserFactory(kern=kern)
    return {
        "anonymous": AnonymousUser(),
        "resident_own_kern": UserFactory(kern=kern),
        "resident_other_kern": UserFactory(kern=other_kern),
        "initiator": initiator,
        "co_initiator": co,
        "council_own_kern": CouncilMembershipFactory(kern=kern).user,
        "council_other_kern": CouncilMembershipFactory(kern=other_kern).user,
        "staff": StaffFactory(),
        "admin": AdminFactory(),
    }


def can(user, perm, obj=None):
    return rules.has_perm(f"initiatives.{perm}", user, obj)


def make(cast, kern, status, **fields):
    initiative = InitiativeFactory(kern=kern, initiator=cast["initiator"], status=status, **fields)
    initiative.co_initiators.add(cast["co_initiator"])
    return Initiative.objects.get(pk=initiative.pk)


EXPECTED = {
    "view_initiative": lambda role, s: s in PUBLIC or role in INITIATORS | OVERSEE,
    "change_initiative": lambda role, s: role in INITIATORS and s in {Status.DRAFT, Status.CHANGES_REQUESTED},
    "submit_initiative": lambda role, s: role in INITIATORS and s in {Status.DRAFT, Status.CHANGES_REQUESTED},
    "view_audit_trail": lambda role, s: role in INITIATORS | OVERSEE,
    "moderate_initiative": lambda role, s: role in OVERSEE and s == Status.SUBMITTED,
    "request_reconsideration": lambda role, s: role in INITIATORS and s == Status.DECLINED,
    "start_funding": lambda role, s: role in INITIATORS | OVERSEE and s == Status.PUBLISHED,
    "realise_initiative": lambda role, s: role in INITIATORS | OVERSEE and s in {Status.PUBLISHED, Status.FUNDED},
    "archive_initiative": lambda role, s: role in OVERSEE and s in {
        Status.PUBLISHED, Status.FUNDED, Status.NOT_FUNDED, Status.REALISED, Status.DECLINED},
    "post_update": lambda role, s: role in INITIATORS and s in {
        Status.PUBLISHED, Status.FUNDING, Status.FUNDED, Status.REALISED},
    "support_initiative": lambda role, s: role in SIGNED_IN - INITIATORS and s in {
        Status.PUBLISHED, Status.FUNDING, Status.FUNDED, Status.REALISED},
    "follow_initiative": lambda role, s: role in SIGNED_IN and s in PUBLIC,
    "add_pledge": lambda role, s: role in SIGNED_IN - INITIATORS and s in {Status.PUBLISHED, Status.FUNDING},
    "invite_co_initiators": lambda role, s: role in INITIATORS and s not in TEAM_CLOSED,
    "join_initiative": lambda role, s: role in SIGNED_IN - INITIATORS and s not in TEAM_CLOSED,
    "manage_team": lambda role, s: role == "initiator" and s not in TEAM_CLOSED,
}


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("perm", sorted(EXPECTED))
def test_initiative_rule_grid(cast, kern, perm, status):
    initiative = make(cast, kern, status)
    for role in ROLES:
        user = cast[role]
        expected = EXPECTED[perm](role, status)
        assert can(user, perm, initiative) is expected, (perm, role, status)


def test_reconsideration_only_once(cast, kern):
    initiative = make(cast, kern, Status.DECLINED, reconsideration_requested=True)
    assert not can(cast["initiator"], "request_reconsideration", initiative)


def test_start_funding_needs_money_goal(cast, kern):
    initiative = make(cast, kern, Status.PUBLISHED, goal=None)
    assert not can(cast["initiator"], "start_funding", initiative)


@pytest.mark.parametrize("role,expected", [
    ("anonymous", False), ("resident_own_kern", True), ("resident_other_kern", True), ("initiator", True),
    ("council_own_kern", True), ("staff", False), ("admin", False)])
def test_create_needs_signed_in_resident_with_kern(cast, role, expected):
    assert can(cast[role], "create_initiative") is expected


def test_create_refused_without_kern(db):
    assert not can(UserFactory(kern=None), "create_initiative")


@pytest.mark.parametrize("role,expected", [
    ("anonymous", False), ("resident_own_kern", False), ("council_own_kern", True), ("council_other_kern", True),
    ("staff", True), ("admin", True)])
def test_moderation_queue_access(cast, role, expected):
    assert can(cast[role], "view_moderation_queue") is expected


@pytest.mark.parametrize("status", list(Status))
def test_cancel_pledge_grid(cast, kern, status):
    initiative = make(cast, kern, status)
    pledge = PledgeFactory(initiative=initiative, pledger=cast["resident_own_kern"])
    for role in ROLES:
        expected = role == "resident_own_kern" and status in {Status.PUBLISHED, Status.FUNDING}
        assert can(cast[role], "cancel_pledge", pledge) is expected, (role, status)


def test_cancel_pledge_refused_after_deadline_and_when_not_active(cast, kern):
    initiative = make(cast, kern, Status.FUNDING, deadline=timezone.localdate() - datetime.timedelta(days=1))
    pledger = cast["resident_own_kern"]
    assert not can(pledger, "cancel_pledge", PledgeFactory(initiative=initiative, pledger=pledger))
    open_initiative = make(cast, kern, Status.FUNDING, deadline=timezone.localdate())
    assert can(pledger, "cancel_pledge", PledgeFactory(initiative=open_initiative, pledger=pledger))
    cancelled = PledgeFactory(initiative=open_initiative, pledger=pledger, status=Pledge.Status.CANCELLED)
    assert not can(pledger, "cancel_pledge", cancelled)


@pytest.mark.parametrize("perm", ["manage_match_funds", "manage_payments"])
def test_money_admin_is_staff_only(cast, perm):
    allowed = {role for role in ROLES if can(cast[role], perm)}
    assert allowed == {"staff", "admin"}


@pytest.mark.parametrize("status", list(Status))
def test_visible_queryset_matches_view_rule(cast, kern, status):
    """Lists, API, search and map use ``visible_to``: it must agree with the view rule for every role."""
    initiative = make(cast, kern, status)
    for role in ROLES:
        user = cast[role]
        in_list = Initiative.objects.visible_to(user).filter(pk=initiative.pk).exists()
        assert in_list is can(user, "view_initiative", initiative), (role, status)


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.FUNDING])
def test_user_has_perm_agrees_for_non_superusers(cast, kern, status):
    initiative = make(cast, kern, status)
    for role in set(ROLES) - {"admin"}:
        for perm in EXPECTED:
            assert cast[role].has_perm(f"initiatives.{perm}", initiative) is can(cast[role], perm, initiative)


def test_superuser_initiator_still_cannot_moderate_own(kern):
    admin = AdminFactory(kern=kern)
    initiative = InitiativeFactory(kern=kern, initiator=admin, status=Status.SUBMITTED)
    assert not can(admin, "moderate_initiative", initiative)
