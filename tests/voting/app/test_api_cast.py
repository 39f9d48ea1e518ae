"""POST /api/v1/voting/boxes/<id>/ballots/: one ballot per voter, an Idempotency-Key that makes a retry safe,
letter codes without an account (throttled), and every refusal in the API's one error body, changing nothing."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.factories_voting import BallotBoxFactory, BudgetFactory, PollFactory, ProjectFactory
from tests.voting.app._public_data import fresh_box, post_json
from voting.api import throttles
from voting.models import Ballot, PublicVote, Turnout, WhoMayVote
from voting.services._common import hash_secret
from voting.services.codes import Addressee, issue_codes

pytestmark = pytest.mark.django_db


def ballots_url(box):
    return reverse("api:voting-ballots", args=[box.pk])


@pytest.fixture
def budget(kern):
    budget = BudgetFactory(box=BallotBoxFactory(kern=kern), amount=10_000)
    budget.p1, budget.p2, budget.p3 = (ProjectFactory(budget=budget, cost=cost) for cost in (4_000, 5_000, 6_000))
    return budget


@pytest.fixture
def voter(client, kern):
    person = UserFactory(kern=kern)
    client.force_login(person)
    return person


def unchanged():
    return Ballot.objects.count() == 0 and Turnout.objects.count() == 0


def cast(client, box, choices, key="sleutel-1", **extra):
    headers = {"Idempotency-Key": key} if key is not None else {}
    return post_json(client, ballots_url(box), {"choices": choices, **extra}, **headers)


def test_a_first_ballot_answers_201_with_a_receipt_that_checks(client, budget, voter):
    answer = cast(client, budget.box, [budget.p1.pk, budget.p2.pk])
    assert answer.status_code == 201
    data = answer.json()
    assert data["counted"] and not data["replayed"] and len(data["receipt"].replace("-", "")) == 16
    ballot = Ballot.objects.get()
    assert ballot.choices == {str(budget.p1.pk): 1, str(budget.p2.pk): 1}
    assert ballot.receipt_hash == hash_secret(data["receipt"])
    assert Turnout.objects.get().voter == voter


def test_the_same_key_again_is_told_counted_and_nothing_is_cast_twice(client, budget, voter):
    cast(client, budget.box, [budget.p1.pk])
    again = cast(client, budget.box, [budget.p2.pk])
    assert again.status_code == 200 and again.json() == {"counted": True, "replayed": True}
    assert Ballot.objects.count() == 1 and Turnout.objects.count() == 1


def test_a_second_ballot_with_another_key_is_a_409(client, budget, voter):
    cast(client, budget.box, [budget.p1.pk])
    second = cast(client, budget.box, [budget.p2.pk], key="sleutel-2")
    assert second.status_code == 409
    assert second.json() == {"detail": "U hebt al gestemd. Iedereen stemt één keer.", "code": "already_voted",
                             "errors": {}}
    assert Ballot.objects.count() == 1


def test_casting_costs_at_most_ten_queries(client, budget, voter, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        assert cast(client, budget.box, [budget.p1.pk, budget.p2.pk]).status_code == 201


@pytest.mark.parametrize(("key", "field"), [(None, "Idempotency-Key"), ("x" * 65, "Idempotency-Key")])
def test_the_idempotency_key_is_required_and_bounded(client, budget, voter, key, field):
    answer = cast(client, budget.box, [budget.p1.pk], key=key)
    assert answer.status_code == 400 and field in answer.json()["errors"]
    assert unchanged()


@pytest.mark.parametrize("choices", [
    "alles", None, 12, [0], [-1], {"1": -2}, {"1": "veel"}, [1.5], [True], list(range(1, 300)), {"x": [1]},
])
def test_a_ballot_that_is_not_a_list_of_ids_or_ids_with_points_is_refused(client, budget, voter, choices):
    answer = cast(client, budget.box, choices)
    assert answer.status_code == 400 and answer.json()["code"] == "invalid"
    assert unchanged()


def test_a_forged_or_foreign_project_id_and_a_ballot_over_budget_are_refused(client, budget, voter, kern):
    other = ProjectFactory(budget=BudgetFactory(box=BallotBoxFactory(kern=kern)))
    for choices in ([other.pk], [999_999], [budget.p2.pk, budget.p3.pk], []):
        answer = cast(client, budget.box, choices, key=f"k{choices}")
        assert answer.status_code == 400, choices
        assert answer.json()["detail"]
    assert unchanged()


def test_hostile_html_in_the_body_changes_nothing(client, budget, voter):
    answer = cast(client, budget.box, {"<script>alert(1)</script>": 1})
    assert answer.status_code == 400 and "<script>" not in answer.json()["detail"]
    assert unchanged()


def test_form_data_is_refused_as_a_format_the_ballot_does_not_take(client, budget, voter):
    answer = client.post(ballots_url(budget.box), {"choices": budget.p1.pk}, headers={"Idempotency-Key": "k"})
    assert answer.status_code == 415 and unchanged()


def test_a_closed_box_and_someone_from_another_kern_get_403(client, budget, other_kern):
    client.force_login(UserFactory(kern=other_kern))
    assert cast(client, budget.box, [budget.p1.pk]).status_code == 403
    assert unchanged()


def test_signed_out_without_a_code_is_403(client, budget):
    answer = cast(client, budget.box, [budget.p1.pk])
    assert answer.status_code == 403 and answer.json()["code"] == "permission_denied"
    assert unchanged()


def test_a_signed_in_write_needs_the_csrf_token(budget, kern):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(kern=kern))
    assert cast(client, budget.box, [budget.p1.pk]).status_code == 403
    assert unchanged()


def test_an_unknown_box_is_404(client, voter):
    assert post_json(client, "/api/v1/voting/boxes/999/ballots/", {"choices": [1]},
                     **{"Idempotency-Key": "k"}).status_code == 404


def test_an_open_poll_writes_the_public_vote_too(client, kern, voter):
    poll = PollFactory(box=BallotBoxFactory(kern=kern, secret=False))
    option = poll.options.first()
    assert cast(client, poll.box, [option.pk]).status_code == 201
    assert PublicVote.objects.get().voter == voter


def test_a_scale_poll_takes_its_value(client, kern, voter):
    poll = PollFactory(box=BallotBoxFactory(kern=kern), kind="scale", scale_size=5, options=[])
    assert cast(client, poll.box, {"scale": 6}).status_code == 400
    assert cast(client, poll.box, {"scale": 4}, key="k2").status_code == 201
    assert Ballot.objects.get().choices == {"scale": 4}


# --- letter codes -------------------------------------------------------------------------------------------

@pytest.fixture
def letter_budget(kern, staff):
    budget = BudgetFactory(box=BallotBoxFactory(kern=kern, who_may_vote=WhoMayVote.LETTER), amount=10_000)
    budget.p1 = ProjectFactory(budget=budget, cost=4_000)
    budget.letters = issue_codes(actor=staff, box=fresh_box(budget.box),
                                 addressees=[Addressee(f"Bewoner {n}", f"Dorpsstraat {n}", "4241 AB", "Arkel")
                                             for n in range(3)])
    return budget


def test_a_letter_code_votes_without_an_account(client, letter_budget):
    code = letter_budget.letters[0].plain_code
    answer = cast(client, letter_budget.box, [letter_budget.p1.pk], code=code.lower().replace("-", " "))
    assert answer.status_code == 201 and answer.json()["receipt"]
    turnout = Turnout.objects.get()
    assert turnout.code == letter_budget.letters[0].code and turnout.voter is None and turnout.channel == "code"
    replay = cast(client, letter_budget.box, [letter_budget.p1.pk], code=code)
    assert replay.status_code == 200 and replay.json()["replayed"]
    used = cast(client, letter_budget.box, [letter_budget.p1.pk], key="nieuw", code=code)
    assert used.status_code == 409 and used.json()["code"] == "already_voted"


def test_a_wrong_code_is_400_and_an_account_cannot_vote_in_a_letter_box(client, letter_budget, kern):
    wrong = cast(client, letter_budget.box, [letter_budget.p1.pk], code="AAAA-BBBB-CCCC")
    assert wrong.status_code == 400 and wrong.json()["code"] == "invalid"
    client.force_login(UserFactory(kern=kern))
    assert cast(client, letter_budget.box, [letter_budget.p1.pk], key="k2").status_code == 403
    assert cast(client, letter_budget.box, [letter_budget.p1.pk], key="k3", code="x" * 65).status_code == 400
    assert unchanged()


def test_casting_with_codes_is_throttled_per_address(client, letter_budget, monkeypatch):
    monkeypatch.setattr(throttles.CodeThrottle, "default_rate", "3/hour")
    for n in range(3):
        assert cast(client, letter_budget.box, [letter_budget.p1.pk], key=f"k{n}", code="FOUT").status_code == 400
    refused = cast(client, letter_budget.box, [letter_budget.p1.pk], key="k9",
                   code=letter_budget.letters[0].plain_code)
    assert refused.status_code == 429 and refused["Retry-After"]
    assert refused.json()["code"] == "throttled" and unchanged()


def test_casting_by_account_is_not_throttled_by_the_code_limit(client, budget, voter, monkeypatch):
    monkeypatch.setattr(throttles.CodeThrottle, "default_rate", "1/hour")
    assert cast(client, budget.box, [budget.p1.pk]).status_code == 201
    assert cast(client, budget.box, [budget.p1.pk]).status_code == 200


def test_a_code_cast_costs_at_most_ten_queries(client, letter_budget, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        assert cast(client, letter_budget.box, [letter_budget.p1.pk],
                    code=letter_budget.letters[1].plain_code).status_code == 201


def test_the_answer_never_says_who_else_voted_or_how(client, letter_budget):
    cast(client, letter_budget.box, [letter_budget.p1.pk], code=letter_budget.letters[0].plain_code)
    answer = cast(client, letter_budget.box, [letter_budget.p1.pk], key="k2",
                  code=letter_budget.letters[1].plain_code)
    assert set(json.loads(answer.content)) == {"counted", "replayed", "receipt"}
