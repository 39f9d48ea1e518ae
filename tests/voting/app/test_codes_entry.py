"""The code page: the code from the letter (however it is typed) leads to the ballot; a wrong, revoked or used code,
or a box that is not open, gets a clear answer; guessing is throttled."""

import pytest
from django.urls import NoReverseMatch, reverse

from tests.factories import UserFactory
from tests.voting.app.hallkit import issue, letter_budget, letter_poll
from voting.models import Turnout, VotingCode
from voting.services._common import hash_secret
from voting.services.codes import revoke_code
from voting.views._session import SESSION_KEY

pytestmark = pytest.mark.django_db

URL = "/stemcode/"
KNOWN = "01ABCDEFGHJKMNPQRSTVWXYZ10"  # holds the digits that look like letters


@pytest.fixture
def budget(kern):
    return letter_budget(kern)


def known_code(box) -> VotingCode:
    return VotingCode.objects.create(box=box, code_hash=hash_secret(KNOWN), addressee="Jan", street="Dorpsstraat 1",
                                     postcode="2952 AB", town="Arkel")


def enter(client, code, **extra):
    return client.post(URL, {"code": code}, **extra)


def test_the_url_name_is_the_code_page():
    assert reverse("voting:enter_code") == URL


def test_the_page_explains_the_code_and_where_to_get_help(client):
    response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'autocomplete="off"' in page and 'name="code"' in page
    assert "in uw brief" in page and "Niemand ziet hoe u stemt" in page and "14 0184" in page
    assert "js/voting-code.js" in page  # fills in the code of a scanned QR code


def test_a_right_code_goes_to_the_budgets_ballot_with_the_code_in_the_session(client, staff, budget):
    [letter] = issue(staff, budget.box)
    response = enter(client, letter.plain_code)
    assert response.status_code == 302
    assert response.url == reverse("voting:ballot", args=[budget.slug])
    assert client.session[SESSION_KEY] == {str(budget.box.pk): letter.plain_code.replace("-", "")}
    assert client.get(response.url).status_code == 200  # the ballot page takes it from there


@pytest.mark.parametrize("typed", [
    KNOWN, KNOWN.lower(), "01AB-CDEF-GHJK-MNPQ-RSTV-WXYZ-10", " 01ab cdef ghjk mnpq rstv wxyz 10 ",
    "OIABCDEFGHJKMNPQRSTVWXYZLO", "oiab-cdef-ghjk-mnpq-rstv-wxyz-lo",
])
def test_spaces_dashes_lower_case_and_look_alikes_are_all_fine(client, budget, typed):
    known_code(budget.box)
    response = enter(client, typed)
    assert response.status_code == 302, response.content.decode()[:300]
    assert client.session[SESSION_KEY] == {str(budget.box.pk): KNOWN}


def test_a_signed_in_resident_may_use_a_letter_code_too(client, staff, budget, resident):
    [letter] = issue(staff, budget.box)
    client.force_login(resident)
    assert enter(client, letter.plain_code).status_code == 302


def test_a_polls_code_goes_to_the_polls_page(client, staff, kern):
    poll = letter_poll(kern)
    [letter] = issue(staff, poll.box)
    try:
        target = reverse("voting:poll", args=[poll.pk])
    except NoReverseMatch:
        response = enter(client, letter.plain_code)
        assert response.status_code == 400 and "nog geen stembiljet" in response.content.decode()
        return
    assert enter(client, letter.plain_code).url == target


@pytest.mark.parametrize("typed, says", [
    ("ABCD", "kennen we niet"),
    ("Z" * 26, "kennen we niet"),
    ("U" * 26, "kennen we niet"),  # not in the alphabet
    ("<script>alert(1)</script>", "kennen we niet"),
    ("", "Vul de stemcode"),
    ("A" * 81, "te lang"),
])
def test_a_wrong_code_is_told_and_nothing_is_kept(client, budget, typed, says):
    known_code(budget.box)
    response = enter(client, typed)
    page = response.content.decode()
    assert response.status_code == 400
    assert says in page and "<script>alert(1)</script>" not in page
    assert SESSION_KEY not in client.session


def test_a_revoked_code_says_so(client, staff, budget):
    [letter] = issue(staff, budget.box)
    revoke_code(actor=staff, code=letter.code, reason="Brief kwijt")
    response = enter(client, letter.plain_code)
    assert response.status_code == 400 and "ingetrokken" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_used_code_says_so(client, staff, budget):
    [letter] = issue(staff, budget.box)
    Turnout.objects.create(box=budget.box, code=letter.code, channel="paper")
    response = enter(client, letter.plain_code)
    assert response.status_code == 400 and "al gestemd" in response.content.decode()


@pytest.mark.parametrize("state, says", [("closed", "gesloten"), ("upcoming", "nog niet begonnen")])
def test_a_box_that_is_not_open_says_when(client, staff, kern, state, says):
    budget = letter_budget(kern, **{state: True})
    code = known_code(budget.box)
    assert code.box_id == budget.box.pk
    response = enter(client, KNOWN)
    assert response.status_code == 400 and says in response.content.decode()
    assert SESSION_KEY not in client.session


def test_guessing_is_throttled_per_session_and_per_address(client, staff, budget):
    [letter] = issue(staff, budget.box)
    for n in range(10):
        assert enter(client, f"{n:026d}").status_code == 400
    blocked = enter(client, letter.plain_code)  # even the right code waits now
    assert blocked.status_code == 429 and "te vaak" in blocked.content.decode()
    assert SESSION_KEY not in client.session
    from django.test import Client

    other_browser = Client()  # a new session from the same address
    assert enter(other_browser, letter.plain_code).status_code == 429


def test_another_address_is_not_throttled_by_someone_elses_guessing(client, staff, budget):
    [letter] = issue(staff, budget.box)
    for n in range(10):
        enter(client, f"{n:026d}", REMOTE_ADDR="10.0.0.1")
    from django.test import Client

    assert enter(Client(), letter.plain_code, REMOTE_ADDR="10.0.0.2").status_code == 302


def test_the_code_page_takes_few_queries(client, staff, budget, django_assert_max_num_queries):
    [letter] = issue(staff, budget.box)
    with django_assert_max_num_queries(3):
        client.get(URL)
    with django_assert_max_num_queries(10):
        assert enter(client, letter.plain_code).status_code == 302


def test_the_code_page_is_never_cached_with_someones_code(client):
    response = client.get(URL)
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_a_code_for_a_box_without_letters_does_not_exist(client, kern):
    from tests.factories_voting import BallotBoxFactory, BudgetFactory

    budget = BudgetFactory(box=BallotBoxFactory(kern=kern))
    known_code(budget.box)
    UserFactory(kern=kern)
    response = enter(client, KNOWN)
    assert response.status_code == 400  # vote_with_code is only for boxes by letter
