"""The downloads of a finished vote: the budget's Pabulib file reads back (our reader and pabutools') as the
published result; the anonymised ballots as CSV carry no id or date and come in a fresh secure random order;
before publication every download is a 404 for every role, staff and admins included."""

import csv
import io
import secrets

import pytest
from django.urls import reverse

from tests.factories_voting import BallotBoxFactory, BudgetFactory, ProjectFactory
from tests.roles import ROLES, fresh
from tests.voting.app._public_data import (
    budget_with_ballots,
    close,
    fresh_box,
    poll_with_ballots,
    publish,
    published_budget,
)
from tests.voting.reference import parse, reference_equal_shares
from voting import counting, exports
from voting.models import Ballot, CountingRule

pytestmark = pytest.mark.django_db


def download(client, name, *args):
    return client.get(reverse(f"voting:{name}", args=args))


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


# --- the Pabulib file -----------------------------------------------------------------------------------------

def test_the_pb_file_reads_back_as_the_published_result(client, kern, staff):
    budget = published_budget(kern, staff, voters=10)
    answer = download(client, "budget_pabulib", budget.slug)
    assert answer.status_code == 200
    assert answer["Content-Disposition"] == f'attachment; filename="{budget.slug}.pb"'
    assert answer["Cache-Control"].startswith("max-age=0") and "no-store" in answer["Cache-Control"]
    read = counting.read_pabulib(answer.content.decode("utf-8"))
    assert read.meta["country"] == "Netherlands" and read.meta["unit"] == "Molenlanden"
    assert read.meta["instance"] == kern.name and read.meta["description"] == budget.title
    assert read.meta["num_votes"] == "10" and read.meta["rule"] == "equalshares"
    assert read.selected == set(budget.box.result["selected"]) == {str(budget.c.pk)}
    assert {p.id: p.cost for p in read.election.projects} == {str(budget.a.pk): 5_500, str(budget.b.pk): 4_000,
                                                             str(budget.c.pk): 4_500}
    again = counting.count(read.election, method=counting.Method.EQUAL_SHARES, seed=budget.box.seed)
    assert list(again.selected) == budget.box.result["selected"]


def test_pabutools_reads_the_pb_file_and_counts_the_same(client, kern, staff):
    budget = published_budget(kern, staff, voters=10)
    text = download(client, "budget_pabulib", budget.slug).content.decode("utf-8")
    instance, profile = parse(text=text)
    assert profile.num_ballots() == 10 and instance.budget_limit == 10_000
    assert reference_equal_shares(instance, profile, budget.box.seed, counting.Completion.NONE) == {str(budget.c.pk)}
    assert {p.name for p in instance if instance.project_meta[p]["selected"] == "1"} == {str(budget.c.pk)}


def test_the_pb_file_marks_what_was_published_even_when_a_ballot_changed_since(client, kern, staff):
    budget = published_budget(kern, staff, voters=10, rule=CountingRule.GREEDY)
    Ballot.objects.filter(box=budget.box).update(choices={str(budget.b.pk): 1})  # tampered after publication
    read = counting.read_pabulib(download(client, "budget_pabulib", budget.slug).content.decode("utf-8"))
    assert read.selected == set(budget.box.result["selected"])
    assert set(counting.count(read.election, method=counting.Method.GREEDY, seed=budget.box.seed).selected) != \
        read.selected


# --- the ballots as CSV ---------------------------------------------------------------------------------------

def test_the_ballots_csv_has_one_row_per_ballot_and_no_id_or_date(client, kern, staff):
    budget = published_budget(kern, staff, voters=10)
    answer = download(client, "budget_ballots", budget.slug)
    assert answer["Content-Disposition"] == f'attachment; filename="{budget.slug}-stembiljetten.csv"'
    assert answer["Content-Type"] == "text/csv; charset=utf-8"
    header, *rows = csv_rows(answer)
    assert header == [f"{budget.a.pk}: Speeltuin", f"{budget.b.pk}: Bankjes", f"{budget.c.pk}: Bloembakken"]
    assert sorted(rows) == sorted([["1", "0", "1"]] * 6 + [["0", "1", "1"]] * 4)
    body = answer.content.decode()
    for ballot in Ballot.objects.filter(box=budget.box):
        assert str(ballot.id) not in body and ballot.receipt_hash not in body
        assert str(ballot.cast_on) not in body and ballot.cast_on.strftime("%d-%m-%Y") not in body


