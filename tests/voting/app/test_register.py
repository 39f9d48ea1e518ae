"""The reconciliation: the register per channel beside the ballots, the paper sheets and codes that explain the
difference, a clear warning when the numbers do not add up, and the register as CSV; never how anyone voted."""

import csv
import io

import pytest
from django.urls import reverse

from tests.factories import CouncilMembershipFactory, StaffFactory, UserFactory
from tests.factories_voting import BallotBoxFactory, PollFactory
from tests.roles import ROLES, STAFF, fresh
from tests.voting.app.hallkit import issue, letter_poll, own_queries
from voting.models import Ballot, Channel, PaperSheet, Turnout
from voting.selectors.hall import register_numbers
from voting.services.casting import cast_ballot
from voting.services.codes import revoke_code
from voting.services.paper import enter_paper_ballot, hand_out_paper_ballot

pytestmark = pytest.mark.django_db


def register_url(box):
    return reverse("voting:register", args=[box.pk])


@pytest.fixture
def election(kern, staff):
    """A poll by letter with every channel: 2 online by code, 1 helped at the counter, 4 on paper (one counted,
    one waiting, one flagged, one not yet entered), one code revoked and two never used."""
    poll = letter_poll(kern)
    box = poll.box
    a, b, _c = poll.options.all()
    letters = issue(staff, box, 10)
    for letter in letters[:2]:
        cast_ballot(actor=UserFactory(), box=box, choices=[a.pk], code=letter.plain_code)
    cast_ballot(actor=staff, box=box, choices=[b.pk], code=letters[2].plain_code, at_counter=True)
    for letter in letters[3:7]:
        hand_out_paper_ballot(actor=staff, box=box, code=letter.plain_code)
    colleague = StaffFactory()
    enter_paper_ballot(actor=staff, box=box, number=1, choices=[a.pk])
    enter_paper_ballot(actor=colleague, box=box, number=1, choices=[a.pk])
    enter_paper_ballot(actor=staff, box=box, number=2, choices=[a.pk])
    enter_paper_ballot(actor=staff, box=box, number=3, choices=[a.pk])
    enter_paper_ballot(actor=colleague, box=box, number=3, choices=[b.pk])
    revoke_code(actor=staff, code=letters[7].code, reason="Brief kwijt")
    poll.letters = letters
    return poll


def test_the_numbers_add_up_and_explain_the_paper_still_to_count(election):
    numbers = register_numbers(election.box)
    assert numbers.channels == {Channel.CODE: 2, Channel.COUNTER: 1, Channel.PAPER: 4}
    assert numbers.registered == 7 and numbers.online == 3
    assert numbers.ballots == 4 == numbers.expected_ballots  # 3 online + 1 counted sheet
    assert numbers.sheets == {PaperSheet.State.COUNTED: 1, PaperSheet.State.WAITING: 1, PaperSheet.State.MISMATCH: 1}
    assert numbers.paper_not_entered == 1
    assert numbers.not_yet_ballots == 3  # waiting + flagged + not entered
    assert (numbers.codes_issued, numbers.codes_used, numbers.codes_revoked, numbers.codes_open) == (10, 7, 1, 2)
    assert numbers.adds_up


def test_the_report_shows_every_channel_and_who_voted_but_not_how(client, staff, election):
    client.force_login(staff)
    page = client.get(register_url(election.box)).content.decode()
    assert 'data-adds-up="yes"' in page
    assert 'data-total="register">7<' in page and 'data-total="ballots">4<' in page
    for label in ("Online met een stemcode", "Met hulp aan de balie", "Op papier"):
        assert label in page
    for letter in election.letters[:7]:
        assert letter.code.addressee in page
    assert election.letters[8].code.addressee not in page  # never voted
    for option in election.options.all():
        assert option.label not in page  # nothing of what anyone chose
    assert staff.display_name in page  # who helped at the counter and handed out paper


def test_a_ballot_without_a_register_row_is_a_loud_warning(client, staff, election):
    Ballot.objects.create(box=election.box, choices={"x": 1})
    client.force_login(staff)
    page = client.get(register_url(election.box)).content.decode()
    assert 'data-adds-up="no"' in page and "kloppen niet" in page and "Publiceer de uitslag niet" in page
    assert "Er zijn 5 stembiljetten in de telling. Volgens het register horen dat er 4 te zijn." in page


def test_a_register_row_without_its_ballot_is_a_warning_too(client, staff, election):
    Turnout.objects.create(box=election.box, voter=UserFactory(), channel=Channel.WEB)
    client.force_login(staff)
    assert 'data-adds-up="no"' in client.get(register_url(election.box)).content.decode()


def test_the_csv_is_the_register_without_any_ballot_content(client, staff, election):
    client.force_login(staff)
    response = client.get(reverse("voting:register_csv", args=[election.box.pk]))
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["naam", "adres", "kanaal", "geholpen door"]
    assert len(rows) == 8
    assert {row[2] for row in rows[1:]} == {"online met een stemcode", "met hulp aan de balie", "op papier"}
    for option in election.options.all():
        assert option.label not in text
    assert str(election.box.ballots.first().pk) not in text


