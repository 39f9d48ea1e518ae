"""Match funding is for people, not for pledges (docs/decisions/0012-match-funding-for-people.md).

A fund matches each person at most ``cap_per_person`` per initiative, never past what the goal still needs;
one person's money pledges to one initiative add up to at most the goal; counts shown are people.
"""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.errors import Overloaded
from initiatives import selectors, services
from initiatives.models import MatchFund, MatchReservation, Pledge, Status
from initiatives.services import pledges as pledge_service
from initiatives.services.errors import PledgeRefused, PossibleDuplicate
from tests.factories import UserFactory
from tests.factories_initiatives import MatchFundFactory

pytestmark = pytest.mark.django_db

D = Decimal


def give(initiative, amount, user, key=None, **kwargs):
    return services.pledge(pledger=user, initiative=initiative, kind="money", amount=amount,
                           idempotency_key=key or f"k-{user.pk}-{amount}-{Pledge.objects.count()}", **kwargs)


def held(initiative):
    return sum(MatchReservation.objects.filter(initiative=initiative, status__in=("reserved", "committed"))
               .values_list("amount", flat=True), D("0"))


def test_the_issue_one_resident_cannot_take_the_fund_in_one_click(make_initiative, kern, resident):
    """Seen: € 10.000 twice to a goal of € 2.200, both accepted, the match jumped to the fund's cap."""
    initiative = make_initiative(Status.FUNDING, goal=D("2200.00"))
    fund = MatchFundFactory(kern=kern, cap_per_initiative=D("1000.00"), cap_per_person=D("250.00"))
    with pytest.raises(PledgeRefused) as refused:
        give(initiative, "10000", resident)
    assert "2.200,00" in refused.value.messages[0] and "hoogstens €\xa02.200,00" in refused.value.messages[0]
    assert not Pledge.objects.exists()
    result = give(initiative, "2200", resident)
    assert result.created and result.matched == D("0.00") and result.goal_met  # the pledge alone meets the goal
    with pytest.raises(PledgeRefused) as again:
        give(initiative, "1", resident)
    assert "hele doel" in again.value.messages[0]
    fund.refresh_from_db()
    assert fund.balance == fund.budget


def test_one_person_is_matched_up_to_the_cap_per_person(make_initiative, kern, resident):
    initiative = make_initiative(Status.FUNDING, goal=D("5000.00"))
    MatchFundFactory(kern=kern, cap_per_initiative=D("1000.00"), cap_per_person=D("100.00"))
    assert give(initiative, "80", resident).matched == D("80.00")
    assert give(initiative, "80", resident, confirm_repeat=True).matched == D("20.00")
    assert give(initiative, "50", resident).matched == D("0.00")
    other = UserFactory(kern=kern)
    assert give(initiative, "150", other).matched == D("100.00")  # another person has their own cap
    assert held(initiative) == D("200.00")


def test_withdrawing_frees_the_persons_room_again(make_initiative, kern, resident):
    initiative = make_initiative(Status.FUNDING, goal=D("5000.00"))
    MatchFundFactory(kern=kern, cap_per_person=D("100.00"))
    first = give(initiative, "100", resident).pledge
    services.cancel_pledge(actor=resident, pledge=first)
    assert give(initiative, "60", resident).matched == D("60.00")
    assert held(initiative) == D("60.00")


def test_matching_never_takes_an_initiative_past_its_goal(make_initiative, kern):
    initiative = make_initiative(Status.FUNDING, goal=D("300.00"))
    MatchFundFactory(kern=kern, cap_per_initiative=D("1000.00"), cap_per_person=D("250.00"))
    people = [UserFactory(kern=kern) for _ in range(3)]
    assert give(initiative, "100", people[0]).matched == D("100.00")  # 200 of 300
    assert give(initiative, "80", people[1]).matched == D("20.00")  # 280 + 20 = 300: only what is needed
    beyond = give(initiative, "50", people[2])  # beyond the goal: accepted, without matching
    assert beyond.created and beyond.matched == D("0.00") and beyond.goal_met
    progress = selectors.funding_progress(initiative)
    assert progress.matched == D("120.00") and progress.pledged == D("230.00")
    assert progress.matched + D("180.00") <= initiative.goal  # matching + the pledges it matched


