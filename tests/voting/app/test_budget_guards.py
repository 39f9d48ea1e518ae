"""What each check of a budget's settings is for, at its boundary (the mutation run's list): the smallest amount
and minimum, the close at the opening, the kern and the proposals' end of the wrong type, a text's own refusal."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from voting.models import Budget
from voting.services import budgets as services
from voting.services._common import VotingError

pytestmark = pytest.mark.django_db


def values(kern, **extra):
    opens = timezone.now() + timedelta(days=10)
    return {"title": "Kernbudget Arkel 2026", "amount": 10_000, "opens_at": opens,
            "closes_at": opens + timedelta(days=10), "kern": kern, **extra}


def refusal(staff, where, **extra) -> tuple[str, set]:
    with pytest.raises(VotingError) as error:
        services.create_budget(actor=staff, **values(where, **extra))
    assert not Budget.objects.exists()
    return error.value.code, set(error.value.error_dict)


def test_the_smallest_amount_and_minimum_are_taken(staff, kern):
    budget = services.create_budget(actor=staff, **values(kern, amount=1, min_projects=1))
    assert (budget.amount, budget.min_projects) == (1, 1)


def test_a_vote_that_closes_when_it_opens_is_refused(staff, kern):
    opens = timezone.now() + timedelta(days=3)
    assert refusal(staff, kern, opens_at=opens, closes_at=opens) == ("invalid", {"closes_at"})


def test_a_kern_that_is_not_a_kern_is_refused(staff, kern):
    assert refusal(staff, "arkel") == ("invalid", {"kern"})


@pytest.mark.parametrize("until", ["2026-12-10", datetime(2026, 12, 10, 12, 0)])
def test_the_end_of_proposals_must_be_a_day(staff, kern, until):
    assert refusal(staff, kern, proposals_until=until) == ("invalid", {"proposals_until"})


def test_a_text_refusal_keeps_its_own_code(staff, kern):
    assert refusal(staff, kern, title="") == ("required", {"title"})


def test_ideas_may_be_proposed_until_the_day_the_vote_opens(staff, kern):
    opens = timezone.now() + timedelta(days=10)
    budget = services.create_budget(actor=staff, **values(kern, opens_at=opens, proposals_until=timezone.localdate(
        opens)))
    assert budget.proposals_until == timezone.localdate(opens)


def test_a_long_title_gives_slugs_that_fit(staff, kern):
    title = "Kernbudget-" + "x" * 109  # the longest title: 120 characters
    first = services.create_budget(actor=staff, **values(kern, title=title))
    second = services.create_budget(actor=staff, **values(kern, title=title))
    assert (len(first.slug), first.slug) == (100, f"kernbudget-{'x' * 89}")
    assert second.slug == f"kernbudget-{'x' * 83}-2"


def test_every_setting_is_stored_as_given(staff, kern):
    opens = timezone.now() + timedelta(days=10)
    budget = services.create_budget(actor=staff, **values(
        kern, opens_at=opens, intro="Voor het dorpsplein.", who_may_vote="verified", ballot_format="approval",
        counting_rule="greedy", min_projects=2, max_projects=3, proposals_until=timezone.localdate(opens)))
    budget = Budget.objects.select_related("box").get(pk=budget.pk)
    assert (budget.phase, budget.intro, budget.ballot_format, budget.counting_rule, budget.min_projects,
            budget.max_projects, budget.proposals_until) == ("proposals", "Voor het dorpsplein.", "approval",
                                                             "greedy", 2, 3, timezone.localdate(opens))
    assert (budget.box.kern, budget.box.who_may_vote, budget.box.secret, budget.box.results_shown) == (
        kern, "verified", True, "after_close")
