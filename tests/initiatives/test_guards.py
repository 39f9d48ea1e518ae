"""Guards in the match-fund arithmetic that no other test held: each test here fails when its line is mutated.

Found by mutation testing (``make mutate``, docs/testing.md): which fund is asked first, rounding down,
the cap counting what is already held, returning a reservation exactly once, and settling only the
reservations of this initiative.
"""

from decimal import Decimal

import pytest
from django.db import transaction

from initiatives import services
from initiatives.models import MatchFund, MatchReservation, Pledge, Status
from initiatives.services import funds
from initiatives.services.errors import InitiativeError
from tests.factories import UserFactory
from tests.factories_initiatives import MatchFundFactory

pytestmark = pytest.mark.django_db


def give(initiative, amount, user=None):
    user = user or UserFactory(kern=initiative.kern)
    return services.pledge(pledger=user, initiative=initiative, kind=Pledge.Kind.MONEY, amount=amount,
                           idempotency_key=f"k-{user.pk}-{amount}").pledge


def balance(fund):
    return MatchFund.objects.get(pk=fund.pk).balance


def test_the_most_specific_active_fund_is_asked_first(funding_initiative, kern, other_kern):
    everywhere = MatchFundFactory(name="a")
    theme_only = MatchFundFactory(name="b", theme=funding_initiative.theme)
    kern_only = MatchFundFactory(name="c", kern=kern)
    kern_and_theme = MatchFundFactory(name="d", kern=kern, theme=funding_initiative.theme)
    MatchFundFactory(name="e", kern=kern, theme=funding_initiative.theme, is_active=False)
    MatchFundFactory(name="f", kern=other_kern)
    MatchFundFactory(name="g", theme="cultuur")
    assert list(funds.applicable_funds(funding_initiative)) == [kern_and_theme, kern_only, theme_only, everywhere]
    give(funding_initiative, "10.00")
    assert MatchReservation.objects.get().fund == kern_and_theme


def test_an_empty_fund_passes_the_turn_to_the_next(funding_initiative, kern):
    empty = MatchFundFactory(kern=kern, theme=funding_initiative.theme, budget=Decimal("5.00"),
                             balance=Decimal("0.00"))
    full = MatchFundFactory(kern=kern)
    give(funding_initiative, "10.00")
    assert MatchReservation.objects.get().fund == full
    assert (balance(empty), balance(full)) == (Decimal("0.00"), Decimal("4990.00"))


def test_a_fund_at_its_cap_passes_the_turn_to_the_next(funding_initiative, kern):
    first = MatchFundFactory(kern=kern, theme=funding_initiative.theme, cap_per_initiative=Decimal("10.00"))
    second = MatchFundFactory(kern=kern)
    give(funding_initiative, "10.00")
    give(funding_initiative, "4.00")
    assert [(r.fund, r.amount) for r in MatchReservation.objects.order_by("pk")] == [
        (first, Decimal("10.00")), (second, Decimal("4.00"))]


def test_matching_rounds_down_to_the_cent(funding_initiative, kern):
    fund = MatchFundFactory(kern=kern, ratio=Decimal("1.50"))
    give(funding_initiative, "0.05")  # 0.075: the fund gives 0.07, never a fraction of a cent more
    assert MatchReservation.objects.get().amount == Decimal("0.07")
    assert balance(fund) == Decimal("4999.93")


def test_the_cap_counts_committed_matching_but_not_returned(funding_initiative, kern):
    fund = MatchFundFactory(kern=kern, cap_per_initiative=Decimal("30.00"))
    committed = give(funding_initiative, "10.00")
    returned = give(funding_initiative, "10.00")
    MatchReservation.objects.filter(pledge=committed).update(status=MatchReservation.Status.COMMITTED)
    services.cancel_pledge(actor=returned.pledger, pledge=returned)
    give(funding_initiative, "50.00")  # room left: 30 - 10 committed (the returned 10 no longer counts)
    assert MatchReservation.objects.order_by("-pk").first().amount == Decimal("20.00")
    assert balance(fund) == Decimal("4970.00")


def test_returning_a_reservation_twice_gives_it_back_once(funding_initiative, kern):
    fund = MatchFundFactory(kern=kern)
    reservation = give(funding_initiative, "25.00").match_reservation
    with transaction.atomic():
        funds.return_match(reservation=reservation)
        funds.return_match(reservation=reservation)
    assert balance(fund) == Decimal("5000.00")
    reservation.refresh_from_db()
    assert reservation.status == MatchReservation.Status.RETURNED
    assert reservation.settled_at is not None


def test_a_committed_reservation_is_never_returned(funding_initiative, kern):
    fund = MatchFundFactory(kern=kern)
    reservation = give(funding_initiative, "25.00").match_reservation
    with transaction.atomic():
        assert funds.commit_matches(initiative=funding_initiative) == 1
        funds.return_match(reservation=reservation)
        assert funds.return_matches(initiative=funding_initiative) == 0
    reservation.refresh_from_db()
    assert reservation.status == MatchReservation.Status.COMMITTED
    assert balance(fund) == Decimal("4975.00")


def test_settling_touches_only_this_initiative(make_initiative, kern):
    fund = MatchFundFactory(kern=kern)
    met, missed, other = (make_initiative(Status.FUNDING) for _ in range(3))
    give(met, "10.00")
    give(missed, "20.00")
    give(other, "40.00")
    give(other, "1.00")
    with transaction.atomic():
        assert funds.commit_matches(initiative=met) == 1
        assert funds.return_matches(initiative=missed) == 1
    by_initiative = {r.initiative_id: r for r in MatchReservation.objects.exclude(initiative=other)}
    assert by_initiative[met.pk].status == MatchReservation.Status.COMMITTED
    assert by_initiative[met.pk].settled_at is not None
    assert by_initiative[missed.pk].status == MatchReservation.Status.RETURNED
    assert set(MatchReservation.objects.filter(initiative=other).values_list("status", flat=True)) == {
        MatchReservation.Status.RESERVED}
    assert balance(fund) == Decimal("5000.00") - Decimal("10.00") - Decimal("41.00")


@pytest.mark.parametrize("budget", ["0", "-5", "1.005", "NaN", "Infinity", "veel"])
def test_a_fund_needs_a_positive_budget_in_whole_cents(staff, budget):
    with pytest.raises(InitiativeError):
        services.create_match_fund(actor=staff, name="Dorpsfonds", budget=budget, cap_per_initiative="10")
    assert not MatchFund.objects.exists()


def test_a_fund_needs_a_name(staff):
    with pytest.raises(InitiativeError):
        services.create_match_fund(actor=staff, name="  ", budget="10", cap_per_initiative="10")
    fund = services.create_match_fund(actor=staff, name=" Dorpsfonds ", budget="10.50", cap_per_initiative="5",
                                      ratio="2")
    assert (fund.name, fund.budget, fund.balance, fund.ratio, fund.cap_per_initiative) == (
        "Dorpsfonds", Decimal("10.50"), Decimal("10.50"), Decimal("2"), Decimal("5"))


def test_topping_up_raises_budget_and_balance_by_the_amount(staff, kern, funding_initiative):
    fund = MatchFundFactory(kern=kern, budget=Decimal("100.00"))
    give(funding_initiative, "30.00")
    services.add_to_budget(actor=staff, fund=fund, amount="0.01")
    fund.refresh_from_db()
    assert (fund.budget, fund.balance) == (Decimal("100.01"), Decimal("70.01"))
    with pytest.raises(InitiativeError):
        services.add_to_budget(actor=staff, fund=fund, amount="-1")