def test_time_and_materials_are_not_limited_by_the_goal(make_initiative, resident):
    initiative = make_initiative(Status.FUNDING, goal=D("10.00"))
    give(initiative, "10", resident)
    services.pledge(pledger=resident, initiative=initiative, kind="time", hours=5, idempotency_key="t")
    assert Pledge.objects.count() == 2


def test_pledger_count_counts_people(make_initiative, kern, resident, client):
    initiative = make_initiative(Status.FUNDING, goal=D("5000.00"))
    give(initiative, "17", resident)
    give(initiative, "17", resident, confirm_repeat=True)
    services.pledge(pledger=resident, initiative=initiative, kind="time", hours=2, idempotency_key="t")
    annotated = selectors.with_totals(type(initiative).objects.filter(pk=initiative.pk)).get()
    assert annotated.pledger_count == 1
    assert selectors.pledge_summary(initiative).money_count == 1
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "1 persoon zegt toe" in page
    give(initiative, "5", UserFactory(kern=kern))
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "2 mensen zeggen toe" in page


# --- Second submissions ----------------------------------------------------------------------------


def test_same_pledge_again_with_a_new_key_asks_first(funding_initiative, resident):
    give(funding_initiative, "17", resident, key="first")
    with pytest.raises(PossibleDuplicate) as asked:
        give(funding_initiative, "17,00", resident, key="second")
    assert asked.value.code == "possible_duplicate"
    assert asked.value.messages == ["U heeft zojuist €\xa017,00 toegezegd. Nog een keer €\xa017,00?"]
    assert Pledge.objects.count() == 1
    assert give(funding_initiative, "18", resident, key="third").created  # another amount is not a repeat
    assert give(funding_initiative, "17", resident, key="second", confirm_repeat=True).created
    assert Pledge.objects.count() == 3


def test_the_same_pledge_after_ten_minutes_is_not_asked(funding_initiative, resident):
    first = give(funding_initiative, "17", resident, key="first").pledge
    Pledge.objects.filter(pk=first.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=11))
    assert give(funding_initiative, "17", resident, key="later").created


def test_web_back_and_submit_again_asks_then_confirms(client, funding_initiative, resident):
    client.force_login(resident)
    url = f"/initiatieven/{funding_initiative.pk}/toezeggen/"
    body = {"kind": "money", "amount": "17", "idempotency_key": "form-1"}
    assert client.post(url, body).status_code == 302
    assert client.post(url, body).status_code == 302  # the same form again: nothing new
    assert Pledge.objects.count() == 1
    fresh = {**body, "idempotency_key": "form-2"}  # reloaded form, new key
    response = client.post(url, fresh)
    page = response.content.decode()
    assert response.status_code == 200 and "U heeft zojuist €\xa017,00 toegezegd. Nog een keer €\xa017,00?" in page
    assert 'name="confirm_repeat"' in page and "Ja, nog een keer toezeggen" in page
    assert Pledge.objects.count() == 1
    assert client.post(url, {**fresh, "confirm_repeat": "True"}).status_code == 302
    assert Pledge.objects.count() == 2


def test_web_thanks_says_what_the_municipality_adds(client, make_initiative, kern, resident):
    initiative = make_initiative(Status.FUNDING, goal=D("100.00"))
    MatchFundFactory(kern=kern)
    client.force_login(resident)
    response = client.post(f"/initiatieven/{initiative.pk}/toezeggen/",
                           {"kind": "money", "amount": "40", "idempotency_key": "a"}, follow=True)
    assert "De gemeente legt er €\xa040,00 bij." in response.content.decode()
    other = UserFactory(kern=kern)
    client.force_login(other)
    response = client.post(f"/initiatieven/{initiative.pk}/toezeggen/",
                           {"kind": "money", "amount": "30", "idempotency_key": "b"}, follow=True)
    assert "Het doel is al bereikt" in response.content.decode()


def test_api_possible_duplicate_is_409_unless_confirmed(funding_initiative, resident):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(resident)
    url = f"/api/v1/initiatives/{funding_initiative.pk}/pledges/"
    assert client.post(url, {"kind": "money", "amount": "17"}, format="json",
                       HTTP_IDEMPOTENCY_KEY="a").status_code == 201
    again = client.post(url, {"kind": "money", "amount": "17"}, format="json", HTTP_IDEMPOTENCY_KEY="b")
    assert again.status_code == 409 and again.json()["code"] == "possible_duplicate"
    assert Pledge.objects.count() == 1
    confirmed = client.post(url, {"kind": "money", "amount": "17", "confirm_repeat": True}, format="json",
                            HTTP_IDEMPOTENCY_KEY="b")
    assert confirmed.status_code == 201 and Pledge.objects.count() == 2


