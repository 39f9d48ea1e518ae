"""The village hall's paper ballots: handed out against the register, entered twice, counted only when equal."""

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import StaffFactory, UserFactory
from tests.factories_voting import BallotBoxFactory, BudgetFactory, ProjectFactory
from voting.models import Ballot, Channel, PaperSheet, Turnout, WhoMayVote
from voting.services._common import VotingError
from voting.services.codes import Addressee, issue_codes
from voting.services.paper import enter_paper_ballot, hand_out_paper_ballot, settle_paper_ballot

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget(kern):
    budget = BudgetFactory(box=BallotBoxFactory(kern=kern), amount=10_000)
    budget.p1, budget.p2 = ProjectFactory(budget=budget, cost=4_000), ProjectFactory(budget=budget, cost=5_000)
    return budget


@pytest.fixture
def colleagues(db):
    return StaffFactory(first_name="Anna"), StaffFactory(first_name="Bert"), StaffFactory(first_name="Cor")


def hand_out(budget, staff, n):
    for _ in range(n):
        hand_out_paper_ballot(actor=staff, box=budget.box, voter=UserFactory(kern=budget.box.kern))


class TestHandingOut:
    def test_a_resident_with_an_account_is_registered_on_paper(self, budget, resident, staff):
        turnout = hand_out_paper_ballot(actor=staff, box=budget.box, voter=resident)
        assert (turnout.channel, turnout.voter, turnout.registered_by) == (Channel.PAPER, resident, staff)
        assert Ballot.objects.count() == 0  # the paper ballot is counted when it is entered
        with pytest.raises(Exception, match="al gestemd"):
            hand_out_paper_ballot(actor=staff, box=budget.box, voter=resident)
        from voting.services.casting import cast_ballot

        with pytest.raises(Exception, match="al gestemd"):
            cast_ballot(actor=resident, box=budget.box, choices=[budget.p1.pk])
        assert Turnout.objects.count() == 1

    def test_a_letter_is_handed_in(self, kern, staff):
        budget = BudgetFactory(box=BallotBoxFactory(kern=kern, who_may_vote=WhoMayVote.LETTER))
        letter = issue_codes(actor=staff, box=budget.box,
                             addressees=[Addressee("B. Bakker", "Kerkstraat 2", "4241 AB", "Arkel")])[0]
        turnout = hand_out_paper_ballot(actor=staff, box=budget.box, code=letter.plain_code)
        assert (turnout.code, turnout.voter) == (letter.code, None)
        with pytest.raises(Exception, match="al gestemd"):
            hand_out_paper_ballot(actor=staff, box=budget.box, code=letter.plain_code)

    def test_one_of_code_or_resident(self, budget, resident, staff):
        for kwargs in ({}, {"code": "X", "voter": resident}):
            with pytest.raises(Exception, match="stemcode"):
                hand_out_paper_ballot(actor=staff, box=budget.box, **kwargs)
        assert Turnout.objects.count() == 0

    def test_only_staff_and_only_for_who_may_vote(self, budget, resident, council_member, staff, other_kern):
        with pytest.raises(PermissionDenied):
            hand_out_paper_ballot(actor=council_member, box=budget.box, voter=resident)
        with pytest.raises(PermissionDenied):
            hand_out_paper_ballot(actor=staff, box=budget.box, voter=UserFactory(kern=other_kern))
        assert Turnout.objects.count() == 0

    def test_not_after_the_close(self, kern, resident, staff):
        budget = BudgetFactory(box=BallotBoxFactory(kern=kern, closed=True))
        with pytest.raises(PermissionDenied):
            hand_out_paper_ballot(actor=staff, box=budget.box, voter=resident)


