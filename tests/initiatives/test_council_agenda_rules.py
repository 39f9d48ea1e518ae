"""Permission grid for the council's agenda rules: the shared cast (tests/roles.py) × own kern / other kern ×
agenda state, superusers with and without staff, and the lists that must agree with the rules."""

import pytest
from django.utils import timezone

from core.permissions import may
from initiatives.models import AgendaOutcome, CouncilAgendaItem, Initiative, Status
from initiatives.selectors import council_agenda, thresholds_for
from tests.factories import UserFactory
from tests.factories_initiatives import InitiativeFactory
from tests.roles import ROLES as CAST_ROLES
from tests.roles import STAFF, fresh

pytestmark = pytest.mark.django_db

ROLES = [*CAST_ROLES, "co_initiator"]
COUNCIL_OF = {"kern": "council", "other_kern": "council_other_kern"}
AGENDA_STATES = ["none", "pending", "scheduled", "decided"]


@pytest.fixture
def cast(cast, kern):
    return {**cast, "co_initiator": UserFactory(kern=kern, first_name="Cor")}


def on_agenda(initiative, state):
    """``initiative`` in agenda ``state``, read again as a page reads it."""
    if state != "none":
        decided = state == "decided"
        CouncilAgendaItem.objects.create(
            initiative=initiative, reached_at=timezone.now(), supporters_at_reach=10,
            meeting_date=timezone.localdate() if state in ("scheduled", "decided") else None,
            outcome=AgendaOutcome.ADOPTED if decided else AgendaOutcome.PENDING,
            outcome_text="Aangenomen." if decided else "", decided_at=timezone.now() if decided else None)
    return Initiative.objects.select_related("council_agenda").get(pk=initiative.pk)


def make(cast, place, state, status=Status.PUBLISHED, initiator=None):
    initiative = InitiativeFactory(kern=place, initiator=initiator or cast["initiator"], status=status)
    initiative.co_initiators.add(cast["co_initiator"])
    return on_agenda(initiative, state)


@pytest.mark.parametrize("kern_of", ["kern", "other_kern"])
def test_set_support_threshold_grid(cast, kern, other_kern, kern_of):
    place = {"kern": kern, "other_kern": other_kern}[kern_of]
    for role in ROLES:
        expected = role in STAFF or role == COUNCIL_OF[kern_of]
        assert may(fresh(cast[role]), "initiatives.set_support_threshold", place) is expected, (role, kern_of)


@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.ARCHIVED])
@pytest.mark.parametrize("state", AGENDA_STATES)
@pytest.mark.parametrize("kern_of", ["kern", "other_kern"])
def test_handle_agenda_item_grid(cast, kern, other_kern, kern_of, state, status):
    place = {"kern": kern, "other_kern": other_kern}[kern_of]
    initiative = make(cast, place, state, status)
    for role in ROLES:
        expected = (role in STAFF or role == COUNCIL_OF[kern_of]) and state in ("pending", "scheduled")
        assert may(fresh(cast[role]), "initiatives.handle_agenda_item", initiative) is expected, (role, kern_of,
                                                                                                  state)


@pytest.mark.parametrize("role", ["council", "staff", "superuser"])
def test_nobody_handles_their_own_initiative_not_even_staff(cast, kern, role):
    own = make(cast, kern, "pending", initiator=cast[role])
    assert not may(fresh(cast[role]), "initiatives.handle_agenda_item", own)
    teammate = make(cast, kern, "pending")
    teammate.co_initiators.add(cast[role])
    assert not may(fresh(cast[role]), "initiatives.handle_agenda_item", Initiative.objects.get(pk=teammate.pk))


@pytest.mark.parametrize("kern_of", ["kern", "other_kern"])
def test_the_council_agenda_lists_exactly_what_the_rule_lets_each_role_handle(cast, kern, other_kern, kern_of):
    place = {"kern": kern, "other_kern": other_kern}[kern_of]
    initiatives = [make(cast, place, state) for state in AGENDA_STATES]
    initiatives += [make(cast, place, "pending", initiator=cast[role]) for role in ("council", "staff")]
    for role in set(ROLES) - {"anonymous"}:
        user = fresh(cast[role])
        listed = set(council_agenda(user=user).values_list("initiative_id", flat=True))
        allowed = {i.pk for i in initiatives
                   if may(user, "initiatives.handle_agenda_item", Initiative.objects.get(pk=i.pk))}
        assert listed == allowed, role


def test_the_threshold_list_holds_exactly_the_kernen_the_rule_allows(cast, kern, other_kern):
    for role in set(ROLES) - {"anonymous"}:
        user = fresh(cast[role])
        listed = set(thresholds_for(user=user))
        assert listed == {place for place in (kern, other_kern)
                          if may(user, "initiatives.set_support_threshold", place)}, role
