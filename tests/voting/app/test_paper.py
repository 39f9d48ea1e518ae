"""Paper ballots entered twice by two different staff members; a difference is settled by a third, who sees both
entries side by side. Only equal (or settled) entries become a ballot."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import StaffFactory, UserFactory
from tests.factories_voting import BallotBoxFactory, PollFactory
from tests.roles import ROLES, STAFF, fresh
from tests.voting.app.hallkit import letter_budget, own_queries
from voting.models import Ballot, PaperSheet, PollKind
from voting.services.paper import enter_paper_ballot, hand_out_paper_ballot

pytestmark = pytest.mark.django_db


@pytest.fixture
def poll(kern, staff):
    poll = PollFactory(box=BallotBoxFactory(kern=kern), kind=PollKind.MULTIPLE, max_choices=2)
    for _ in range(3):
        hand_out_paper_ballot(actor=staff, box=poll.box, voter=UserFactory(kern=kern))
    poll.a, poll.b, poll.c = poll.options.all()
    return poll


@pytest.fixture
def colleague(db):
    return StaffFactory(first_name="Kees")


@pytest.fixture
def third(db):
    return StaffFactory(first_name="Derk")


def paper_url(box):
    return reverse("voting:paper", args=[box.pk])


def enter(client, box, number, options=(), **extra):
    return client.post(paper_url(box), {"number": number, "option": [o.pk for o in options], **extra}, follow=True)


def test_two_equal_entries_by_two_people_count_the_ballot(client, staff, colleague, poll):
    client.force_login(staff)
    first = enter(client, poll.box, 7, [poll.a, poll.c])
    assert "Een collega voert het nog een keer in" in first.content.decode()
    assert PaperSheet.objects.get().state == PaperSheet.State.WAITING and Ballot.objects.count() == 0
    assert "7" in client.get(paper_url(poll.box)).content.decode()
    again = enter(client, poll.box, 7, [poll.a, poll.c])
    assert "Een collega voert het een tweede keer in" in again.content.decode()
    client.force_login(colleague)
    second = enter(client, poll.box, 7, [poll.c, poll.a])
    assert "telt nu mee" in second.content.decode()
    assert Ballot.objects.get().choices == {str(poll.a.pk): 1, str(poll.c.pk): 1}
    assert enter(client, poll.box, 7, [poll.a]).status_code == 400  # done: a third entry is refused


def test_a_difference_is_flagged_and_a_third_colleague_settles_it(client, staff, colleague, third, poll):
    client.force_login(staff)
    enter(client, poll.box, 3, [poll.a])
    client.force_login(colleague)
    flagged = enter(client, poll.box, 3, [poll.b]).content.decode()
    assert "Een derde collega bekijkt het" in flagged
    sheet = PaperSheet.objects.get()
    assert sheet.state == PaperSheet.State.MISMATCH and Ballot.objects.count() == 0
    assert f"1. {poll.a.label}" in flagged and f"2. {poll.b.label}" in flagged  # both entries side by side
    settle_url = reverse("voting:paper_settle", args=[poll.box.pk, sheet.pk])
    for who in (staff, colleague):
        client.force_login(who)
        page = client.get(settle_url).content.decode()
        assert "U voerde dit stembiljet zelf in" in page
        refused = client.post(settle_url, {"option": [poll.a.pk], "action": "count"})
        assert refused.status_code == 400 and "derde collega" in refused.content.decode()
    client.force_login(third)
    page = client.get(settle_url).content.decode()
    assert "verschil" in page and "Tel zo mee" in page
    client.post(settle_url, {"option": [poll.a.pk, poll.b.pk], "action": "count"})
    sheet.refresh_from_db()
    assert (sheet.state, sheet.settled_by) == (PaperSheet.State.COUNTED, third)
    assert Ballot.objects.get().choices == {str(poll.a.pk): 1, str(poll.b.pk): 1}


def test_a_third_colleague_may_mark_a_flagged_sheet_spoiled(client, staff, colleague, third, poll):
    enter_paper_ballot(actor=staff, box=poll.box, number=1, choices=[poll.a.pk])
    sheet = enter_paper_ballot(actor=colleague, box=poll.box, number=1, choices=[poll.b.pk])
    client.force_login(third)
    client.post(reverse("voting:paper_settle", args=[poll.box.pk, sheet.pk]), {"action": "spoiled"})
    sheet.refresh_from_db()
    assert sheet.state == PaperSheet.State.SPOILED and Ballot.objects.count() == 0


def test_a_blank_or_invalid_sheet_entered_twice_is_spoiled(client, staff, colleague, poll):
    client.force_login(staff)
    enter(client, poll.box, 9, spoiled="on")
    client.force_login(colleague)
    assert "ongeldig ingevoerd" in enter(client, poll.box, 9, spoiled="on").content.decode()
    assert PaperSheet.objects.get().state == PaperSheet.State.SPOILED and Ballot.objects.count() == 0


def test_spoiled_once_and_valid_once_is_a_difference(staff, colleague, poll):
    enter_paper_ballot(actor=staff, box=poll.box, number=2, choices=None, spoiled=True)
    sheet = enter_paper_ballot(actor=colleague, box=poll.box, number=2, choices=[poll.a.pk])
    assert sheet.state == PaperSheet.State.MISMATCH


def test_no_more_sheets_than_paper_ballots_handed_out(client, staff, poll):
    client.force_login(staff)
    for number in (1, 2, 3):
        enter(client, poll.box, number, [poll.a])
    refused = enter(client, poll.box, 4, [poll.a])
    assert "niet meer papieren stembiljetten uitgegeven" in refused.content.decode()
    assert PaperSheet.objects.count() == 3


@pytest.mark.parametrize("number, options, says", [
    ("", "a", "Vul het nummer"),
    ("abc", "a", "Vul het nummer"),
    ("0", "a", "klopt niet"),
    ("99999999", "a", "klopt niet"),
    ("1", "", "Maak eerst een keuze"),
    ("1", "abc", "hoogstens 2"),
    ("1", "forged", "geldige keuze"),
])
def test_bad_entries_are_refused_and_nothing_is_written(client, staff, poll, number, options, says):
    client.force_login(staff)
    chosen = {"a": [poll.a.pk], "abc": [poll.a.pk, poll.b.pk, poll.c.pk], "forged": [999_999], "": []}[options]
    response = client.post(paper_url(poll.box), {"number": number, "option": chosen})
    assert response.status_code == 400 and says in response.content.decode()
    assert PaperSheet.objects.count() == 0


def test_a_sheet_of_another_box_is_not_found(client, staff, colleague, poll, kern):
    enter_paper_ballot(actor=staff, box=poll.box, number=1, choices=[poll.a.pk])
    sheet = enter_paper_ballot(actor=colleague, box=poll.box, number=1, choices=[poll.b.pk])
    other = PollFactory(box=BallotBoxFactory(kern=kern))
    client.force_login(StaffFactory())
    assert client.get(reverse("voting:paper_settle", args=[other.box.pk, sheet.pk])).status_code == 404
    assert client.post(reverse("voting:paper_settle", args=[other.box.pk, sheet.pk]),
                       {"action": "spoiled"}).status_code == 404
    assert PaperSheet.objects.get().state == PaperSheet.State.MISMATCH


def test_a_budget_on_paper_with_the_knapsacks_rules(client, staff, colleague, kern):
    budget = letter_budget(kern)
    from tests.voting.app.hallkit import issue

    for letter in issue(staff, budget.box, 2):
        hand_out_paper_ballot(actor=staff, box=budget.box, code=letter.plain_code)
    client.force_login(staff)
    over = client.post(paper_url(budget.box), {"number": 1, "project": [budget.p1.pk, budget.p2.pk, budget.p3.pk]})
    assert over.status_code == 400 and "meer dan het budget" in over.content.decode()
    client.post(paper_url(budget.box), {"number": 1, "project": [budget.p1.pk]})
    client.force_login(colleague)
    client.post(paper_url(budget.box), {"number": 1, "project": [budget.p1.pk]})
    assert Ballot.objects.get().choices == {str(budget.p1.pk): 1}


def test_the_paper_page_takes_the_same_queries_for_few_or_many_flagged_sheets(client, staff, colleague, kern,
                                                                              django_assert_max_num_queries):
    poll = PollFactory(box=BallotBoxFactory(kern=kern))
    a, b, _c = poll.options.all()
    for _ in range(40):
        hand_out_paper_ballot(actor=staff, box=poll.box, voter=UserFactory(kern=kern))
    client.force_login(third := StaffFactory())
    client.get(paper_url(poll.box))
    counts = []
    for numbers in (range(1, 3), range(3, 40)):
        for number in numbers:
            enter_paper_ballot(actor=staff, box=poll.box, number=number, choices=[a.pk])
            enter_paper_ballot(actor=colleague, box=poll.box, number=number, choices=[b.pk])
        with django_assert_max_num_queries(10) as queries:
            assert client.get(paper_url(poll.box)).status_code == 200
        counts.append(own_queries(queries.captured_queries))
    assert counts[0] == counts[1]
    sheet = PaperSheet.objects.first()
    with django_assert_max_num_queries(10):
        assert client.get(reverse("voting:paper_settle", args=[poll.box.pk, sheet.pk])).status_code == 200
    assert third


@pytest.mark.parametrize("role", ROLES)
def test_who_may_enter_paper_ballots(client, cast, poll, role):
    if role != "anonymous":
        client.force_login(fresh(cast[role]))
    response = client.get(paper_url(poll.box))
    assert response.status_code == (302 if role == "anonymous" else 200 if role in STAFF else 403)
    client.post(paper_url(poll.box), {"number": 1, "option": [poll.a.pk]})
    assert PaperSheet.objects.count() == (1 if role in STAFF else 0)


def test_no_entries_after_the_result_is_published(client, staff, poll):
    poll.box.closes_at = timezone.now()
    poll.box.result_published_at = timezone.now()
    poll.box.save()
    client.force_login(staff)
    assert client.get(paper_url(poll.box)).status_code == 403
