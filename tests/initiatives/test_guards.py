"""Guards in the match-fund arithmetic that no other test held: each test here fails when its line is mutated.

Found by mutation testing (``make mutate``, docs/testing.md): which fund is asked first, rounding down,
the cap counting what is already held, returning a reservation exactly once, settling only the
reservations of this initiative; the limits on pledges, the deadline day, and erasure withdrawing pledges.
Locks and the idempotency look-ups under parallel requests are guarded by the PostgreSQL tests.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from initiatives import services
from initiatives.models import Follow, MatchFund, MatchReservation, Pledge, Status
from initiatives.services import funds
from initiatives.services.errors import InitiativeError, PledgeRefused
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
    second = MatchFundFactory(kern=kern, cap_per_initiative=Decimal("12.00"))  # its own cap: the first's 10 is not its
    give(funding_initiative, "10.00")
    later = give(funding_initiative, "4.00")
    assert [(r.fund, r.amount) for r in MatchReservation.objects.order_by("pk")] == [
        (first, Decimal("10.00")), (second, Decimal("4.00"))]
    services.cancel_pledge(actor=later.pledger, pledge=later)  # goes back to its own fund
    assert (balance(first), balance(second)) == (Decimal("4990.00"), Decimal("5000.00"))


def test_the_cap_is_per_initiative(make_initiative, kern):
    fund = MatchFundFactory(kern=kern, cap_per_initiative=Decimal("30.00"))
    one, other = make_initiative(Status.FUNDING), make_initiative(Status.FUNDING)
    give(one, "25.00")
    give(other, "10.00")  # the other initiative's 25 does not count against this one's cap
    assert [r.amount for r in MatchReservation.objects.order_by("pk")] == [Decimal("25.00"), Decimal("10.00")]
    assert balance(fund) == Decimal("4965.00")


def test_matching_rounds_down_to_the_cent(funding_initiative, kern):
    fund = MatchFundFactory(kern=kern, ratio=Decimal("1.50"))
    give(funding_initiative, "1.05")  # 1.575: the fund gives 1.57, never a fraction of a cent more
    assert MatchReservation.objects.get().amount == Decimal("1.57")
    assert balance(fund) == Decimal("4998.43")


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
    cancelled = give(met, "5.00")
    services.cancel_pledge(actor=cancelled.pledger, pledge=cancelled)  # returned: must stay returned
    give(missed, "20.00")
    give(other, "40.00")
    give(other, "1.00")
    with transaction.atomic():
        assert funds.commit_matches(initiative=met) == 1
        assert funds.return_matches(initiative=missed) == 1
    assert MatchReservation.objects.get(pledge=cancelled).status == MatchReservation.Status.RETURNED
    by_initiative = {r.initiative_id: r for r in MatchReservation.objects.exclude(initiative=other)
                     .exclude(pledge=cancelled)}
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


def test_a_fund_needs_a_name(staff, kern):
    with pytest.raises(InitiativeError):
        services.create_match_fund(actor=staff, name="  ", budget="10", cap_per_initiative="10")
    fund = services.create_match_fund(actor=staff, name=" Dorpsfonds ", budget="10.50", cap_per_initiative="5",
                                      ratio="2", kern=kern, theme="groen")
    fund.refresh_from_db()
    assert (fund.name, fund.budget, fund.balance, fund.ratio, fund.cap_per_initiative, fund.kern, fund.theme) == (
        "Dorpsfonds", Decimal("10.50"), Decimal("10.50"), Decimal("2"), Decimal("5"), kern, "groen")


def test_topping_up_raises_budget_and_balance_by_the_amount(staff, resident, kern, funding_initiative):
    fund = MatchFundFactory(kern=kern, budget=Decimal("100.00"))
    untouched = MatchFundFactory(budget=Decimal("7.00"))
    give(funding_initiative, "30.00")
    services.add_to_budget(actor=staff, fund=fund, amount="0.01")
    fund.refresh_from_db()
    assert (fund.budget, fund.balance) == (Decimal("100.01"), Decimal("70.01"))
    assert (untouched.budget, balance(untouched)) == (Decimal("7.00"), Decimal("7.00"))
    with pytest.raises(InitiativeError):
        services.add_to_budget(actor=staff, fund=fund, amount="-1")
    with pytest.raises(PermissionDenied):
        services.add_to_budget(actor=resident, fund=fund, amount="1")
    fund.refresh_from_db()
    assert fund.budget == Decimal("100.01")


# --- pledges: input limits, the deadline, erasure --------------------------------------------------------

def pledge(initiative, user, **values):
    values.setdefault("kind", Pledge.Kind.MONEY)
    values.setdefault("idempotency_key", "k")
    return services.pledge(pledger=user, initiative=initiative, **values)


@pytest.mark.parametrize("pledger", [None, AnonymousUser()])
def test_nobody_signed_in_cannot_pledge(funding_initiative, pledger):
    with pytest.raises(PermissionDenied):
        pledge(funding_initiative, pledger, amount="5")
    assert not Pledge.objects.exists()


@pytest.mark.parametrize("key", ["", "   ", "k" * 81])
def test_a_missing_or_too_long_key_is_refused(funding_initiative, resident, key):
    with pytest.raises(InitiativeError) as refused:
        pledge(funding_initiative, resident, amount="5", idempotency_key=key)
    assert refused.value.code == "idempotency_key"
    assert not Pledge.objects.exists()


def test_the_largest_key_and_amount_are_accepted(funding_initiative, resident):
    funding_initiative.goal = Decimal("20000.00")  # a person's pledges stay within the goal
    funding_initiative.save(update_fields=["goal"])
    result = pledge(funding_initiative, resident, amount="10000.00", idempotency_key="k" * 80)
    assert (result.created, result.pledge.amount) == (True, Decimal("10000.00"))


@pytest.mark.parametrize(("hours", "ok"), [(0, False), (1, True), (1000, True), (1001, False), ("veel", False)])
def test_hours_from_one_to_a_thousand(make_initiative, resident, hours, ok):
    initiative = make_initiative(Status.PUBLISHED)
    if ok:
        assert pledge(initiative, resident, kind=Pledge.Kind.TIME, hours=hours).pledge.hours == hours
    else:
        with pytest.raises(InitiativeError):
            pledge(initiative, resident, kind=Pledge.Kind.TIME, hours=hours)
        assert not Pledge.objects.exists()


def test_materials_are_needed_and_cut_to_length(make_initiative, resident):
    initiative = make_initiative(Status.PUBLISHED)
    with pytest.raises(InitiativeError):
        pledge(initiative, resident, kind=Pledge.Kind.MATERIALS, materials="   ")
    offered = pledge(initiative, resident, kind=Pledge.Kind.MATERIALS, materials="x" * 2500, message="m" * 400)
    assert (len(offered.pledge.materials), len(offered.pledge.message)) == (2000, 300)


def test_a_money_pledge_after_the_deadline_is_refused_on_the_day_it_is_accepted(make_initiative, resident):
    today = timezone.localdate()
    late = make_initiative(Status.FUNDING, deadline=today - datetime.timedelta(days=1))
    with pytest.raises(PledgeRefused) as refused:
        pledge(late, resident, amount="5")
    assert refused.value.code == "deadline_passed"
    assert not Pledge.objects.exists()
    last_day = make_initiative(Status.FUNDING, deadline=today)
    assert pledge(last_day, resident, amount="5", idempotency_key="k2").created


def test_a_pledge_can_be_withdrawn_on_the_deadline_day(make_initiative, resident):
    initiative = make_initiative(Status.FUNDING, deadline=timezone.localdate())
    given = pledge(initiative, resident, amount="5").pledge
    assert services.cancel_pledge(actor=resident, pledge=given).status == Pledge.Status.CANCELLED


def test_erasure_withdraws_every_active_pledge_of_that_person_only(make_initiative, kern, resident):
    from initiatives.services.pledges import withdraw_all_pledges_of

    fund = MatchFundFactory(kern=kern)
    first, second = make_initiative(Status.FUNDING), make_initiative(Status.FUNDING)
    matched = pledge(first, resident, amount="20.00").pledge
    timed = pledge(second, resident, kind=Pledge.Kind.TIME, hours=3, idempotency_key="k2").pledge
    earlier = pledge(second, resident, amount="1.00", idempotency_key="k3").pledge
    services.cancel_pledge(actor=resident, pledge=earlier)
    neighbours = give(first, "7.00")
    assert withdraw_all_pledges_of(user=resident) == 2
    statuses = dict(Pledge.objects.values_list("pk", "status"))
    assert statuses == {matched.pk: Pledge.Status.CANCELLED, timed.pk: Pledge.Status.CANCELLED,
                        earlier.pk: Pledge.Status.CANCELLED, neighbours.pk: Pledge.Status.ACTIVE}
    assert MatchReservation.objects.get(pledge=matched).status == MatchReservation.Status.RETURNED
    assert balance(fund) == Decimal("4993.00")  # only the neighbour's matching is still held
    assert withdraw_all_pledges_of(user=resident) == 0


def test_a_fund_with_less_than_a_euro_left_still_gives_what_it_has(funding_initiative, kern):
    fund = MatchFundFactory(kern=kern, budget=Decimal("5.00"), balance=Decimal("0.50"))
    give(funding_initiative, "10.00")
    assert MatchReservation.objects.get().amount == Decimal("0.50")
    assert balance(fund) == Decimal("0.00")


def test_pledging_and_withdrawing_refresh_the_cached_pages(funding_initiative, resident,
                                                           django_capture_on_commit_callbacks):
    """The kern page shows the progress bar: the page cache must forget it when the total changes."""
    from core.pagecache import generation

    before = generation()
    with django_capture_on_commit_callbacks(execute=True):
        given = pledge(funding_initiative, resident, amount="5").pledge
    after_pledge = generation()
    assert after_pledge != before
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_pledge(actor=resident, pledge=given)
    assert generation() != after_pledge


# --- support, follow, news ---------------------------------------------------------------------------

def test_withdrawing_support_or_follow_touches_only_your_own(make_initiative, resident, verified_resident):
    initiative, other = make_initiative(Status.PUBLISHED, goal=None), make_initiative(Status.PUBLISHED, goal=None)
    for user in (resident, verified_resident):
        for target in (initiative, other):
            services.support(user=user, initiative=target)
    services.unsupport(user=resident, initiative=initiative)
    services.unfollow(user=resident, initiative=initiative)
    assert set(initiative.supports.values_list("user", flat=True)) == {verified_resident.pk}
    assert set(initiative.follows.values_list("user", flat=True)) == {verified_resident.pk}
    assert other.supports.count() == 2 and other.follows.count() == 2


def test_initiators_cannot_support_their_own_initiative(make_initiative, initiator):
    initiative = make_initiative(Status.PUBLISHED, goal=None)
    with pytest.raises(PermissionDenied):
        services.support(user=initiator, initiative=initiative)
    assert not initiative.supports.exists()


def test_news_goes_to_this_initiatives_followers_only_not_to_its_author(
        make_initiative, initiator, resident, verified_resident, django_capture_on_commit_callbacks):
    from community.models import Notification

    initiative, other = make_initiative(Status.PUBLISHED, goal=None), make_initiative(Status.PUBLISHED, goal=None)
    services.follow(user=resident, initiative=initiative)
    services.follow(user=verified_resident, initiative=other)
    Follow.objects.create(initiative=initiative, user=initiator)
    with django_capture_on_commit_callbacks(execute=True):
        update = services.post_update(actor=initiator, initiative=initiative, title="t" * 150, body="<p>Nieuws</p>")
    assert (update.author, update.title) == (initiator, "t" * 120)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [resident.pk]


@pytest.mark.parametrize(("title", "body"), [("", "<p>tekst</p>"), ("Titel", "<p> </p>"), ("  ", "")])
def test_news_needs_a_title_and_a_text(make_initiative, initiator, title, body):
    initiative = make_initiative(Status.PUBLISHED, goal=None)
    with pytest.raises(InitiativeError):
        services.post_update(actor=initiator, initiative=initiative, title=title, body=body)
    assert not initiative.updates.exists()
