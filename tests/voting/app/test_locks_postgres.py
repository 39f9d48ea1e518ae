"""Every lock of the village hall's services, on PostgreSQL: the test holds the lock in its own connection, makes
the change another request races with, and lets that request wait for it (tests.threads). Each test fails
without the lock it is named after; nothing is timed."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from tests.factories import StaffFactory, UserFactory
from tests.services import require_service
from tests.threads import Other, finish, wait_for
from tests.voting.app.hallkit import issue, letter_budget, open_budget
from voting.models import Ballot, BallotBox, PaperSheet, Turnout, VotingCode
from voting.services._common import VotingError, lock_box
from voting.services.casting import cast_ballot
from voting.services.codes import reissue_code, revoke_code
from voting.services.paper import enter_paper_ballot, hand_out_paper_ballot, settle_paper_ballot
from voting.services.results import publish_result

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres():
    require_service("PostgreSQL", connection.vendor == "postgresql", "Set DATABASE_URL to a PostgreSQL database.")


def refusal(other: Other) -> str:
    finish(other)
    assert isinstance(other.error, VotingError), other.error or other.result
    return other.error.code


def test_a_code_is_not_revoked_while_it_is_used(kern):
    """Revoking reads the code under its lock: a ballot cast meanwhile makes it a used code, which stays."""
    staff = StaffFactory()
    budget = letter_budget(kern)
    [letter] = issue(staff, budget.box)
    with transaction.atomic():
        VotingCode.objects.select_for_update().get(pk=letter.code.pk)  # the ballot is being cast
        other = Other(lambda: revoke_code(actor=staff, code=letter.code, reason="Brief kwijt"))
        assert wait_for(other)
        Turnout.objects.create(box=budget.box, code=letter.code, channel="code")
        Ballot.objects.create(box=budget.box, choices={str(budget.p1.pk): 1})
    assert refusal(other) == "used"
    assert VotingCode.objects.get(pk=letter.code.pk).revoked_at is None


def test_a_code_is_reissued_once_when_two_colleagues_do_it_at_once(kern):
    staff, colleague = StaffFactory(), StaffFactory()
    budget = letter_budget(kern)
    [letter] = issue(staff, budget.box)
    with transaction.atomic():
        VotingCode.objects.select_for_update().get(pk=letter.code.pk)
        other = Other(lambda: reissue_code(actor=colleague, code=letter.code, reason="Brief kwijt"))
        assert wait_for(other)
        reissue_code(actor=staff, code=VotingCode.objects.get(pk=letter.code.pk), reason="Brief kwijt")
    assert refusal(other) == "reissued"
    assert VotingCode.objects.filter(replaces=letter.code).count() == 1


def test_a_letter_revoked_while_it_is_handed_in_gives_no_paper_ballot(kern):
    staff = StaffFactory()
    budget = letter_budget(kern)
    [letter] = issue(staff, budget.box)
    with transaction.atomic():
        VotingCode.objects.select_for_update().get(pk=letter.code.pk)
        other = Other(lambda: hand_out_paper_ballot(actor=staff, box=budget.box, code=letter.plain_code))
        assert wait_for(other)
        revoke_code(actor=staff, code=letter.code, reason="Brief gestolen")
    assert refusal(other) == "code_invalid"
    assert not Turnout.objects.exists()


def test_paper_entries_of_one_box_wait_for_each_other(kern):
    """One paper ballot handed out, two new sheet numbers entered at once: the second sees the first."""
    anna, bert = StaffFactory(), StaffFactory()
    budget = open_budget(kern)
    hand_out_paper_ballot(actor=anna, box=budget.box, voter=UserFactory(kern=kern))
    with transaction.atomic():
        lock_box(budget.box)  # Anna's entry of sheet 1 holds the box
        other = Other(lambda: enter_paper_ballot(actor=bert, box=budget.box, number=2, choices=[budget.p2.pk]))
        assert wait_for(other)
        enter_paper_ballot(actor=anna, box=budget.box, number=1, choices=[budget.p1.pk])
    assert refusal(other) == "more_than_handed_out"
    assert PaperSheet.objects.count() == 1


def test_a_flagged_sheet_is_settled_once_when_two_colleagues_do_it_at_once(kern):
    anna, bert, cor, dirk = (StaffFactory() for _ in range(4))
    budget = open_budget(kern)
    hand_out_paper_ballot(actor=anna, box=budget.box, voter=UserFactory(kern=kern))
    enter_paper_ballot(actor=anna, box=budget.box, number=1, choices=[budget.p1.pk])
    sheet = enter_paper_ballot(actor=bert, box=budget.box, number=1, choices=[budget.p2.pk])
    with transaction.atomic():
        lock_box(budget.box)
        other = Other(lambda: settle_paper_ballot(actor=dirk, sheet=sheet, choices=[budget.p2.pk]))
        assert wait_for(other)
        settle_paper_ballot(actor=cor, sheet=sheet, choices=[budget.p1.pk])
    assert refusal(other) == "not_mismatch"
    assert list(Ballot.objects.values_list("choices", flat=True)) == [{str(budget.p1.pk): 1}]


def test_a_result_is_published_once_when_two_colleagues_do_it_at_once(kern):
    staff, colleague = StaffFactory(), StaffFactory()
    budget = open_budget(kern)
    cast_ballot(actor=UserFactory(kern=kern), box=budget.box, choices=[budget.p1.pk])
    BallotBox.objects.filter(pk=budget.box.pk).update(closes_at=timezone.now() - timedelta(minutes=1))

    def box():
        return BallotBox.objects.select_related("budget", "poll").get(pk=budget.box.pk)

    with transaction.atomic():
        lock_box(budget.box)
        other = Other(lambda: publish_result(actor=colleague, box=box()))
        assert wait_for(other)
        published = publish_result(actor=staff, box=box())
    assert refusal(other) == "published"
    assert box().seed == published["seed"]

