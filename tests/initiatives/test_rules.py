"""Permission grid: every initiatives rule × role (the shared cast, tests/roles.py) × initiative state.

``can`` asks the rule through ``core.permissions.may``, as every door does. Superusers are in the
cast with and without ``is_staff``: ``is_superuser`` alone passes no initiative rule (an admin is not
a resident with super powers), and nobody moderates their own initiative, admins included.
"""

import datetime

import pytest
from django.utils import timezone

from core.permissions import may
from initiatives.models import Initiative, Pledge, Status
from initiatives.selectors import moderation_queue
from tests.factories import UserFactory
from tests.factories_initiatives import InitiativeFactory, PledgeFactory
from tests.roles import ROLES as CAST_ROLES
from tests.roles import STAFF, fresh

pytestmark = pytest.mark.django_db

ROLES = [*CAST_ROLES, "co_initiator"]
PUBLIC = {Status.PUBLISHED, Status.FUNDING, Status.FUNDED, Status.NOT_FUNDED, Status.REALISED, Status.ARCHIVED}
OVERSEE = {"council"} | STAFF
INITIATORS = {"initiator", "co_initiator"}
SIGNED_IN = set(ROLES) - {"anonymous"}
TEAM_CLOSED = {Status.DECLINED, Status.ARCHIVED}


@pytest.fixture
def cast(cast, kern):
    return {**cast, "co_initiator": UserFactory(kern=kern, first_name="Cor")}


def can(user, perm, obj=None):
    return may(user, f"initiatives.{perm}", obj)


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


def test_create_needs_signed_in_resident_with_kern(cast):
    allowed = {role for role in ROLES if can(cast[role], "create_initiative")}
    # staff and admins have no kern of their own in the cast
    assert allowed == SIGNED_IN - STAFF - {"superuser_not_staff"}


def test_create_refused_without_kern(db):
    assert not can(UserFactory(kern=None), "create_initiative")


def test_moderation_queue_access(cast):
    allowed = {role for role in ROLES if can(cast[role], "view_moderation_queue")}
    assert allowed == {"council", "council_other_kern"} | STAFF


@pytest.mark.parametrize("status", list(Status))
def test_cancel_pledge_grid(cast, kern, status):
    initiative = make(cast, kern, status)
    pledge = PledgeFactory(initiative=initiative, pledger=cast["resident"])
    for role in ROLES:
        expected = role == "resident" and status in {Status.PUBLISHED, Status.FUNDING}
        assert can(cast[role], "cancel_pledge", pledge) is expected, (role, status)


def test_cancel_pledge_refused_after_deadline_and_when_not_active(cast, kern):
    initiative = make(cast, kern, Status.FUNDING, deadline=timezone.localdate() - datetime.timedelta(days=1))
    pledger = cast["resident"]
    assert not can(pledger, "cancel_pledge", PledgeFactory(initiative=initiative, pledger=pledger))
    open_initiative = make(cast, kern, Status.FUNDING, deadline=timezone.localdate())
    assert can(pledger, "cancel_pledge", PledgeFactory(initiative=open_initiative, pledger=pledger))
    cancelled = PledgeFactory(initiative=open_initiative, pledger=pledger, status=Pledge.Status.CANCELLED)
    assert not can(pledger, "cancel_pledge", cancelled)


@pytest.mark.parametrize("perm", ["manage_match_funds", "manage_payments"])
def test_money_admin_is_staff_only(cast, perm):
    allowed = {role for role in ROLES if can(cast[role], perm)}
    assert allowed == STAFF


@pytest.mark.parametrize("status", list(Status))
def test_visible_queryset_matches_view_rule(cast, kern, status):
    """Lists, API, search and map use ``visible_to``: it must agree with the view rule for every role."""
    initiative = make(cast, kern, status)
    for role in ROLES:
        user = cast[role]
        in_list = Initiative.objects.visible_to(user).filter(pk=initiative.pk).exists()
        assert in_list is can(user, "view_initiative", initiative), (role, status)


@pytest.mark.parametrize("kern_of", ["kern", "other_kern"])
def test_moderation_queue_matches_moderate_rule(cast, kern, other_kern, kern_of):
    """The council's queue lists exactly what the rule lets each role moderate (staff: every kern)."""
    place = {"kern": kern, "other_kern": other_kern}[kern_of]
    initiatives = [make(cast, place, status) for status in Status]
    initiatives.append(InitiativeFactory(kern=place, initiator=cast["council"], status=Status.SUBMITTED))
    initiatives.append(InitiativeFactory(kern=place, initiator=cast["staff"], status=Status.SUBMITTED))
    for role in set(ROLES) - {"anonymous"}:
        user = fresh(cast[role])
        listed = set(moderation_queue(user=user).values_list("pk", flat=True))
        allowed = {i.pk for i in initiatives if can(user, "moderate_initiative", Initiative.objects.get(pk=i.pk))}
        assert listed == allowed, role


@pytest.mark.parametrize("role", ["superuser", "superuser_not_staff"])
def test_superuser_initiator_still_cannot_moderate_own(cast, kern, role):
    admin = cast[role]
    initiative = InitiativeFactory(kern=kern, initiator=admin, status=Status.SUBMITTED)
    assert not can(admin, "moderate_initiative", initiative)


def test_superuser_not_staff_sees_only_public(cast, kern):
    """An admin without is_staff is not staff: drafts of others stay theirs (the rule and the list agree)."""
    draft = make(cast, kern, Status.DRAFT)
    admin = cast["superuser_not_staff"]
    assert not can(admin, "view_initiative", draft)
    assert not Initiative.objects.visible_to(admin).filter(pk=draft.pk).exists()