class TestEntering:
    def test_two_equal_entries_count_the_ballot(self, budget, colleagues):
        anna, bert, _cor = colleagues
        hand_out(budget, anna, 1)
        sheet = enter_paper_ballot(actor=anna, box=budget.box, number=" 7 ", choices=[budget.p1.pk])
        assert (sheet.number, sheet.state, Ballot.objects.count()) == (7, PaperSheet.State.WAITING, 0)
        sheet = enter_paper_ballot(actor=bert, box=budget.box, number=7, choices=[budget.p1.pk])
        assert sheet.state == PaperSheet.State.COUNTED
        ballot = Ballot.objects.get()
        assert ballot.choices == {str(budget.p1.pk): 1} and ballot.receipt_hash is None
        with pytest.raises(Exception, match="al twee keer"):
            enter_paper_ballot(actor=_cor, box=budget.box, number=7, choices=[budget.p1.pk])
        assert Ballot.objects.count() == 1

    def test_the_second_entry_is_by_someone_else(self, budget, colleagues):
        anna = colleagues[0]
        hand_out(budget, anna, 1)
        enter_paper_ballot(actor=anna, box=budget.box, number=1, choices=[budget.p1.pk])
        with pytest.raises(Exception, match="collega") as refused:
            enter_paper_ballot(actor=anna, box=budget.box, number=1, choices=[budget.p1.pk])
        assert refused.value.code == "same_person"
        assert PaperSheet.objects.get().state == PaperSheet.State.WAITING and Ballot.objects.count() == 0

    def test_a_mismatch_is_flagged_and_settled_by_a_third_colleague(self, budget, colleagues):
        anna, bert, cor = colleagues
        hand_out(budget, anna, 1)
        enter_paper_ballot(actor=anna, box=budget.box, number=3, choices=[budget.p1.pk])
        sheet = enter_paper_ballot(actor=bert, box=budget.box, number=3, choices=[budget.p2.pk])
        assert sheet.state == PaperSheet.State.MISMATCH and Ballot.objects.count() == 0
        for person in (anna, bert):
            with pytest.raises(Exception, match="derde collega"):
                settle_paper_ballot(actor=person, sheet=sheet, choices=[budget.p2.pk])
        sheet = settle_paper_ballot(actor=cor, sheet=sheet, choices=[budget.p2.pk])
        assert (sheet.state, sheet.settled_by) == (PaperSheet.State.COUNTED, cor)
        assert Ballot.objects.get().choices == {str(budget.p2.pk): 1}
        with pytest.raises(Exception, match="verschil"):
            settle_paper_ballot(actor=cor, sheet=sheet, choices=[budget.p2.pk])
        assert Ballot.objects.count() == 1

    def test_a_spoiled_paper_ballot_is_not_counted(self, budget, colleagues):
        anna, bert, cor = colleagues
        hand_out(budget, anna, 1)
        enter_paper_ballot(actor=anna, box=budget.box, number=4, choices=[budget.p1.pk])
        sheet = enter_paper_ballot(actor=bert, box=budget.box, number=4, choices=[budget.p2.pk])
        assert settle_paper_ballot(actor=cor, sheet=sheet, spoiled=True).state == PaperSheet.State.SPOILED
        assert Ballot.objects.count() == 0

    def test_never_more_paper_ballots_than_were_handed_out(self, budget, colleagues):
        anna = colleagues[0]
        hand_out(budget, anna, 2)
        enter_paper_ballot(actor=anna, box=budget.box, number=1, choices=[budget.p1.pk])
        enter_paper_ballot(actor=anna, box=budget.box, number=2, choices=[budget.p1.pk])
        with pytest.raises(Exception) as refused:
            enter_paper_ballot(actor=anna, box=budget.box, number=3, choices=[budget.p1.pk])
        assert refused.value.code == "more_than_handed_out"
        assert PaperSheet.objects.count() == 2

    @pytest.mark.parametrize("number", ["", "abc", 0, -1, 1_000_001, None, "1.5"])
    def test_bad_sheet_numbers(self, budget, colleagues, number):
        hand_out(budget, colleagues[0], 1)
        with pytest.raises(Exception) as refused:
            enter_paper_ballot(actor=colleagues[0], box=budget.box, number=number, choices=[budget.p1.pk])
        assert refused.value.code == "number"
        assert PaperSheet.objects.count() == 0

    def test_bad_choices_follow_the_ballots_rules(self, budget, colleagues):
        hand_out(budget, colleagues[0], 1)
        for choices in ([budget.p1.pk, budget.p2.pk, ProjectFactory(budget=budget, cost=2_000).pk], [999], "x"):
            with pytest.raises(VotingError):
                enter_paper_ballot(actor=colleagues[0], box=budget.box, number=1, choices=choices)
        assert PaperSheet.objects.count() == 0

    def test_only_staff_and_not_after_the_result(self, budget, colleagues, council_member):
        from datetime import timedelta

        from django.utils import timezone

        hand_out(budget, colleagues[0], 1)
        with pytest.raises(PermissionDenied):
            enter_paper_ballot(actor=council_member, box=budget.box, number=1, choices=[budget.p1.pk])
        budget.box.closes_at = timezone.now() - timedelta(minutes=1)
        budget.box.result_published_at = timezone.now()
        budget.box.save()
        with pytest.raises(PermissionDenied):
            enter_paper_ballot(actor=colleagues[0], box=budget.box, number=1, choices=[budget.p1.pk])
        assert PaperSheet.objects.count() == 0

    def test_paper_entered_after_the_close_until_the_result(self, budget, colleagues):
        from datetime import timedelta

        from django.utils import timezone

        anna, bert, _ = colleagues
        hand_out(budget, anna, 1)
        budget.box.closes_at = timezone.now() - timedelta(minutes=1)
        budget.box.save()
        enter_paper_ballot(actor=anna, box=budget.box, number=1, choices=[budget.p1.pk])
        enter_paper_ballot(actor=bert, box=budget.box, number=1, choices=[budget.p1.pk])
        assert Ballot.objects.count() == 1