def test_the_rows_are_shuffled_by_the_systems_secure_random_source(client, kern, staff, monkeypatch):
    budget = published_budget(kern, staff, voters=4)
    calls = []

    class Watched(secrets.SystemRandom):
        def shuffle(self, rows):
            calls.append(len(rows))
            super().shuffle(rows)

    monkeypatch.setattr(exports.secrets, "SystemRandom", Watched)
    download(client, "budget_ballots", budget.slug)
    assert calls == [4]


def test_the_order_differs_from_the_database_and_between_downloads(kern):
    """Thirty different ballots (subsets of five projects): the chance that five downloads all come in one order
    is 1 in (30!)⁴."""
    budget = BudgetFactory(box=BallotBoxFactory(kern=kern, closed=True), amount=50_000)
    projects = [str(ProjectFactory(budget=budget).pk) for _n in range(5)]
    subsets = [[pk for bit, pk in enumerate(projects) if number >> bit & 1] for number in range(1, 31)]
    Ballot.objects.bulk_create([Ballot(box=budget.box, choices=dict.fromkeys(chosen, 1)) for chosen in subsets])
    in_database = [";".join("1" if pk in choices else "0" for pk in projects) for choices in
                   Ballot.objects.filter(box=budget.box).values_list("choices", flat=True)]
    box = fresh_box(budget.box)
    orders = [tuple(exports.ballots_csv(box).decode("utf-8").splitlines()[1:]) for _attempt in range(5)]
    assert all(sorted(order) == sorted(in_database) for order in orders)
    assert len(set(orders)) > 1
    assert any(list(order) != in_database for order in orders)


def test_a_closed_polls_ballots_come_as_csv(client, kern):
    poll = poll_with_ballots(kern, voters=5)
    close(poll.box)
    answer = download(client, "poll_ballots", poll.pk)
    assert answer["Content-Disposition"] == f'attachment; filename="peiling-{poll.pk}-stembiljetten.csv"'
    header, *rows = csv_rows(answer)
    assert header == [f"{o.pk}: {o.label}" for o in poll.options_in_order]
    assert sorted(rows) == sorted([["0", "1", "0"]] * 3 + [["1", "0", "0"]] * 2)


# --- before publication: 404 for everyone ---------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_before_publication_every_download_is_404_for_every_role(client, cast, kern, staff, role):
    open_budget = budget_with_ballots(kern, voters=3)
    closed_unpublished = budget_with_ballots(kern, voters=3)
    close(closed_unpublished.box)
    open_poll = poll_with_ballots(kern, voters=3, results_shown="after_own_vote")
    user = fresh(cast[role])
    if user.is_authenticated:
        client.force_login(user)
    for budget in (open_budget, closed_unpublished):
        for name in ("budget_pabulib", "budget_ballots", "recount"):
            answer = download(client, name, budget.slug)
            assert answer.status_code == 404, (role, name)
            assert "no-store" in answer["Cache-Control"]
    assert download(client, "poll_ballots", open_poll.pk).status_code == 404
    assert download(client, "poll_recount", open_poll.pk).status_code == 404


def test_after_publication_the_downloads_are_there_for_everyone(client, kern, staff):
    budget = published_budget(kern, staff, voters=2)
    for name in ("budget_pabulib", "budget_ballots", "recount"):
        assert download(client, name, budget.slug).status_code == 200, name
    poll = publish(poll_with_ballots(kern, voters=2), staff)
    for name in ("poll_ballots", "poll_recount"):
        assert download(client, name, poll.pk).status_code == 200, name


def test_an_own_voter_of_an_open_poll_sees_the_tally_but_never_the_ballots(client, kern):
    from tests.factories import UserFactory
    from voting.services.casting import cast_ballot

    poll = poll_with_ballots(kern, voters=2, results_shown="after_own_vote")
    me = UserFactory(kern=kern)
    cast_ballot(actor=me, box=poll.box, choices=[poll.options_in_order[0].pk], idempotency_key="mine")
    client.force_login(me)
    assert client.get(reverse("api:voting-result", args=[poll.box.pk])).status_code == 200
    assert download(client, "poll_ballots", poll.pk).status_code == 404


def test_downloads_cost_few_queries(client, kern, staff, django_assert_max_num_queries):
    budget = published_budget(kern, staff, voters=20)
    with django_assert_max_num_queries(6):
        download(client, "budget_pabulib", budget.slug)
    with django_assert_max_num_queries(6):
        download(client, "budget_ballots", budget.slug)
