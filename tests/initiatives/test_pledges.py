"""Pledges, match funding, deadlines and payments, through the services."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.formats import money
from initiatives import selectors, services
from initiatives.models import MatchFund, MatchReservation, Payment, Pledge, Status
from initiatives.services.errors import IdempotencyConflict, InitiativeError, PledgeRefused
from tests.factories import UserFactory
from tests.factories_initiatives import MatchFundFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
AFTER = TODAY + datetime.timedelta(days=31)


def give(initiative, amount, user=None, key=None):
    user = user or UserFactory(kern=initiative.kern)
    return services.pledge(pledger=user, initiative=initiative, kind=Pledge.Kind.MONEY, amount=amount,
                           idempotency_key=key or f"k-{user.pk}-{amount}").pledge


def test_money_pledge_counts_in_total(funding_initiative):
    give(funding_initiative, "25.00")
    give(funding_initiative, "1.10")
    progress = selectors.funding_progress(funding_initiative)
    assert progress.pledged == Decimal("26.10")
    assert progress.percent == 2


def test_same_key_returns_same_pledge(funding_initiative, resident):
    first = services.pledge(pledger=resident, initiative=funding_initiative, kind="money", amount="25",
                            idempotency_key="abc")
    again = services.pledge(pledger=resident, initiative=funding_initiative, kind="money", amount="25.00",
                            idempotency_key="abc")
    assert first.created and not again.created
    assert first.pledge.pk == again.pledge.pk
    assert Pledge.objects.count() == 1


def test_same_key_different_pledge_is_a_conflict(funding_initiative, resident):
    services.pledge(pledger=resident, initiative=funding_initiative, kind="money", amount="25", idempotency_key="abc")
    with pytest.raises(IdempotencyConflict):
        services.pledge(pledger=resident, initiative=funding_initiative, kind="money", amount="30",
                        idempotency_key="abc")
    assert Pledge.objects.count() == 1


def test_same_key_from_other_user_is_a_new_pledge(funding_initiative, resident, verified_resident):
    for user in (resident, verified_resident):
        services.pledge(pledger=user, initiative=funding_initiative, kind="money", amount="5", idempotency_key="k")
    assert Pledge.objects.count() == 2


@pytest.mark.parametrize("amount", ["0", "-1", "0.001", "0.99", "10000.01", "abc", "NaN", "Infinity", None, "1e2",
                                    "+5", "25,505", 2.5])
def test_bad_amounts_are_refused(funding_initiative, resident, amount):
    with pytest.raises(InitiativeError):
        services.pledge(pledger=resident, initiative=funding_initiative, kind="money", amount=amount,
                        idempotency_key="x")
    assert not Pledge.objects.exists()


def test_database_refuses_negative_pledge_and_unmatched_kind(funding_initiative, resident):
    with pytest.raises(IntegrityError), transaction.atomic():
        Pledge.objects.create(initiative=funding_initiative, pledger=resident, kind="money", amount=Decimal("-1"),
                              idempotency_key="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        Pledge.objects.create(initiative=funding_initiative, pledger=resident, kind="time", idempotency_key="b")


def test_database_refuses_fund_below_zero(match_fund):
    with pytest.raises(IntegrityError), transaction.atomic():
        MatchFund.objects.filter(pk=match_fund.pk).update(balance=Decimal("-0.01"))


def test_time_and_materials(make_initiative, resident):
    initiative = make_initiative(Status.PUBLISHED, goal=None)
    services.pledge(pledger=resident, initiative=initiative, kind="time", hours=4, idempotency_key="t")
    services.pledge(pledger=resident, initiative=initiative, kind="materials", materials="Verf en kwasten",
                    idempotency_key="m")
    summary = selectors.pledge_summary(initiative)
    assert (summary.hours, summary.volunteer_count, summary.materials) == (4, 1, ["Verf en kwasten"])
    with pytest.raises(PledgeRefused):
        services.pledge(pledger=resident, initiative=initiative, kind="money", amount="5", idempotency_key="g")


@pytest.mark.parametrize("status", [s for s in Status if s != Status.FUNDING])
def test_money_pledge_only_while_funding(make_initiative, resident, status):
    initiative = make_initiative(status)
    with pytest.raises(PledgeRefused):
        services.pledge(pledger=resident, initiative=initiative, kind="money", amount="5", idempotency_key="x")
    assert not Pledge.objects.exists()


def test_anonymous_cannot_pledge(funding_initiative):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.pledge(pledger=AnonymousUser(), initiative=funding_initiative, kind="money", amount="5",
                        idempotency_key="x")
    assert not Pledge.objects.exists()


def test_initiator_cannot_pledge_to_own(funding_initiative, initiator):
    with pytest.raises(PermissionDenied):
        services.pledge(pledger=initiator, initiative=funding_initiative, kind="money", amount="5",
                        idempotency_key="x")


def test_match_reserved_with_ratio_and_cap(funding_initiative, kern):
    fund = MatchFundFactory(kern=kern, ratio=Decimal("2.00"), cap_per_initiative=Decimal("100.00"))
    give(funding_initiative, "30.00")
    give(funding_initiative, "30.00")
    fund.refresh_from_db()
    assert list(MatchReservation.objects.order_by("pk").values_list("amount", flat=True)) == [
        Decimal("60.00"), Decimal("40.00")]
    assert fund.balance == Decimal("4900.00")
    give(funding_initiative, "10.00")  # cap reached: no more matching
    assert MatchReservation.objects.count() == 2
    assert selectors.funding_progress(funding_initiative).raised == Decimal("170.00")


def test_match_never_more_than_balance(funding_initiative, kern):
    fund = MatchFundFactory(kern=kern, budget=Decimal("15.00"), cap_per_initiative=Decimal("100.00"))
    give(funding_initiative, "10.00")
    give(funding_initiative, "10.00")
    fund.refresh_from_db()
    assert fund.balance == Decimal("0.00")
    assert sum(r.amount for r in MatchReservation.objects.all()) == Decimal("15.00")


def test_fund_of_other_kern_or_theme_does_not_match(funding_initiative, other_kern):
    MatchFundFactory(kern=other_kern)
    MatchFundFactory(theme="cultuur")
    give(funding_initiative, "10.00")
    assert not MatchReservation.objects.exists()


def test_cancel_returns_match(funding_initiative, kern, resident):
    fund = MatchFundFactory(kern=kern)
    pledge = services.pledge(pledger=resident, initiative=funding_initiative, kind="money", amount="20",
                             idempotency_key="x").pledge
    services.cancel_pledge(actor=resident, pledge=pledge)
    fund.refresh_from_db()
    assert fund.balance == fund.budget
    assert Pledge.objects.get().status == Pledge.Status.CANCELLED
    assert MatchReservation.objects.get().status == MatchReservation.Status.RETURNED
    assert selectors.funding_progress(funding_initiative).raised == Decimal("0")
    with pytest.raises(PledgeRefused):
        services.cancel_pledge(actor=resident, pledge=pledge)


def test_cancel_someone_elses_pledge_is_refused(funding_initiative, resident, verified_resident):
    pledge = give(funding_initiative, "5.00", user=resident)
    with pytest.raises(PermissionDenied):
        services.cancel_pledge(actor=verified_resident, pledge=pledge)
    assert Pledge.objects.get().status == Pledge.Status.ACTIVE


def test_cancel_after_deadline_is_refused(funding_initiative, resident):
    pledge = give(funding_initiative, "5.00", user=resident)
    with pytest.raises(PledgeRefused):
        services.cancel_pledge(actor=resident, pledge=pledge, today=funding_initiative.deadline
                               + datetime.timedelta(days=1))
    assert Pledge.objects.get().status == Pledge.Status.ACTIVE


def test_deadline_funded_collects_and_commits(make_initiative, kern, django_capture_on_commit_callbacks):
    initiative = make_initiative(Status.FUNDING, goal=Decimal("100.00"))
    MatchFundFactory(kern=kern)
    give(initiative, "50.00")
    with django_capture_on_commit_callbacks(execute=True):
        summary = services.process_deadlines(today=AFTER)
    initiative.refresh_from_db()
    assert summary.funded == [initiative.pk]
    assert initiative.status == Status.FUNDED
    assert Pledge.objects.get().status == Pledge.Status.COLLECTED
    assert MatchReservation.objects.get().status == MatchReservation.Status.COMMITTED
    payment = Payment.objects.get()
    assert (payment.amount, payment.provider, payment.status) == (Decimal("50.00"), "offline", "pending")
    assert payment.reference.startswith("SL-")
    event = initiative.events.get(action="deadline")
    assert event.actor is None and event.to_status == Status.FUNDED


def test_the_deadline_reason_writes_the_amounts_as_pages_do(make_initiative, kern):
    initiative = make_initiative(Status.FUNDING, goal=Decimal("100.00"))
    MatchFundFactory(kern=kern)
    give(initiative, "50.00")
    services.process_deadlines(today=AFTER)
    matched = MatchReservation.objects.get().amount
    reason = initiative.events.get(action="deadline").reason
    assert reason == f"Opgehaald {money(Decimal('50.00'))} + {money(matched)} matching van {money(Decimal('100.00'))}."


def test_deadline_not_funded_releases_and_returns(make_initiative, kern):
    initiative = make_initiative(Status.FUNDING, goal=Decimal("1000.00"))
    fund = MatchFundFactory(kern=kern)
    give(initiative, "50.00")
    services.process_deadlines(today=AFTER)
    initiative.refresh_from_db()
    fund.refresh_from_db()
    assert initiative.status == Status.NOT_FUNDED
    assert Pledge.objects.get().status == Pledge.Status.RELEASED
    assert fund.balance == fund.budget
    assert not Payment.objects.exists()


def test_deadline_run_twice_changes_nothing_more(make_initiative):
    initiative = make_initiative(Status.FUNDING, goal=Decimal("10.00"))
    give(initiative, "10.00")
    services.process_deadlines(today=AFTER)
    state = (initiative.events.count(), Payment.objects.count(), list(Pledge.objects.values_list("status")))
    second = services.process_deadlines(today=AFTER)
    assert second.funded == second.not_funded == []
    assert (initiative.events.count(), Payment.objects.count(), list(Pledge.objects.values_list("status"))) == state


def test_deadline_not_before_the_day_is_over(make_initiative):
    initiative = make_initiative(Status.FUNDING)
    services.process_deadlines(today=initiative.deadline)
    initiative.refresh_from_db()
    assert initiative.status == Status.FUNDING


def test_deadline_killed_half_way_then_rerun(make_initiative):
    """An error after the first initiative: that one is settled, the rest untouched; a re-run finishes."""
    initiatives = [make_initiative(Status.FUNDING, goal=Decimal("10.00")) for _ in range(4)]
    for initiative in initiatives[:2]:
        give(initiative, "10.00")

    def die_after_first(pk, status):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        services.process_deadlines(today=AFTER, after_each=die_after_first)
    statuses = [type(i).objects.get(pk=i.pk).status for i in initiatives]
    assert statuses.count(Status.FUNDING) == 3
    services.process_deadlines(today=AFTER)
    statuses = [type(i).objects.get(pk=i.pk).status for i in initiatives]
    assert statuses == [Status.FUNDED, Status.FUNDED, Status.NOT_FUNDED, Status.NOT_FUNDED]
    assert Payment.objects.count() == 2


def test_management_command(make_initiative, capsys):
    initiative = make_initiative(Status.FUNDING, goal=Decimal("10.00"))
    call_command("process_initiative_deadlines", today=AFTER.isoformat())
    initiative.refresh_from_db()
    assert initiative.status == Status.NOT_FUNDED
    assert "not funded: 1" in capsys.readouterr().out


def test_the_scheduler_enqueues_the_deadline_run(make_initiative, capsys):
    """``run_schedule --once`` enqueues the hourly deadline task (run at once by the test task backend)."""
    overdue = make_initiative(Status.FUNDING, goal=Decimal("10.00"),
                              deadline=TODAY - datetime.timedelta(days=1))
    running = make_initiative(Status.FUNDING, goal=Decimal("10.00"))
    call_command("run_schedule", once=True)
    overdue.refresh_from_db()
    running.refresh_from_db()
    assert (overdue.status, running.status) == (Status.NOT_FUNDED, Status.FUNDING)
    assert "enqueued initiatives.tasks.process_initiative_deadlines" in capsys.readouterr().out


def test_staff_marks_offline_payment_paid(make_initiative, staff, resident):
    initiative = make_initiative(Status.FUNDING, goal=Decimal("10.00"))
    give(initiative, "10.00")
    services.process_deadlines(today=AFTER)
    assert Payment.objects.get().reference == ""  # the provider is asked after commit, or by a later run
    assert services.request_payments() == 1
    assert services.request_payments() == 0
    payment = Payment.objects.get()
    with pytest.raises(PermissionDenied):
        services.mark_payment_paid(actor=resident, payment=payment)
    paid = services.mark_payment_paid(actor=staff, payment=payment)
    assert (paid.status, paid.marked_paid_by) == (Payment.Status.PAID, staff)
    assert services.mark_payment_paid(actor=staff, payment=payment).paid_at == paid.paid_at
    refunded = services.refund_payment(actor=staff, payment=payment)
    assert refunded.status == Payment.Status.REFUNDED


def test_staff_create_fund_and_top_up(staff, resident, kern):
    with pytest.raises(PermissionDenied):
        services.create_match_fund(actor=resident, name="X", budget="100", cap_per_initiative="10")
    with pytest.raises(InitiativeError):
        services.create_match_fund(actor=staff, name="X", budget="-100", cap_per_initiative="10")
    fund = services.create_match_fund(actor=staff, name="Dorpsfonds", budget="1000.00", cap_per_initiative="250",
                                      kern=kern)
    assert fund.balance == Decimal("1000.00")
    services.add_to_budget(actor=staff, fund=fund, amount="500")
    assert (fund.budget, fund.balance) == (Decimal("1500.00"), Decimal("1500.00"))


def test_support_and_follow_and_update(make_initiative, resident, initiator, django_capture_on_commit_callbacks):
    from community.models import Notification

    initiative = make_initiative(Status.PUBLISHED, goal=None)
    services.support(user=resident, initiative=initiative)
    services.support(user=resident, initiative=initiative)
    assert initiative.supports.count() == 1 and initiative.follows.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.post_update(actor=initiator, initiative=initiative, title="Eerste schop",
                             body="<p>We zijn begonnen!</p><script>x()</script>")
    assert initiative.updates.get().body == "<p>We zijn begonnen!</p>"
    assert Notification.objects.filter(recipient=resident).count() == 1
    with pytest.raises(PermissionDenied):
        services.post_update(actor=resident, initiative=initiative, title="Hallo", body="x")
    services.unsupport(user=resident, initiative=initiative)
    services.unfollow(user=resident, initiative=initiative)
    assert not initiative.supports.exists() and not initiative.follows.exists()
