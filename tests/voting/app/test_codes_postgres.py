"""One letter code, many requests at the same moment, on PostgreSQL: exactly one ballot, whatever the channel."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from tests.factories import StaffFactory, UserFactory
from tests.services import require_service
from tests.threads import Other, finish, in_threads, wait_for
from tests.voting.app.hallkit import issue, letter_budget
from voting.models import Ballot, Turnout, VotingCode
from voting.services._common import VotingError
from voting.services.casting import cast_ballot
from voting.services.codes import revoke_code
from voting.services.paper import hand_out_paper_ballot

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PARALLEL = 20


@pytest.fixture(autouse=True)
def _postgres():
    require_service("PostgreSQL", connection.vendor == "postgresql", "Set DATABASE_URL to a PostgreSQL database.")


def test_one_code_used_by_20_parallel_ballots_gives_one_ballot(kern):
    staff = StaffFactory()
    budget = letter_budget(kern)
    [letter] = issue(staff, budget.box)
    voters = [UserFactory() for _ in range(PARALLEL)]

    def vote(n):
        try:
            cast_ballot(actor=voters[n], box=budget.box, choices=[budget.p1.pk], code=letter.plain_code,
                        idempotency_key=f"phone-{n}")
            return "counted"
        except VotingError as error:
            return error.code

    outcomes = in_threads(vote, range(PARALLEL))
    assert outcomes.count("counted") == 1
    assert set(outcomes) == {"counted", "already_voted"}
    assert Ballot.objects.count() == 1 and Turnout.objects.count() == 1


def test_20_parallel_requests_at_the_counter_and_online_with_one_code_give_one_ballot(kern):
    budget = letter_budget(kern)
    helpers = [StaffFactory() for _ in range(PARALLEL // 2)]
    [letter] = issue(helpers[0], budget.box)
    clients = []
    for n in range(PARALLEL):
        client = Client()
        if n % 2:  # half are residents online, half staff at the counter (on paper or helping)
            client.post(reverse("voting:enter_code"), {"code": letter.plain_code})
        else:
            client.force_login(helpers[n // 2])
            if n % 4 == 0:
                client.post(reverse("voting:counter", args=[budget.box.pk]),
                            {"code": letter.plain_code, "action": "assist"})
        clients.append(client)

    def request(n):
        client = clients[n]
        if n % 2:
            summary = reverse("voting:ballot_summary", args=[budget.slug])
            return client.post(summary, {"key": f"k{n}", "choice": f"{budget.p1.pk}:1"}).status_code
        if n % 4 == 0:
            return client.post(reverse("voting:counter_ballot", args=[budget.box.pk]),
                               {"project": [budget.p1.pk], "key": f"k{n}", "action": "cast"}).status_code
        return client.post(reverse("voting:counter", args=[budget.box.pk]),
                           {"code": letter.plain_code, "action": "paper"}).status_code

    statuses = in_threads(request, range(PARALLEL))
    assert all(status < 500 for status in statuses), statuses
    assert Turnout.objects.count() == 1
    turnout = Turnout.objects.get()
    assert Ballot.objects.count() == (0 if turnout.channel == "paper" else 1)


def test_handing_out_paper_for_one_code_20_times_at_once_registers_once(kern):
    staff = StaffFactory()
    budget = letter_budget(kern)
    [letter] = issue(staff, budget.box)

    def hand_out(_n):
        try:
            hand_out_paper_ballot(actor=staff, box=budget.box, code=letter.plain_code)
            return "handed out"
        except VotingError as error:
            return error.code

    outcomes = in_threads(hand_out, range(PARALLEL))
    assert outcomes.count("handed out") == 1 and Turnout.objects.count() == 1


def test_a_code_revoked_while_its_ballot_waits_does_not_vote(kern):
    """The ballot reads its code under the code's lock, as revoking does: a ballot that arrives while staff
    revoke the code waits, then finds the code revoked. Without the lock it would read the code as valid and
    vote with a code the register calls revoked (which staff could then re-issue: a second ballot)."""
    staff = StaffFactory()
    budget = letter_budget(kern)
    [letter] = issue(staff, budget.box)
    with transaction.atomic():
        VotingCode.objects.select_for_update().get(pk=letter.code.pk)  # staff are revoking it
        other = Other(lambda: cast_ballot(actor=AnonymousUser(), box=budget.box, choices=[budget.p1.pk],
                                          code=letter.plain_code, idempotency_key="phone"))
        assert wait_for(other)
        revoke_code(actor=staff, code=letter.code, reason="Brief gestolen uit de brievenbus")
    finish(other)
    assert isinstance(other.error, VotingError) and other.error.code == "code_invalid"
    assert not Ballot.objects.exists() and not Turnout.objects.exists()
