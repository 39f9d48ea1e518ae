"""What each guard of the letter codes, paper ballots and results services is for, one test per guard: limits
at their boundary, who may, what is logged, what is kept apart per box."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.pagecache import generation
from tests.factories import StaffFactory, UserFactory
from tests.factories_voting import BallotBoxFactory, BudgetFactory, ProjectFactory
from tests.voting.app.hallkit import issue, letter_budget, open_budget
from voting.models import Ballot, BallotBox, CodeEvent, PaperSheet, ProjectState, VotingCode
from voting.rules import has_voted_in
from voting.services._common import VotingError
from voting.services.casting import cast_ballot
from voting.services.codes import MAX_ADDRESSEES, read_address_list, reissue_code, revoke_code
from voting.services.paper import MAX_SHEET_NUMBER, enter_paper_ballot, hand_out_paper_ballot, settle_paper_ballot
from voting.services.results import PollTally, publish_result

pytestmark = pytest.mark.django_db

HEADER = "naam;straat;postcode;woonplaats\n"


def refused(call, **kwargs) -> VotingError:
    with pytest.raises(VotingError) as error:
        call(**kwargs)
    return error.value


# The address list ------------------------------------------------------------------------------------------

def test_a_postcode_is_four_digits_then_two_letters():
    assert refused(read_address_list, data=(HEADER + "A;B;42411A;Arkel\n").encode()).code == "row"


def test_names_streets_and_towns_at_their_longest():
    longest = f"{'N' * 200};{'S' * 200};4241AA;{'W' * 80}\n"
    [person] = read_address_list((HEADER + longest).encode())
    assert (len(person.name), len(person.street), len(person.town)) == (200, 200, 80)
    assert refused(read_address_list, data=(HEADER + f"A;B;4241AA;{'W' * 81}\n").encode()).code == "row"


def test_exactly_fifty_thousand_addressees_are_read():
    rows = "".join(f"N{n};Dijk {n};4241AA;Arkel\n" for n in range(MAX_ADDRESSEES))
    assert len(read_address_list((HEADER + rows).encode())) == MAX_ADDRESSEES == 50_000


# Codes: issued in one transaction, revoked and re-issued with a log ---------------------------------------------

def test_codes_and_their_log_are_written_together(kern, staff, monkeypatch):
    budget = letter_budget(kern)

    def fail(**kwargs):
        raise RuntimeError("the log could not be written")

    monkeypatch.setattr(CodeEvent.objects, "create", fail)
    with pytest.raises(RuntimeError):
        issue(staff, budget.box, n=3)
    assert not VotingCode.objects.exists()


def test_a_reason_is_kept_up_to_300_characters(kern, staff):
    budget = letter_budget(kern)
    first, second = issue(staff, budget.box, n=2)
    revoke_code(actor=staff, code=first.code, reason="R" * 400)
    reissue_code(actor=staff, code=second.code, reason="Q" * 400)
    reasons = dict(CodeEvent.objects.exclude(reason="").values_list("action", "reason"))
    assert reasons == {CodeEvent.Action.REVOKED: "R" * 300, CodeEvent.Action.REISSUED: "Q" * 300}


def test_only_staff_reissue_a_code_that_was_revoked_already(kern, staff, council_member):
    budget = letter_budget(kern)
    [letter] = issue(staff, budget.box)
    revoke_code(actor=staff, code=letter.code, reason="Brief kwijt")
    with pytest.raises(PermissionDenied):
        reissue_code(actor=council_member, code=letter.code, reason="Nieuwe brief")
    assert VotingCode.objects.count() == 1


def test_a_used_code_gets_no_new_one_and_says_so(kern, staff):
    budget = letter_budget(kern)
    [letter] = issue(staff, budget.box)
    cast_ballot(actor=UserFactory(), box=budget.box, choices=[budget.p1.pk], code=letter.plain_code)
    error = refused(reissue_code, actor=staff, code=letter.code, reason="Nieuwe brief")
    assert error.code == "used" and str(error.message) == "Met deze code is al gestemd. Een nieuwe code kan niet."


def test_a_new_code_goes_to_the_same_address_and_is_logged_with_who_did_it(kern, staff):
    budget = letter_budget(kern)
    [letter] = issue(staff, budget.box)
    fresh = reissue_code(actor=staff, code=letter.code, reason="Brief kwijt").code
    old = VotingCode.objects.get(pk=letter.code.pk)
    assert (fresh.addressee, fresh.street, fresh.postcode, fresh.town) == (old.addressee, old.street, old.postcode,
                                                                           old.town)
    event = CodeEvent.objects.get(action=CodeEvent.Action.REISSUED)
    assert (event.code, event.actor) == (fresh, staff)


# Paper ballots ----------------------------------------------------------------------------------------------

@pytest.fixture
def budget(kern):
    return open_budget(kern)


def test_handing_in_a_used_letter_says_the_code_was_used(kern, staff):
    by_letter = letter_budget(kern)
    [letter] = issue(staff, by_letter.box)
    hand_out_paper_ballot(actor=staff, box=by_letter.box, code=letter.plain_code)
    error = refused(hand_out_paper_ballot, actor=staff, box=by_letter.box, code=letter.plain_code)
    assert str(error.message) == "Met deze stemcode is al gestemd."


def test_a_resident_handed_a_paper_ballot_is_known_to_have_voted_at_once(budget, resident, staff):
    assert not has_voted_in(resident, budget.box)
    hand_out_paper_ballot(actor=staff, box=budget.box, voter=resident)
    assert has_voted_in(resident, budget.box)


def test_sheet_numbers_from_one_to_the_highest(budget, staff):
    for _ in range(2):
        hand_out_paper_ballot(actor=staff, box=budget.box, voter=UserFactory(kern=budget.box.kern))
    for number in (1, MAX_SHEET_NUMBER):
        enter_paper_ballot(actor=staff, box=budget.box, number=number, choices=[budget.p1.pk])
    assert sorted(PaperSheet.objects.values_list("number", flat=True)) == [1, MAX_SHEET_NUMBER]


def test_each_box_counts_its_own_sheets_against_its_own_paper_register(budget, kern, staff):
    other = BudgetFactory(box=BallotBoxFactory(kern=kern), amount=10_000)
    other_project = ProjectFactory(budget=other, cost=1_000)
    hand_out_paper_ballot(actor=staff, box=other.box, voter=UserFactory(kern=kern))
    hand_out_paper_ballot(actor=staff, box=other.box, voter=UserFactory(kern=kern))
    enter_paper_ballot(actor=staff, box=other.box, number=1, choices=[other_project.pk])
    cast_ballot(actor=UserFactory(kern=kern), box=budget.box, choices=[budget.p1.pk])  # online: not on paper
    error = refused(enter_paper_ballot, actor=staff, box=budget.box, number=1, choices=[budget.p1.pk])
    assert error.code == "more_than_handed_out"  # the other box's paper register does not count here
    hand_out_paper_ballot(actor=staff, box=budget.box, voter=UserFactory(kern=kern))
    sheet = enter_paper_ballot(actor=staff, box=budget.box, number=1, choices=[budget.p1.pk])
    assert sheet.state == PaperSheet.State.WAITING and sheet.first_by == staff  # not the other box's sheet 1
    # one sheet here, one there: the other box's sheet does not use up this box's one paper ballot
    assert PaperSheet.objects.filter(box=budget.box).count() == 1


def test_only_staff_settle_a_flagged_sheet(budget, council_member):
    anna, bert, cor = (StaffFactory() for _ in range(3))
    for _ in range(2):
        hand_out_paper_ballot(actor=anna, box=budget.box, voter=UserFactory(kern=budget.box.kern))
    enter_paper_ballot(actor=anna, box=budget.box, number=6, choices=[budget.p1.pk])  # another sheet, waiting
    enter_paper_ballot(actor=anna, box=budget.box, number=7, choices=[budget.p1.pk])
    sheet = enter_paper_ballot(actor=bert, box=budget.box, number=7, choices=[budget.p2.pk])
    assert sheet.state == PaperSheet.State.MISMATCH
    for who in (council_member, UserFactory(kern=budget.box.kern)):
        with pytest.raises(PermissionDenied):
            settle_paper_ballot(actor=who, sheet=sheet, choices=[budget.p1.pk])
    assert not Ballot.objects.exists()
    settle_paper_ballot(actor=cor, sheet=sheet, choices=[budget.p1.pk])
    assert Ballot.objects.get().choices == {str(budget.p1.pk): 1}


# Results ---------------------------------------------------------------------------------------------------

def test_a_share_of_no_ballots_is_nothing():
    assert PollTally(ballots=0, counts={}).share("1") == 0


def test_a_project_that_is_not_feasible_is_not_counted(budget, staff):
    cheap = ProjectFactory(budget=budget, cost=10, state=ProjectState.NOT_FEASIBLE)
    cast_ballot(actor=UserFactory(kern=budget.box.kern), box=budget.box, choices=[budget.p1.pk])
    BallotBox.objects.filter(pk=budget.box.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    box = BallotBox.objects.select_related("budget", "poll").get(pk=budget.box.pk)
    result = publish_result(actor=staff, box=box)
    assert str(cheap.pk) not in result["selected"]
    assert str(cheap.pk) not in {item["project"] for item in result["explanations"]}


def test_a_published_result_shows_at_once_on_kept_pages(client, budget, staff, settings,
                                                        django_capture_on_commit_callbacks):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    BallotBox.objects.filter(pk=budget.box.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    before = generation()
    box = BallotBox.objects.select_related("budget", "poll").get(pk=budget.box.pk)
    with django_capture_on_commit_callbacks(execute=True):
        publish_result(actor=staff, box=box)
    assert generation() != before


def test_a_code_that_is_not_text_reads_as_no_code(kern):
    from voting.services._common import hash_secret, normalise

    assert normalise(12345) == normalise(None) == "" and hash_secret(["A"]) == hash_secret("")
    budget = letter_budget(kern)
    assert refused(cast_ballot, actor=UserFactory(), box=budget.box, choices=[budget.p1.pk], code=12345).code \
        == "code_invalid"


def test_a_counted_paper_ballot_shows_at_once_on_kept_pages(budget, settings, django_capture_on_commit_callbacks):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    anna, bert, cor = (StaffFactory() for _ in range(3))
    for _ in range(2):
        hand_out_paper_ballot(actor=anna, box=budget.box, voter=UserFactory(kern=budget.box.kern))
    for number, second in ((1, budget.p1), (2, budget.p2)):
        enter_paper_ballot(actor=anna, box=budget.box, number=number, choices=[budget.p1.pk])
        before = generation()
        with django_capture_on_commit_callbacks(execute=True):
            sheet = enter_paper_ballot(actor=bert, box=budget.box, number=number, choices=[second.pk])
        assert (generation() != before) == (sheet.state == PaperSheet.State.COUNTED)
    before = generation()
    with django_capture_on_commit_callbacks(execute=True):
        settle_paper_ballot(actor=cor, sheet=sheet, choices=[budget.p2.pk])
    assert generation() != before and Ballot.objects.count() == 2
