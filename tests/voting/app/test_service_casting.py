"""Casting a ballot through the service: one per voter across channels, checked choices, nothing changed when
refused."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tests.factories import StaffFactory, UserFactory, VerifiedResidentFactory
from tests.factories_voting import BallotBoxFactory, BudgetFactory, PollFactory, ProjectFactory
from tests.voting.app.hallkit import open_budget
from voting.models import (
    Ballot,
    BallotDraft,
    BallotFormat,
    Channel,
    PollKind,
    ProjectState,
    PublicVote,
    Turnout,
    WhoMayVote,
)
from voting.services._common import VotingError
from voting.services.casting import Cast, cast_ballot, receipt_counted
from voting.services.codes import Addressee, issue_codes
from voting.services.drafts import change_draft

pytestmark = pytest.mark.django_db


def nothing_written():
    return Ballot.objects.count() == 0 and Turnout.objects.count() == 0


@pytest.fixture
def budget(kern):
    return open_budget(kern)


def test_a_ballot_is_cast_with_a_receipt_that_proves_it_is_counted(budget, resident):
    result = cast_ballot(actor=resident, box=budget.box, choices=[budget.p1.pk, budget.p2.pk], idempotency_key="a")
    assert isinstance(result, Cast) and not result.replayed
    assert len(result.receipt.replace("-", "")) == 16
    ballot = Ballot.objects.get()
    assert ballot.choices == {str(budget.p1.pk): 1, str(budget.p2.pk): 1}
    assert ballot.cast_on == timezone.localdate()
    turnout = Turnout.objects.get()
    assert (turnout.voter, turnout.code, turnout.channel) == (resident, None, Channel.WEB)
    assert receipt_counted(budget.box, result.receipt)
    assert receipt_counted(budget.box, result.receipt.lower().replace("-", " "))
    assert not receipt_counted(budget.box, "A" * 16)
    assert not receipt_counted(BallotBoxFactory(), result.receipt)  # another box does not hold it
    assert ballot.receipt_hash != result.receipt.replace("-", "")  # only the hash is kept


def test_the_same_key_again_is_told_counted_and_nothing_more_is_written(budget, resident):
    cast_ballot(actor=resident, box=budget.box, choices=[budget.p1.pk], idempotency_key="key-1")
    again = cast_ballot(actor=resident, box=budget.box, choices=[budget.p2.pk], idempotency_key="key-1")
    assert again == Cast(receipt=None, replayed=True)
    assert Ballot.objects.count() == 1 and Turnout.objects.count() == 1
    assert Ballot.objects.get().choices == {str(budget.p1.pk): 1}


@pytest.mark.parametrize("second_key", ["key-2", ""])
def test_a_second_ballot_is_refused(budget, resident, second_key):
    cast_ballot(actor=resident, box=budget.box, choices=[budget.p1.pk], idempotency_key="key-1")
    with pytest.raises(Exception, match="al gestemd") as refused:
        cast_ballot(actor=resident, box=budget.box, choices=[budget.p2.pk], idempotency_key=second_key)
    assert refused.value.code == "already_voted"
    assert Ballot.objects.count() == 1


def test_without_a_key_a_second_ballot_is_refused_too(budget, resident):
    cast_ballot(actor=resident, box=budget.box, choices=[budget.p1.pk])
    with pytest.raises(Exception, match="al gestemd"):
        cast_ballot(actor=resident, box=budget.box, choices=[budget.p1.pk])
    assert Ballot.objects.count() == 1


def test_casting_deletes_the_draft(budget, resident):
    change_draft(actor=resident, box=budget.box, key=budget.p1.pk, points=1)
    other = UserFactory(kern=budget.box.kern)
    change_draft(actor=other, box=budget.box, key=budget.p2.pk, points=1)
    cast_ballot(actor=resident, box=budget.box, choices=[budget.p1.pk])
    assert list(BallotDraft.objects.values_list("owner", flat=True)) == [f"user:{other.pk}"]


@pytest.mark.parametrize("choices, code", [
    ("p1,p2,p3", "over_budget"),  # 15,000 > 10,000
    ([], "required"),
    ("not-a-project", "unknown_choice"),
    ("other-budget", "unknown_choice"),
    ("not-feasible", "unknown_choice"),
    ({"p1": 2}, "invalid"),
    ({"p1": "x"}, "invalid"),
    ({"p1": -1}, "invalid"),
    ({"p1": True}, "invalid"),
    ("string", "invalid"),
    (None, "invalid"),
    (["p1", "p1"], "duplicate"),
    (list(range(300)), "too_many"),
])
def test_bad_choices_are_refused_and_nothing_is_written(budget, resident, choices, code):
    ids = {"p1": budget.p1.pk, "p2": budget.p2.pk, "p3": budget.p3.pk}
    other_project = ProjectFactory()
    not_feasible = ProjectFactory(budget=budget, state=ProjectState.NOT_FEASIBLE, cost=10)
    if choices == "p1,p2,p3":
        choices = list(ids.values())
    elif choices == "other-budget":
        choices = [other_project.pk]
    elif choices == "not-feasible":
        choices = [not_feasible.pk]
    elif choices == "not-a-project":
        choices = [999_999]
    elif isinstance(choices, dict):
        choices = {str(ids[key]): value for key, value in choices.items()}
    elif isinstance(choices, list) and choices and choices[0] == "p1":
        choices = [budget.p1.pk, budget.p1.pk]
    with pytest.raises(Exception) as refused:
        cast_ballot(actor=resident, box=budget.box, choices=choices, idempotency_key="k")
    assert getattr(refused.value, "code", None) == code
    assert nothing_written()


@pytest.mark.parametrize("key", ["x" * 65, "line\nbreak", 12])
def test_a_bad_idempotency_key_is_refused(budget, resident, key):
    with pytest.raises(Exception) as refused:
        cast_ballot(actor=resident, box=budget.box, choices=[budget.p1.pk], idempotency_key=key)
    assert refused.value.code == "idempotency_key"
    assert nothing_written()


def test_approval_and_points_ballots_follow_the_budget(kern):
    approval = BudgetFactory(box=BallotBoxFactory(kern=kern), ballot_format=BallotFormat.APPROVAL, max_projects=2)
    projects = [ProjectFactory(budget=approval, cost=9_000) for _ in range(3)]
    voter = UserFactory(kern=kern)
    with pytest.raises(Exception, match="hoogstens 2"):
        cast_ballot(actor=voter, box=approval.box, choices=[p.pk for p in projects])
    cast_ballot(actor=voter, box=approval.box, choices=[p.pk for p in projects[:2]])  # over the money: allowed

    points = BudgetFactory(box=BallotBoxFactory(kern=kern), ballot_format=BallotFormat.POINTS, points_total=10,
                           min_projects=2)
    a, b = ProjectFactory(budget=points), ProjectFactory(budget=points)
    with pytest.raises(Exception, match="11 punten"):
        cast_ballot(actor=voter, box=points.box, choices={str(a.pk): 6, str(b.pk): 5})
    with pytest.raises(Exception, match="minstens 2"):
        cast_ballot(actor=voter, box=points.box, choices={str(a.pk): 10})
    cast_ballot(actor=voter, box=points.box, choices={str(a.pk): 6, str(b.pk): 4})
    assert sorted(Ballot.objects.filter(box=points.box).get().choices.values()) == [4, 6]


def test_knapsack_minimum_projects(kern):
    budget = BudgetFactory(box=BallotBoxFactory(kern=kern), min_projects=2)
    a, b = ProjectFactory(budget=budget, cost=100), ProjectFactory(budget=budget, cost=100)
    voter = UserFactory(kern=kern)
    with pytest.raises(Exception, match="minstens 2"):
        cast_ballot(actor=voter, box=budget.box, choices=[a.pk])
    cast_ballot(actor=voter, box=budget.box, choices=[a.pk, b.pk])


class TestWhoMayVoteWhen:
    def test_before_the_open_and_after_the_close(self, kern, resident):
        for trait in ("upcoming", "closed"):
            budget = BudgetFactory(box=BallotBoxFactory(kern=kern, **{trait: True}))
            project = ProjectFactory(budget=budget)
            with pytest.raises(PermissionDenied, match="niet stemmen"):
                cast_ballot(actor=resident, box=budget.box, choices=[project.pk])
        assert nothing_written()

    def test_a_budget_outside_its_voting_phase(self, kern, resident):
        budget = BudgetFactory(box=BallotBoxFactory(kern=kern), phase="review")
        project = ProjectFactory(budget=budget)
        with pytest.raises(PermissionDenied):
            cast_ballot(actor=resident, box=budget.box, choices=[project.pk])
        assert nothing_written()

    def test_another_kerns_budget(self, budget, other_kern):
        outsider = UserFactory(kern=other_kern)
        with pytest.raises(PermissionDenied):
            cast_ballot(actor=outsider, box=budget.box, choices=[budget.p1.pk])
        assert nothing_written()

    def test_anonymous_and_inactive(self, budget):
        from django.contrib.auth.models import AnonymousUser

        for actor in (AnonymousUser(), UserFactory(kern=budget.box.kern, is_active=False)):
            with pytest.raises(PermissionDenied):
                cast_ballot(actor=actor, box=budget.box, choices=[budget.p1.pk])
        assert nothing_written()

    def test_verified_residents_only(self, kern, resident):
        poll = PollFactory(box=BallotBoxFactory(kern=kern, who_may_vote=WhoMayVote.VERIFIED))
        option = poll.options.first()
        with pytest.raises(PermissionDenied):
            cast_ballot(actor=resident, box=poll.box, choices=[option.pk])
        cast_ballot(actor=VerifiedResidentFactory(kern=kern), box=poll.box, choices=[option.pk])
        assert Ballot.objects.count() == 1

    def test_everyone_signed_in_and_a_municipal_box(self, kern, other_kern):
        everyone = PollFactory(box=BallotBoxFactory(kern=kern, who_may_vote=WhoMayVote.SIGNED_IN))
        cast_ballot(actor=UserFactory(kern=None), box=everyone.box, choices=[everyone.options.first().pk])
        municipal = PollFactory(box=BallotBoxFactory(kern=None, who_may_vote=WhoMayVote.RESIDENTS))
        cast_ballot(actor=UserFactory(kern=other_kern), box=municipal.box, choices=[municipal.options.first().pk])
        with pytest.raises(PermissionDenied):
            cast_ballot(actor=UserFactory(kern=None), box=municipal.box, choices=[municipal.options.first().pk])

    def test_a_box_by_letter_takes_no_account_votes(self, kern, resident):
        poll = PollFactory(box=BallotBoxFactory(kern=kern, who_may_vote=WhoMayVote.LETTER))
        with pytest.raises(PermissionDenied):
            cast_ballot(actor=resident, box=poll.box, choices=[poll.options.first().pk])
        assert nothing_written()


class TestLetterCodes:
    @pytest.fixture
    def poll(self, kern):
        return PollFactory(box=BallotBoxFactory(kern=kern, who_may_vote=WhoMayVote.LETTER))

    @pytest.fixture
    def letter(self, poll, staff):
        return issue_codes(actor=staff, box=poll.box, addressees=[Addressee("A. de Vries", "Dorpsstraat 1",
                                                                            "4241 AA", "Arkel")])[0]

    def test_a_code_gives_exactly_one_ballot_without_an_account(self, poll, letter):
        from django.contrib.auth.models import AnonymousUser

        option = poll.options.first()
        cast = cast_ballot(actor=AnonymousUser(), box=poll.box, choices=[option.pk], code=letter.plain_code,
                           idempotency_key="once")
        assert cast.receipt
        turnout = Turnout.objects.get()
        assert (turnout.code, turnout.voter, turnout.channel) == (letter.code, None, Channel.CODE)
        with pytest.raises(Exception, match="al gestemd") as refused:
            cast_ballot(actor=AnonymousUser(), box=poll.box, choices=[option.pk], code=letter.plain_code)
        assert refused.value.code == "already_voted"
        replay = cast_ballot(actor=AnonymousUser(), box=poll.box, choices=[option.pk], code=letter.plain_code,
                             idempotency_key="once")
        assert replay.replayed and Ballot.objects.count() == 1

    def test_a_code_is_read_as_people_type_it(self, poll, letter, resident):
        typed = letter.plain_code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
        cast_ballot(actor=resident, box=poll.box, choices=[poll.options.first().pk], code=typed)
        turnout = Turnout.objects.get()
        assert turnout.voter is None and turnout.code == letter.code  # a signed-in code voter is not named

    @pytest.mark.parametrize("typed", ["", "ABCD", "0" * 26, None])
    def test_wrong_codes(self, poll, letter, typed):
        from django.contrib.auth.models import AnonymousUser

        with pytest.raises(Exception) as refused:
            cast_ballot(actor=AnonymousUser(), box=poll.box, choices=[poll.options.first().pk], code=typed or "")
        assert refused.value.code == "code_invalid"
        assert nothing_written()

    def test_a_revoked_code_and_a_code_of_another_box(self, kern, poll, letter, staff):
        from django.contrib.auth.models import AnonymousUser

        from voting.services.codes import revoke_code

        other = PollFactory(box=BallotBoxFactory(kern=kern, who_may_vote=WhoMayVote.LETTER))
        with pytest.raises(Exception, match="klopt niet"):
            cast_ballot(actor=AnonymousUser(), box=other.box, choices=[other.options.first().pk],
                        code=letter.plain_code)
        revoke_code(actor=staff, code=letter.code, reason="Brief kwijt")
        with pytest.raises(Exception, match="klopt niet"):
            cast_ballot(actor=AnonymousUser(), box=poll.box, choices=[poll.options.first().pk],
                        code=letter.plain_code)
        assert nothing_written()

    def test_codes_do_not_vote_in_an_account_box(self, kern, letter, resident):
        account_poll = PollFactory(box=BallotBoxFactory(kern=kern))
        with pytest.raises(PermissionDenied):
            cast_ballot(actor=resident, box=account_poll.box, choices=[account_poll.options.first().pk],
                        code=letter.plain_code)
        assert nothing_written()

    def test_at_the_counter_staff_type_the_residents_code(self, poll, letter, staff):
        cast_ballot(actor=staff, box=poll.box, choices=[poll.options.first().pk], code=letter.plain_code,
                    at_counter=True)
        turnout = Turnout.objects.get()
        assert (turnout.channel, turnout.registered_by, turnout.voter) == (Channel.COUNTER, staff, None)

    def test_only_staff_help_at_the_counter(self, poll, letter, resident):
        with pytest.raises(PermissionDenied):
            cast_ballot(actor=resident, box=poll.box, choices=[poll.options.first().pk], code=letter.plain_code,
                        at_counter=True)
        assert nothing_written()


class TestCounter:
    def test_staff_help_a_resident_with_an_account(self, budget, resident, staff):
        cast_ballot(actor=staff, box=budget.box, choices=[budget.p1.pk], for_voter=resident)
        turnout = Turnout.objects.get()
        assert (turnout.voter, turnout.channel, turnout.registered_by) == (resident, Channel.COUNTER, staff)
        with pytest.raises(Exception, match="al gestemd"):
            cast_ballot(actor=resident, box=budget.box, choices=[budget.p1.pk])  # and not again on the web

    def test_the_resident_must_be_allowed_to_vote(self, budget, staff, other_kern):
        with pytest.raises(PermissionDenied):
            cast_ballot(actor=staff, box=budget.box, choices=[budget.p1.pk], for_voter=UserFactory(kern=other_kern))
        assert nothing_written()

    def test_a_resident_cannot_vote_for_someone_else(self, budget, resident):
        neighbour = UserFactory(kern=budget.box.kern)
        with pytest.raises(PermissionDenied):
            cast_ballot(actor=resident, box=budget.box, choices=[budget.p1.pk], for_voter=neighbour)
        assert nothing_written()

    def test_the_counter_needs_a_resident_or_code(self, budget, staff):
        with pytest.raises(Exception, match="stemcode"):
            cast_ballot(actor=staff, box=budget.box, choices=[budget.p1.pk], at_counter=True)
        assert nothing_written()

    def test_staff_vote_for_themselves_only_where_they_may(self, budget):
        outsider_staff = StaffFactory(kern=None)
        with pytest.raises(PermissionDenied):
            cast_ballot(actor=outsider_staff, box=budget.box, choices=[budget.p1.pk])


class TestPolls:
    def test_single_multiple_and_scale(self, kern, resident):
        single = PollFactory(box=BallotBoxFactory(kern=kern))
        a, b, _c = single.options.all()
        with pytest.raises(Exception, match="hoogstens 1"):
            cast_ballot(actor=resident, box=single.box, choices=[a.pk, b.pk])
        multiple = PollFactory(box=BallotBoxFactory(kern=kern), kind=PollKind.MULTIPLE, max_choices=2)
        options = list(multiple.options.all())
        with pytest.raises(Exception, match="hoogstens 2"):
            cast_ballot(actor=resident, box=multiple.box, choices=[o.pk for o in options])
        with pytest.raises(Exception, match="hoort niet bij"):
            cast_ballot(actor=resident, box=multiple.box, choices=[a.pk])  # an option of another poll
        cast_ballot(actor=resident, box=multiple.box, choices=[o.pk for o in options[:2]])
        scale = PollFactory(box=BallotBoxFactory(kern=kern), kind=PollKind.SCALE, scale_size=5, options=[])
        for bad in ({"scale": 6}, {"scale": 0}, {"1": 1}, {}):
            with pytest.raises(VotingError):
                cast_ballot(actor=resident, box=scale.box, choices=bad)
        cast_ballot(actor=resident, box=scale.box, choices={"scale": 5})
        assert Ballot.objects.filter(box=scale.box).get().choices == {"scale": 5}

    def test_an_open_vote_says_who_chose_what_in_its_own_table(self, kern, resident):
        poll = PollFactory(box=BallotBoxFactory(kern=kern, secret=False))
        option = poll.options.first()
        cast_ballot(actor=resident, box=poll.box, choices=[option.pk])
        assert PublicVote.objects.get().voter == resident
        secret = PollFactory(box=BallotBoxFactory(kern=kern))
        cast_ballot(actor=resident, box=secret.box, choices=[secret.options.first().pk])
        assert PublicVote.objects.count() == 1


def test_casting_costs_at_most_ten_queries(budget, resident, django_assert_max_num_queries):
    from voting.models import BallotBox

    box = BallotBox.objects.select_related("budget", "kern").get(pk=budget.box.pk)
    with django_assert_max_num_queries(10):
        cast_ballot(actor=resident, box=box, choices=[budget.p1.pk, budget.p2.pk], idempotency_key="q")
    assert Ballot.objects.count() == 1


def test_the_close_is_read_at_the_time_of_casting(budget, resident):
    budget.box.closes_at = timezone.now() - timedelta(seconds=1)
    budget.box.save()
    with pytest.raises(PermissionDenied):
        cast_ballot(actor=resident, box=budget.box, choices=[budget.p1.pk])