def test_a_formula_in_a_name_is_neutralised_in_the_csv(client, staff, kern):
    poll = PollFactory(box=BallotBoxFactory(kern=kern))
    Turnout.objects.create(box=poll.box, voter=UserFactory(first_name="=HYPERLINK(1)", last_name=""),
                           channel=Channel.WEB)
    client.force_login(staff)
    text = b"".join(client.get(reverse("voting:register_csv", args=[poll.box.pk])).streaming_content).decode()
    assert "'=HYPERLINK(1)" in text


def test_the_report_takes_the_same_queries_for_7_or_70_voters(client, staff, election, kern,
                                                             django_assert_max_num_queries):
    client.force_login(staff)
    client.get(register_url(election.box))
    counts = []
    for n in (0, 63):
        for _ in range(n):
            Turnout.objects.create(box=election.box, voter=UserFactory(kern=kern), channel=Channel.WEB)
        with django_assert_max_num_queries(10) as queries:
            assert client.get(register_url(election.box)).status_code == 200
        counts.append(own_queries(queries.captured_queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(10):
        b"".join(client.get(reverse("voting:register_csv", args=[election.box.pk])).streaming_content)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("voting:hall", args=[election.box.pk])).status_code == 200


@pytest.mark.parametrize("closed", [False, True])
@pytest.mark.parametrize("role", ROLES)
def test_who_may_see_the_register(client, cast, kern, role, closed):
    poll = PollFactory(box=BallotBoxFactory(kern=kern, closed=closed))
    if role != "anonymous":
        client.force_login(fresh(cast[role]))
    allowed = role in STAFF or (role == "council" and closed)
    for url in (register_url(poll.box), reverse("voting:register_csv", args=[poll.box.pk])):
        response = client.get(url)
        assert response.status_code == (302 if role == "anonymous" else 200 if allowed else 403)


def test_the_council_of_another_kern_never_sees_it(client, kern, other_kern):
    poll = PollFactory(box=BallotBoxFactory(kern=kern, closed=True))
    client.force_login(CouncilMembershipFactory(kern=other_kern).user)
    assert client.get(register_url(poll.box)).status_code == 403


def test_a_box_that_does_not_exist_is_not_found(client, staff):
    client.force_login(staff)
    for name in ("voting:hall", "voting:register", "voting:codes", "voting:counter", "voting:paper"):
        assert client.get(reverse(name, args=[987_654])).status_code == 404


def test_no_page_of_the_village_hall_writes_on_get(client, staff, election):
    """Every GET of the hall (codes, letters, counter, paper, settle, register, CSV, the code page) writes nothing."""
    import re

    from django.db import connection

    from voting.letters.batches import start_letters
    from voting.services.codes import Addressee

    box = election.box
    sheet = PaperSheet.objects.get(state=PaperSheet.State.MISMATCH)
    key = start_letters(actor=staff, box=box, addressees=[Addressee("Jan", "Dorpsstraat 1", "2952 AB", "Arkel")],
                        code_url="http://testserver/stemcode/").key
    client.force_login(staff)
    client.get(reverse("voting:hall", args=[box.pk]))  # the first visit of the day is written once
    urls = [reverse(name, args=[box.pk]) for name in ("voting:hall", "voting:codes", "voting:counter",
                                                      "voting:counter_ballot", "voting:paper", "voting:register",
                                                      "voting:register_csv")]
    urls += [reverse("voting:paper_settle", args=[box.pk, sheet.pk]), reverse("voting:enter_code"),
             reverse("voting:codes", args=[box.pk]) + "?postcode=2952ab",
             reverse("voting:counter", args=[box.pk]) + "?q=bewoner",
             reverse("voting:letters", args=[box.pk, "x" * 32]),
             reverse("voting:letters_status", args=[box.pk, "x" * 32]),
             reverse("voting:letters", args=[box.pk, key]), reverse("voting:letters_status", args=[box.pk, key])]
    write = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.I)
    writes = []

    def catch(execute, sql, params, many, context):
        if write.match(sql) and '"django_session"' not in sql:
            writes.append(sql[:120])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(catch):
        for url in urls:
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            assert response.status_code < 500, url
    assert not writes
    assert client.get(reverse("voting:letters", args=[box.pk, key])).status_code == 200  # still there


@pytest.mark.parametrize("closed", [False, True])
@pytest.mark.parametrize("role", ROLES)
def test_the_hall_page_shows_each_door_its_rule_opens(client, cast, kern, role, closed):
    poll = letter_poll(kern, closed=closed)
    if role != "anonymous":
        client.force_login(fresh(cast[role]))
    response = client.get(reverse("voting:hall", args=[poll.box.pk]))
    if role == "anonymous":
        assert response.status_code == 302
        return
    staff = role in STAFF
    if not staff and not (role == "council" and closed):
        assert response.status_code == 403
        return
    page = response.content.decode()
    links = {name: reverse(name, args=[poll.box.pk]) in page
             for name in ("voting:codes", "voting:counter", "voting:paper", "voting:register")}
    assert links == {"voting:codes": staff and not closed, "voting:counter": staff and not closed,
                     "voting:paper": staff, "voting:register": True}
