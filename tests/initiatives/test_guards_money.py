"""Guards in the money arithmetic and its filters that no other test held (found by ``make mutate``).

Each test fails when its line in initiatives/services/funds.py or pledges.py is mutated: what counts towards an
initiative's need, towards a fund's cap and towards one person's ceiling; which earlier pledge is a possible
duplicate; the limits of the idempotency key; a fund found unusable under its lock passes the turn on.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.formats import money
from initiatives import services
from initiatives.models import MatchFund, MatchReservation, Pledge, Status
from initiatives.services import funds
from initiatives.services.errors import InitiativeError, PledgeRefused, PossibleDuplicate
from tests.factories import UserFactory
from tests.factories_initiatives import MatchFundFactory, PledgeFactory

pytestmark = pytest.mark.django_db

_keys = iter(range(10**6))


def pledge(initiative, user, **values):
    values.setdefault("kind", Pledge.Kind.MONEY)
    values.setdefault("idempotency_key", f"key-{next(_keys)}")
    return services.pledge(pledger=user, initiative=initiative, **values)


def hold(fund, initiative, amount, status=MatchReservation.Status.RESERVED, pledger=None):
    """A reservation of ``amount`` from ``fund`` for ``initiative`` (its pledge made directly, no service)."""
    pledge_ = PledgeFactory(initiative=initiative, pledger=pledger or UserFactory(kern=initiative.kern))
    return MatchReservation.objects.create(fund=fund, initiative=initiative, pledge=pledge_,
                                           amount=Decimal(amount), status=status)


# --------------------------------------------------------------------------------------------- match_need


def test_the_need_is_the_goal_when_nothing_is_pledged(funding_initiative):
    assert funds.match_need(initiative=funding_initiative) == Decimal("1000.00")


def test_an_initiative_without_a_goal_needs_nothing(make_initiative):
    assert funds.match_need(initiative=make_initiative(Status.FUNDING, goal=None)) == Decimal("0.00")


def test_pledges_to_another_initiative_do_not_lower_the_need(funding_initiative, make_initiative):
    PledgeFactory(initiative=make_initiative(Status.FUNDING), amount=Decimal("300.00"))
    assert funds.match_need(initiative=funding_initiative) == Decimal("1000.00")


def test_a_cancelled_pledge_does_not_lower_the_need(funding_initiative):
    PledgeFactory(initiative=funding_initiative, amount=Decimal("300.00"), status=Pledge.Status.CANCELLED)
    PledgeFactory(initiative=funding_initiative, amount=Decimal("100.00"))
    PledgeFactory(initiative=funding_initiative, amount=Decimal("50.00"), status=Pledge.Status.COLLECTED)
    assert funds.match_need(initiative=funding_initiative) == Decimal("850.00")


def test_matching_held_for_another_initiative_does_not_lower_the_need(funding_initiative, make_initiative, kern):
    hold(MatchFundFactory(kern=kern), make_initiative(Status.FUNDING), "200.00")
    assert funds.match_need(initiative=funding_initiative) == Decimal("1000.00")


def test_returned_matching_does_not_lower_the_need_but_committed_does(funding_initiative, kern):
    fund = MatchFundFactory(kern=kern)
    hold(fund, funding_initiative, "200.00", status=MatchReservation.Status.RETURNED)
    hold(fund, funding_initiative, "30.00", status=MatchReservation.Status.COMMITTED)
    # pledges 25 + 25 (the factories' pledges behind the reservations), matching 30 committed
    assert funds.match_need(initiative=funding_initiative) == Decimal("920.00")


# ------------------------------------------------------------------------------------------ candidate_funds


def test_matching_held_by_another_fund_does_not_use_up_this_funds_cap(funding_initiative, kern):
    other = MatchFundFactory(kern=kern, cap_per_initiative=Decimal("10.00"))
    this = MatchFundFactory(kern=kern, cap_per_initiative=Decimal("10.00"))
    hold(other, funding_initiative, "10.00")
    assert funds.candidate_funds(initiative=funding_initiative, pledger_id=UserFactory().pk) == [this.pk]


def test_matching_held_for_another_initiative_does_not_use_up_the_cap(funding_initiative, make_initiative, kern):
    fund = MatchFundFactory(kern=kern, cap_per_initiative=Decimal("10.00"))
    hold(fund, make_initiative(Status.FUNDING), "10.00")
    assert funds.candidate_funds(initiative=funding_initiative, pledger_id=UserFactory().pk) == [fund.pk]


def test_a_fund_at_its_cap_for_this_initiative_is_no_candidate_for_a_new_person(funding_initiative, kern):
    fund = MatchFundFactory(kern=kern, cap_per_initiative=Decimal("10.00"), cap_per_person=Decimal("10.00"))
    hold(fund, funding_initiative, "10.00")
    assert funds.candidate_funds(initiative=funding_initiative, pledger_id=UserFactory().pk) == []


# -------------------------------------------------------------------------------------------- reserve_match


def test_the_last_cents_of_the_need_are_matched(make_initiative, kern, resident):
    initiative = make_initiative(Status.FUNDING, goal=Decimal("10.00"))
    MatchFundFactory(kern=kern)
    result = pledge(initiative, resident, amount="9.50")
    assert result.matched == Decimal("0.50")
    assert funds.match_need(initiative=initiative) == Decimal("0.00")


def test_an_inactive_fund_found_under_its_lock_passes_the_turn_on(funding_initiative, kern, resident, monkeypatch):
    paused = MatchFundFactory(kern=kern, is_active=False)
    full = MatchFundFactory(kern=kern)
    # as if it was paused between the look-up of candidates and its lock
    monkeypatch.setattr(funds, "candidate_funds", lambda **kwargs: [paused.pk, full.pk])
    assert pledge(funding_initiative, resident, amount="10.00").matched == Decimal("10.00")
    assert MatchReservation.objects.get().fund == full
    assert MatchFund.objects.get(pk=paused.pk).balance == Decimal("5000.00")


def test_a_fund_drained_under_its_lock_passes_the_turn_on(funding_initiative, kern, resident, monkeypatch):
    drained = MatchFundFactory(kern=kern, budget=Decimal("5.00"), balance=Decimal("0.00"))
    full = MatchFundFactory(kern=kern)
    monkeypatch.setattr(funds, "candidate_funds", lambda **kwargs: [drained.pk, full.pk])
    assert pledge(funding_initiative, resident, amount="10.00").matched == Decimal("10.00")
    assert MatchReservation.objects.get().fund == full


def test_a_fund_at_its_cap_under_its_lock_passes_the_turn_on(funding_initiative, kern, resident, monkeypatch):
    capped = MatchFundFactory(kern=kern, cap_per_initiative=Decimal("10.00"))
    hold(capped, funding_initiative, "10.00")
    full = MatchFundFactory(kern=kern)
    monkeypatch.setattr(funds, "candidate_funds", lambda **kwargs: [capped.pk, full.pk])
    assert pledge(funding_initiative, resident, amount="10.00").matched == Decimal("10.00")
    assert list(MatchReservation.objects.filter(fund=capped).values_list("amount", flat=True)) == [Decimal("10.00")]
    assert MatchFund.objects.get(pk=capped.pk).balance == Decimal("5000.00")


# ------------------------------------------------------------------------------------------ fund management


def test_a_new_fund_keeps_its_cap_per_person_and_paused_state(staff):
    fund = services.create_match_fund(actor=staff, name="Dorpsfonds", budget="100", cap_per_initiative="50",
                                      cap_per_person="20", is_active=False)
    fund = MatchFund.objects.get(pk=fund.pk)
    assert (fund.cap_per_person, fund.is_active) == (Decimal("20.00"), False)


def test_only_staff_change_a_fund(resident, kern):
    fund = MatchFundFactory(kern=kern, name="Dorpsfonds")
    with pytest.raises(PermissionDenied):
        services.update_match_fund(actor=resident, fund=fund, name="Mijn fonds", is_active=False)
    assert MatchFund.objects.filter(pk=fund.pk, name="Dorpsfonds", is_active=True).exists()


def test_renaming_a_fund_to_nothing_is_refused(staff, kern):
    fund = MatchFundFactory(kern=kern, name="Dorpsfonds")
    with pytest.raises(InitiativeError):
        services.update_match_fund(actor=staff, fund=fund, name="   ")
    assert MatchFund.objects.get(pk=fund.pk).name == "Dorpsfonds"


def test_changing_one_fund_leaves_the_others_and_refreshes_the_instance(staff, kern):
    other = MatchFundFactory(kern=kern, name="Ander fonds")
    fund = MatchFundFactory(kern=kern, name="Dorpsfonds")
    returned = services.update_match_fund(actor=staff, fund=fund, name="Nieuw", cap_per_person="30")
    assert (returned.name, returned.cap_per_person) == ("Nieuw", Decimal("30.00"))
    assert MatchFund.objects.get(pk=other.pk).name == "Ander fonds"


def test_fund_figures_count_only_each_funds_own_reservations(funding_initiative, kern):
    one, two = MatchFundFactory(kern=kern), MatchFundFactory(kern=kern)
    hold(one, funding_initiative, "10.00")
    hold(two, funding_initiative, "3.00")
    figures = {f.pk: f.reserved for f in funds.fund_figures()}
    assert figures == {one.pk: Decimal("10.00"), two.pk: Decimal("3.00")}


# ---------------------------------------------------------------------------------------------- pledge()


def test_a_key_of_eighty_characters_is_accepted_and_of_eighty_one_refused(funding_initiative, resident):
    with pytest.raises(InitiativeError):
        pledge(funding_initiative, resident, amount="10.00", idempotency_key="k" * 81)
    assert not Pledge.objects.exists()
    assert pledge(funding_initiative, resident, amount="10.00", idempotency_key="k" * 80).created


def test_a_time_pledge_does_not_say_the_goal_is_met(make_initiative, resident):
    result = pledge(make_initiative(Status.FUNDING), resident, kind=Pledge.Kind.TIME, hours=3)
    assert (result.created, result.goal_met) == (True, False)


def test_a_matched_pledge_does_not_say_the_goal_is_met(funding_initiative, kern, resident):
    MatchFundFactory(kern=kern)
    result = pledge(funding_initiative, resident, amount="10.00")
    assert (result.matched, result.goal_met) == (Decimal("10.00"), False)


def test_fifty_cents_short_is_not_the_goal_met(make_initiative, resident):
    result = pledge(make_initiative(Status.FUNDING, goal=Decimal("10.00")), resident, amount="9.50")
    assert (result.matched, result.goal_met) == (Decimal("0.00"), False)


def test_money_to_an_initiative_without_a_goal_has_no_ceiling(make_initiative, resident):
    result = pledge(make_initiative(Status.FUNDING, goal=None), resident, amount="500.00")
    assert (result.created, result.pledge.amount) == (True, Decimal("500.00"))


# ------------------------------------------------------------------------------------- possible duplicates


def test_the_same_amount_to_another_initiative_is_no_duplicate(funding_initiative, make_initiative, resident):
    pledge(make_initiative(Status.FUNDING), resident, amount="10.00")
    assert pledge(funding_initiative, resident, amount="10.00").created


def test_the_same_amount_after_a_cancelled_pledge_is_no_duplicate(funding_initiative, resident):
    earlier = pledge(funding_initiative, resident, amount="10.00").pledge
    services.cancel_pledge(actor=resident, pledge=earlier)
    assert pledge(funding_initiative, resident, amount="10.00").created


def test_other_hours_are_no_duplicate(funding_initiative, resident):
    pledge(funding_initiative, resident, kind=Pledge.Kind.TIME, hours=3)
    assert pledge(funding_initiative, resident, kind=Pledge.Kind.TIME, hours=5).created


def test_other_materials_are_no_duplicate(funding_initiative, resident):
    pledge(funding_initiative, resident, kind=Pledge.Kind.MATERIALS, materials="Verf")
    assert pledge(funding_initiative, resident, kind=Pledge.Kind.MATERIALS, materials="Zand").created


def test_the_same_hours_again_are_a_possible_duplicate_that_names_them(funding_initiative, resident):
    pledge(funding_initiative, resident, kind=Pledge.Kind.TIME, hours=3)
    with pytest.raises(PossibleDuplicate, match="3 uur"):
        pledge(funding_initiative, resident, kind=Pledge.Kind.TIME, hours=3)
    assert Pledge.objects.count() == 1


def test_the_same_materials_again_are_named_in_at_most_sixty_characters(funding_initiative, resident):
    text = "Stoeptegels " + "x" * 100
    pledge(funding_initiative, resident, kind=Pledge.Kind.MATERIALS, materials=text)
    with pytest.raises(PossibleDuplicate) as refused:
        pledge(funding_initiative, resident, kind=Pledge.Kind.MATERIALS, materials=text)
    assert text[:60] in str(refused.value)
    assert text[:61] not in str(refused.value)


# ------------------------------------------------------------------------------------ the personal ceiling


def goal_100(make_initiative):
    return make_initiative(Status.FUNDING, goal=Decimal("100.00"))


def test_other_peoples_pledges_do_not_count_towards_my_ceiling(make_initiative, resident, kern):
    initiative = goal_100(make_initiative)
    pledge(initiative, UserFactory(kern=kern), amount="80.00")
    assert pledge(initiative, resident, amount="50.00").created


def test_pledges_to_another_initiative_do_not_count_towards_my_ceiling(make_initiative, resident):
    initiative = goal_100(make_initiative)
    pledge(goal_100(make_initiative), resident, amount="80.00")
    assert pledge(initiative, resident, amount="50.00").created


def test_a_cancelled_pledge_does_not_count_towards_my_ceiling(make_initiative, resident):
    initiative = goal_100(make_initiative)
    earlier = pledge(initiative, resident, amount="80.00").pledge
    services.cancel_pledge(actor=resident, pledge=earlier)
    assert pledge(initiative, resident, amount="50.00").created


def test_the_ceiling_names_the_last_fifty_cents_of_room(make_initiative, resident):
    initiative = goal_100(make_initiative)
    pledge(initiative, resident, amount="99.50")
    with pytest.raises(PledgeRefused) as refused:
        pledge(initiative, resident, amount="1.00")
    assert f"hoogstens {money('0.50')} toezeggen" in refused.value.messages[0]
    assert Pledge.objects.count() == 1


# ------------------------------------------------------------------------------------ no work when refused


def test_nobody_signed_in_is_refused_before_any_query(funding_initiative, django_assert_num_queries):
    with django_assert_num_queries(0), pytest.raises(PermissionDenied):
        services.pledge(pledger=None, initiative=funding_initiative, kind=Pledge.Kind.MONEY, amount="10.00",
                        idempotency_key="k")


def test_once_the_goal_is_met_no_fund_is_asked(make_initiative, kern, resident):
    initiative = make_initiative(Status.FUNDING, goal=Decimal("10.00"))
    pledge(initiative, UserFactory(kern=kern), amount="10.00")  # the goal is met, before any fund exists
    MatchFundFactory(kern=kern)
    with CaptureQueriesContext(connection) as captured:
        result = pledge(initiative, resident, amount="5.00")
    assert (result.created, result.matched, result.goal_met) == (True, Decimal("0.00"), True)
    assert not [q["sql"] for q in captured if "initiatives_matchfund" in q["sql"]]
