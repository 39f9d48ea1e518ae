"""Checking a receipt, on the page and in the API: "counted" or "not found", never what the ballot says; bad input
gets a clear answer; both are throttled."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.factories_voting import BallotBoxFactory, PollFactory
from tests.voting.app._public_data import budget_with_ballots, post_json
from voting.api import throttles
from voting.models import Ballot

pytestmark = pytest.mark.django_db

PAGE = "voting:check_receipt"


@pytest.fixture
def budget(kern):
    return budget_with_ballots(kern, voters=3)


def check(client, box, receipt):
    return client.post(reverse(PAGE), {"box": box.pk, "receipt": receipt})


# --- the page -------------------------------------------------------------------------------------------------

def test_the_page_lists_boxes_that_opened_and_preselects_one(client, kern, budget):
    upcoming = PollFactory(box=BallotBoxFactory(kern=kern, upcoming=True))
    page = client.get(reverse(PAGE), {"stembus": budget.box.pk})
    html = page.content.decode()
    assert page.status_code == 200 and budget.title in html and upcoming.question not in html
    assert f'<option value="{budget.box.pk}" selected>' in html


def test_a_counted_receipt_says_so_and_nothing_more(client, budget):
    answer = check(client, budget.box, budget.receipts[1].lower())
    html = answer.content.decode()
    assert answer.status_code == 200 and 'data-receipt="counted"' in html and "Uw stembiljet is meegeteld." in html
    for project in (budget.a, budget.b, budget.c):
        assert project.title not in html


def test_an_unknown_receipt_or_one_of_another_box_is_not_found(client, kern, budget):
    other = budget_with_ballots(kern, voters=1)
    for box, receipt in ((budget.box, "AAAA-BBBB-CCCC-DDDD"), (other.box, budget.receipts[0])):
        html = check(client, box, receipt).content.decode()
        assert 'data-receipt="not-found"' in html and "Niet gevonden." in html and 'data-receipt="counted"' not in html


@pytest.mark.parametrize("data", [{}, {"box": "x", "receipt": "A"}, {"box": 999, "receipt": "A"},
                                  {"box": "{box}", "receipt": ""}, {"box": "{box}", "receipt": "A" * 65},
                                  {"box": "{box}", "receipt": "<script>alert(1)</script>" * 3}])
def test_bad_input_gets_a_clear_error(client, budget, data):
    data = {key: str(value).replace("{box}", str(budget.box.pk)) for key, value in data.items()}
    answer = client.post(reverse(PAGE), data)
    html = answer.content.decode()
    assert answer.status_code == 400 and 'class="errorlist"' in html and "<script>alert" not in html
    assert "data-receipt" not in html


def test_the_page_is_throttled(client, budget, monkeypatch):
    monkeypatch.setattr(throttles.ReceiptThrottle, "default_rate", "2/min")
    for _try in range(2):
        assert check(client, budget.box, "FOUT").status_code == 200
    refused = check(client, budget.box, budget.receipts[0])
    assert refused.status_code == 429 and "data-receipt" not in refused.content.decode()


def test_the_page_needs_the_csrf_token(budget):
    assert Client(enforce_csrf_checks=True).post(reverse(PAGE), {"box": budget.box.pk,
                                                                 "receipt": budget.receipts[0]}).status_code == 403


def test_the_page_costs_few_queries_and_reading_it_writes_nothing(client, kern, django_assert_max_num_queries):
    for _n in range(15):
        PollFactory(box=BallotBoxFactory(kern=kern))
    with django_assert_max_num_queries(3):
        assert client.get(reverse(PAGE)).status_code == 200


# --- the API --------------------------------------------------------------------------------------------------

def api(client, box, data):
    return post_json(client, reverse("api:voting-receipt-check", args=[box.pk]), data)


def test_the_api_says_counted_or_not(client, budget):
    assert api(client, budget.box, {"receipt": budget.receipts[2]}).json() == {"counted": True}
    assert api(client, budget.box, {"receipt": "AAAA-BBBB-CCCC-DDDD"}).json() == {"counted": False}


def test_the_api_refuses_bad_input(client, budget):
    for data in ({}, {"receipt": ""}, {"receipt": "A" * 65}, {"receipt": ["A"]}):
        answer = api(client, budget.box, data)
        assert answer.status_code == 400 and answer.json()["code"] == "invalid"


def test_the_api_is_throttled_per_person(client, kern, budget, monkeypatch):
    monkeypatch.setattr(throttles.ReceiptThrottle, "default_rate", "1/min")
    client.force_login(UserFactory(kern=kern))
    assert api(client, budget.box, {"receipt": budget.receipts[0]}).status_code == 200
    refused = api(client, budget.box, {"receipt": budget.receipts[0]})
    assert refused.status_code == 429 and refused["Retry-After"]


def test_checking_changes_nothing(client, budget):
    before = list(Ballot.objects.order_by("id").values_list("id", "choices", "receipt_hash"))
    check(client, budget.box, budget.receipts[0])
    api(client, budget.box, {"receipt": budget.receipts[0]})
    assert list(Ballot.objects.order_by("id").values_list("id", "choices", "receipt_hash")) == before