# --- The guards the issue names ----------------------------------------------------------------------


def test_money_pledge_after_the_deadline_is_refused(make_initiative, resident):
    initiative = make_initiative(Status.FUNDING, deadline=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(PledgeRefused) as refused:
        give(initiative, "5", resident)
    assert refused.value.code == "deadline_passed"
    assert not Pledge.objects.exists()


def test_replay_after_funded_returns_the_first_pledge_without_waiting_for_the_lock(make_initiative, resident):
    initiative = make_initiative(Status.FUNDING, goal=D("10.00"))
    first = give(initiative, "10", resident, key="same").pledge
    services.process_deadlines(today=initiative.deadline + datetime.timedelta(days=1))
    initiative.refresh_from_db()
    assert initiative.status == Status.FUNDED
    with mock.patch.object(pledge_service, "lock_initiative", side_effect=AssertionError("no lock for a replay")):
        again = give(initiative, "10", resident, key="same")
    assert (again.pledge.pk, again.created) == (first.pk, False)


def test_replay_found_under_the_lock_when_a_parallel_request_got_there_first(make_initiative, resident):
    """The first look-up missed (the parallel request had not committed); the one under the lock finds it,
    although the initiative has meanwhile moved on to "funded"."""
    initiative = make_initiative(Status.FUNDING, goal=D("10.00"))
    real_lock = pledge_service.lock_initiative
    made = {}

    def parallel_request_commits_first(target):
        made["pledge"] = Pledge.objects.create(initiative=initiative, pledger=resident, kind="money",
                                               amount=D("10.00"), idempotency_key="same")
        type(initiative).objects.filter(pk=initiative.pk).update(status=Status.FUNDED)
        return real_lock(target)

    with mock.patch.object(pledge_service, "lock_initiative", side_effect=parallel_request_commits_first):
        again = give(initiative, "10", resident, key="same")
    assert (again.pledge.pk, again.created) == (made["pledge"].pk, False)


def test_a_lock_wait_that_times_out_is_overload_and_changes_nothing(funding_initiative, resident):
    with mock.patch.object(pledge_service, "lock_initiative",
                           side_effect=OperationalError("canceling statement due to lock timeout")), \
            mock.patch("initiatives.services.pledges.is_overload", return_value=True), \
            pytest.raises(Overloaded):
        give(funding_initiative, "5", resident)
    assert not Pledge.objects.exists()


def test_a_pledge_locks_one_fund_whatever_the_number_of_funds(make_initiative, kern, other_kern, resident):
    """Drained funds, funds of other kernen or themes, funds whose caps are used: skipped before locking."""
    initiative = make_initiative(Status.FUNDING, goal=D("5000.00"))

    def fund_queries(amount, user):
        with CaptureQueriesContext(connection) as queries:
            give(initiative, amount, user)
        sql = [q["sql"] for q in queries.captured_queries if "initiatives_matchfund" in q["sql"]]
        return len(sql), sum(1 for s in sql if "FOR UPDATE" in s)

    MatchFundFactory(kern=kern, name="z-used")
    baseline = fund_queries("5", UserFactory(kern=kern))
    for n in range(20):
        # More specific (kern and theme) than the fund with room, so they come first in the order of funds.
        MatchFundFactory(kern=kern, theme=initiative.theme, budget=D("10.00"), balance=D("0.00"),
                         name=f"a-drained-{n}")
        MatchFundFactory(kern=other_kern, name=f"a-other-{n}")
        MatchFundFactory(theme="cultuur", name=f"a-theme-{n}")
    full = MatchFundFactory(kern=kern, theme=initiative.theme, name="a-person-full", cap_per_person=D("5.00"))
    earlier = Pledge.objects.create(initiative=initiative, pledger=resident, kind="money", amount=D("7.00"),
                                    idempotency_key="earlier")
    MatchReservation.objects.create(fund=full, initiative=initiative, amount=D("5.00"), pledge=earlier)
    assert MatchFund.objects.count() == 62
    assert fund_queries("6", resident) == baseline
    if connection.vendor == "postgresql":
        assert baseline[1] == 1  # exactly one fund row locked
