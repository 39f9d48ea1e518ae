"""The public recount: `manage.py recount` and the page count the anonymised ballots again with the published seed;
the same result says so, a ballot changed after publication makes both say it differs (and the command exit 1);
the script on the page counts the downloaded file with pabutools to the published result."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.factories import UserFactory
from tests.voting.app._public_data import budget_with_ballots, close, poll_with_ballots, publish, published_budget
from voting.models import Ballot, BallotFormat, CountingRule
from voting.views.public.recount import pabutools_script

pytestmark = pytest.mark.django_db


def recount(vote) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("recount", str(vote), stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


def tamper(budget):
    """Someone with database access changes one ballot after publication: A instead of C."""
    ballot = Ballot.objects.filter(box=budget.box, choices__has_key=str(budget.b.pk)).order_by("id").first()
    ballot.choices = {str(budget.a.pk): 1, str(budget.b.pk): 1}
    ballot.save()


# --- the command ----------------------------------------------------------------------------------------------

def test_the_command_finds_the_same_result_by_slug_or_box(kern, staff):
    budget = published_budget(kern, staff, voters=10)
    for vote in (budget.slug, budget.box.pk):
        code, out = recount(vote)
        assert code == 0, out
        assert "The recount gives the same result." in out and budget.box.seed in out
        assert "10 published, 10 recounted" in out


def test_the_command_says_when_a_tampered_ballot_changes_the_result_and_exits_1(kern, staff):
    budget = published_budget(kern, staff, voters=10, rule=CountingRule.GREEDY)
    tamper(budget)
    code, out = recount(budget.slug)
    assert code == 1 and "DIFFERS" in out and "<-- differs" in out


def test_the_command_refuses_a_vote_without_a_published_result(kern):
    budget = budget_with_ballots(kern, voters=2)
    close(budget.box)
    assert recount(budget.slug)[0] == 1
    assert recount("nergens")[0] == 1
    assert recount(999_999)[0] == 1


def test_a_polls_recount_compares_the_tally(kern, staff):
    poll = publish(poll_with_ballots(kern, voters=5), staff)
    assert recount(poll.box.pk)[0] == 0
    Ballot.objects.filter(box=poll.box).update(choices={str(poll.options_in_order[2].pk): 1})
    assert recount(poll.box.pk)[0] == 1


# --- the page -------------------------------------------------------------------------------------------------

def test_the_page_shows_both_results_side_by_side_the_seed_and_the_ballots(client, kern, staff,
                                                                            django_assert_max_num_queries):
    budget = published_budget(kern, staff, voters=10)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("voting:recount", args=[budget.slug]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "De hertelling geeft dezelfde uitslag." in html and 'data-recount="same"' in html
    assert budget.box.seed in html and 'data-ballots="published">10<' in html and 'data-ballots="recounted">10<' in html
    assert reverse("voting:budget_pabulib", args=[budget.slug]) in html and "pabutools" in html
    assert html.count("<td role=\"cell\"") == 6 and "(anders)" not in html


def test_the_page_says_it_differs_after_a_ballot_was_tampered_with(client, kern, staff):
    budget = published_budget(kern, staff, voters=10, rule=CountingRule.GREEDY)
    tamper(budget)
    html = client.get(reverse("voting:recount", args=[budget.slug])).content.decode()
    assert "De hertelling geeft een andere uitslag." in html and 'data-recount="differs"' in html
    assert "(anders)" in html


def test_a_ballot_the_count_cannot_read_also_differs(client, kern, staff):
    budget = published_budget(kern, staff, voters=4)
    Ballot.objects.filter(box=budget.box).update(choices={"999999": 1})
    page = client.get(reverse("voting:recount", args=[budget.slug]))
    assert page.status_code == 200 and 'data-recount="differs"' in page.content.decode()
    assert recount(budget.slug)[0] == 1


def test_the_recount_page_of_a_poll(client, kern, staff):
    poll = publish(poll_with_ballots(kern, voters=5), staff)
    html = client.get(reverse("voting:poll_recount", args=[poll.pk])).content.decode()
    assert "De hertelling geeft dezelfde uitslag." in html and "Bomen" in html
    assert reverse("voting:poll_ballots", args=[poll.pk]) in html


def test_signed_in_the_page_is_the_same(client, kern, staff):
    budget = published_budget(kern, staff, voters=3)
    client.force_login(UserFactory(kern=kern))
    assert "De hertelling geeft dezelfde uitslag." in client.get(
        reverse("voting:recount", args=[budget.slug])).content.decode()


# --- counting at home -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("ballot_format", "rule"), [
    (BallotFormat.KNAPSACK, CountingRule.EQUAL_SHARES), (BallotFormat.KNAPSACK, CountingRule.GREEDY),
    (BallotFormat.APPROVAL, CountingRule.EQUAL_SHARES)])
def test_the_script_on_the_page_counts_the_pb_file_to_the_published_result(client, kern, staff, tmp_path,
                                                                           monkeypatch, capsys, ballot_format, rule):
    budget = published_budget(kern, staff, voters=10, rule=rule)
    budget.ballot_format = ballot_format
    budget.save()
    (tmp_path / f"{budget.slug}.pb").write_bytes(
        client.get(reverse("voting:budget_pabulib", args=[budget.slug])).content)
    monkeypatch.chdir(tmp_path)
    exec(pabutools_script(budget, f"{budget.slug}.pb", budget.box.seed), {})  # noqa: S102 - our own script
    printed = capsys.readouterr().out.strip()
    assert printed == str(sorted(int(pk) for pk in budget.box.result["selected"]))
