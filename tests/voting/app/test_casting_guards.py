"""What each guard of the casting service is for, one test per guard: the key's limits, an open vote's table,
the drafts it removes, has-voted at once, replays among many voters and codes, the receipt's limit, the page
cache, and how many choices a ballot may name."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.pagecache import generation
from tests.factories import UserFactory
from tests.factories_voting import BallotBoxFactory, BudgetFactory, PollFactory, ProjectFactory
from tests.voting.app.hallkit import issue, letter_budget, open_budget
from voting.models import Ballot, BallotBox, BallotDraft, BallotFormat, PublicVote, Turnout
from voting.rules import has_voted_in
from voting.services._common import VotingError
from voting.services.casting import cast_ballot, receipt_counted
from voting.services.choices import MAX_ENTRIES, as_mapping
from voting.services.drafts import change_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget(kern):
    return open_budget(kern)


def test_no_key_at_all_is_the_same_as_an_empty_key(budget, resident):
    cast = cast_ballot(actor=resident, box=budget.box, choices=[budget.p1.pk], idempotency_key=None)
    assert cast.receipt and Turnout.objects.get().idempotency_key == ""


def test_a_key_of_64_characters_is_the_longest_taken(budget, resident):
    cast_ballot(actor=resident, box=budget.box, choices=[budget.p1.pk], idempotency_key="k" * 64)
    assert Turnout.objects.get().idempotency_key == "k" * 64


def test_an_open_vote_keeps_what_was_chosen(kern, resident):
    poll = PollFactory(box=BallotBoxFactory(kern=kern, secret=False))
    option = poll.options.first()
    cast_ballot(actor=resident, box=poll.box, choices=[option.pk])
    assert PublicVote.objects.get().choices == Ballot.objects.get().choices == {str(option.pk): 1}


def test_casting_leaves_the_voters_drafts_in_other_boxes(budget, resident):
    other = BudgetFactory(box=BallotBoxFactory(kern=budget.box.kern), amount=10_000)
    elsewhere = ProjectFactory(budget=other, cost=1_000)
    change_draft(actor=resident, box=budget.box, key=budget.p1.pk, points=1)
    change_draft(actor=resident, box=other.box, key=elsewhere.pk, points=1)
    cast_ballot(actor=resident, box=budget.box, choices=[budget.p1.pk])
    assert list(BallotDraft.objects.values_list("box", flat=True)) == [other.box.pk]


def test_after_casting_the_voter_is_known_to_have_voted_at_once(budget, resident):
    assert not has_voted_in(resident, budget.box)  # remembered on the user for the rest of the request
    cast_ballot(actor=resident, box=budget.box, choices=[budget.p1.pk])
    assert has_voted_in(resident, budget.box)


def test_each_voter_replays_with_their_own_key_among_many(budget):
    voters = [UserFactory(kern=budget.box.kern) for _ in range(3)]
    for n, voter in enumerate(voters):
        cast_ballot(actor=voter, box=budget.box, choices=[budget.p1.pk], idempotency_key=f"key-{n}")
    assert cast_ballot(actor=voters[2], box=budget.box, choices=[budget.p1.pk], idempotency_key="key-2").replayed
    with pytest.raises(VotingError) as refused:
        cast_ballot(actor=voters[2], box=budget.box, choices=[budget.p1.pk], idempotency_key="key-0")
    assert refused.value.code == "already_voted"
    assert Ballot.objects.count() == 3


def test_each_code_replays_with_its_own_key_among_many(kern, staff):
    budget = letter_budget(kern)
    letters = issue(staff, budget.box, n=3)
    for n, letter in enumerate(letters):
        cast_ballot(actor=AnonymousUser(), box=budget.box, choices=[budget.p1.pk], code=letter.plain_code,
                    idempotency_key=f"phone-{n}")
    again = cast_ballot(actor=AnonymousUser(), box=budget.box, choices=[budget.p1.pk], code=letters[2].plain_code,
                        idempotency_key="phone-2")
    assert again.replayed
    with pytest.raises(VotingError) as refused:
        cast_ballot(actor=AnonymousUser(), box=budget.box, choices=[budget.p1.pk], code=letters[2].plain_code,
                    idempotency_key="phone-0")
    assert refused.value.code == "already_voted" and str(refused.value.message) == "Met deze stemcode is al gestemd."
    assert Ballot.objects.count() == 3


def test_a_receipt_is_read_up_to_64_characters_as_typed(budget, resident):
    receipt = cast_ballot(actor=resident, box=budget.box, choices=[budget.p1.pk]).receipt
    assert receipt_counted(budget.box, receipt.ljust(64))
    assert not receipt_counted(budget.box, receipt.ljust(65))  # longer is not read at all
    assert not receipt_counted(budget.box, None) and not receipt_counted(budget.box, "   ")


def test_a_ballot_does_not_empty_the_page_cache(budget, resident, settings, django_capture_on_commit_callbacks):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    before = generation()
    with django_capture_on_commit_callbacks(execute=True):
        cast_ballot(actor=resident, box=budget.box, choices=[budget.p1.pk])
    assert generation() == before


@pytest.mark.parametrize("shape", [list, tuple, dict])
def test_a_ballot_names_at_most_200_choices(shape):
    def ballot(n):
        return {str(key): 1 for key in range(n)} if shape is dict else shape(range(n))

    assert len(as_mapping(ballot(MAX_ENTRIES))) == MAX_ENTRIES == 200
    with pytest.raises(VotingError) as refused:
        as_mapping(ballot(MAX_ENTRIES + 1))
    assert refused.value.code == ("invalid" if shape is dict else "too_many")


def test_a_replay_is_recognised_in_its_own_box(budget, resident):
    other = BudgetFactory(box=BallotBoxFactory(kern=budget.box.kern), amount=10_000)
    elsewhere = ProjectFactory(budget=other, cost=1_000)
    cast_ballot(actor=resident, box=other.box, choices=[elsewhere.pk], idempotency_key="first-box")
    cast_ballot(actor=resident, box=budget.box, choices=[budget.p1.pk], idempotency_key="second-box")
    assert cast_ballot(actor=resident, box=budget.box, choices=[budget.p1.pk], idempotency_key="second-box").replayed


def test_negative_points_are_refused_even_where_the_total_fits(kern, resident):
    points = BudgetFactory(box=BallotBoxFactory(kern=kern), ballot_format=BallotFormat.POINTS, points_total=10)
    first, second = ProjectFactory(budget=points), ProjectFactory(budget=points)
    with pytest.raises(VotingError) as refused:
        cast_ballot(actor=resident, box=points.box, choices={str(first.pk): 12, str(second.pk): -2})
    assert str(refused.value.message) == "Een negatief aantal kan niet."
    assert not Ballot.objects.exists()


# Drafts ---------------------------------------------------------------------------------------------------

def test_a_draft_is_changed_only_by_who_may_vote(budget, other_kern, staff):
    with pytest.raises(PermissionDenied):
        change_draft(actor=UserFactory(kern=other_kern), box=budget.box, key=budget.p1.pk, points=1)
    by_letter = letter_budget(budget.box.kern)
    [letter] = issue(staff, by_letter.box)
    BallotBox.objects.filter(pk=by_letter.box.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    by_letter.box.refresh_from_db()
    with pytest.raises(PermissionDenied):  # a valid code, but the box has closed
        change_draft(actor=AnonymousUser(), box=by_letter.box, key=by_letter.p1.pk, points=1, code=letter.plain_code)
    assert not BallotDraft.objects.exists()


def test_a_draft_may_hold_fewer_projects_than_the_ballot_needs(kern, resident):
    budget = BudgetFactory(box=BallotBoxFactory(kern=kern), amount=10_000, min_projects=2)
    project = ProjectFactory(budget=budget, cost=1_000)
    assert change_draft(actor=resident, box=budget.box, key=project.pk, points=1) == {str(project.pk): 1}


def test_a_poll_has_no_draft(kern, resident):
    poll = PollFactory(box=BallotBoxFactory(kern=kern))
    with pytest.raises(VotingError) as refused:
        change_draft(actor=resident, box=poll.box, key=poll.options.first().pk, points=1)
    assert refused.value.code == "not_allowed" and not BallotDraft.objects.exists()


def test_a_poll_option_is_chosen_once(kern, resident):
    poll = PollFactory(box=BallotBoxFactory(kern=kern))
    with pytest.raises(VotingError) as refused:
        cast_ballot(actor=resident, box=poll.box, choices={str(poll.options.first().pk): 2})
    assert refused.value.code == "invalid" and not Ballot.objects.exists()
