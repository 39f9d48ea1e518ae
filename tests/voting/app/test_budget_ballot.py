"""The ballot pages: filled in without JavaScript, changed one click at a time through the JSON address,
checked, cast once (Back-and-resubmit is recognised), the receipt shown once; by account and by letter code."""

import json
import re
from datetime import timedelta

import pytest
from django.db import reset_queries
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.factories_voting import BallotBoxFactory, BudgetFactory, ProjectFactory
from tests.roles import LIVES_IN_KERN, ROLES
from voting.models import Ballot, BallotDraft, BallotFormat, Channel, Turnout, WhoMayVote
from voting.services.casting import receipt_counted
from voting.services.codes import Addressee, issue_codes
from voting.views._session import SESSION_KEY

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget(kern):
    budget = BudgetFactory(box__kern=kern, amount=10_000, title="Kernbudget Arkel")
    budget.p = [ProjectFactory(budget=budget, title=title, cost=cost) for title, cost in
                (("Speeltuin", 4_000), ("Bankjes", 3_500), ("Bomen", 3_000), ("Fietsrek", 500))]
    return budget


@pytest.fixture
def voter(resident):
    client = Client()
    client.force_login(resident)
    return client


def url(name, budget):
    return reverse(f"voting:{name}", args=[budget.slug])


def ids(*projects):
    return [str(project.pk) for project in projects]


def draft_of(budget):
    draft = BallotDraft.objects.filter(box=budget.box).first()
    return draft.choices if draft else {}


def summary_form(response) -> dict:
    html = response.content.decode()
    return {"key": re.search(r'name="key" value="([^"]+)"', html).group(1),
            "choice": re.findall(r'name="choice" value="([^"]+)"', html)}


def test_without_javascript_from_ballot_to_receipt(voter, budget, resident):
    page = voter.get(url("ballot", budget))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('type="checkbox"') == 4 and "<legend>" in html and "€\xa00 van €\xa010.000 gekozen" in html
    response = voter.post(url("ballot", budget), {"project": ids(budget.p[0], budget.p[1]), "action": "next"})
    assert response.status_code == 302 and response["Location"] == url("ballot_summary", budget)
    assert draft_of(budget) == {str(budget.p[0].pk): 1, str(budget.p[1].pk): 1}
    summary = voter.get(url("ballot_summary", budget))
    text = summary.content.decode()
    assert "Speeltuin" in text and "Bankjes" in text and "Bomen" not in text
    assert "€\xa07.500 van €\xa010.000 gekozen" in text and "Pas aan" in text and "Stem uitbrengen" in text
    cast = voter.post(url("ballot_summary", budget), summary_form(summary))
    assert cast.status_code == 302 and cast["Location"] == url("receipt", budget)
    receipt = voter.get(url("receipt", budget)).content.decode()
    code = re.search(r'id="receipt-code"[^>]*value="([A-Z0-9-]+)"', receipt).group(1)
    assert "Uw stem is geteld" in receipt and re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)
    assert receipt_counted(budget.box, code)
    assert Ballot.objects.get().choices == {str(budget.p[0].pk): 1, str(budget.p[1].pk): 1}
    assert Turnout.objects.get().voter == resident and not BallotDraft.objects.exists()
    again = voter.get(url("receipt", budget)).content.decode()
    assert "Uw stem is geteld" in again and code not in again  # shown once: gone from the session
    assert code not in json.dumps(dict(voter.session.items()))
    # Back on the ballot: a clear page, not a second ballot.
    refused = voter.get(url("ballot", budget))
    assert refused.status_code == 403 and "U hebt al gestemd" in refused.content.decode()


def test_save_without_going_on_keeps_the_choices(voter, budget):
    response = voter.post(url("ballot", budget), {"project": ids(budget.p[2]), "action": "save"})
    assert response.status_code == 302 and response["Location"] == url("ballot", budget)
    html = voter.get(url("ballot", budget)).content.decode()
    assert re.search(rf'value="{budget.p[2].pk}"\s+checked', html)
    assert "Uw keuzes zijn bewaard." in html


def test_over_budget_is_refused_beside_the_project_and_the_rest_is_kept(voter, budget):
    response = voter.post(url("ballot", budget), {"project": ids(*budget.p[:3]), "action": "next"})
    assert response.status_code == 400
    html = response.content.decode()
    refused = re.search(rf'id="error-{budget.p[2].pk}"[^>]*>([^<]+)<', html).group(1)
    assert refused == "Dit past niet meer. Samen kost het dan €\xa010.500. Het budget is €\xa010.000."
    assert draft_of(budget) == {str(budget.p[0].pk): 1, str(budget.p[1].pk): 1}
    assert "Past niet meer in het budget" in html  # the checkbox says why it cannot be added


def test_a_swap_takes_away_first_so_it_fits(voter, budget):
    voter.post(url("ballot", budget), {"project": ids(budget.p[0], budget.p[1]), "action": "save"})
    response = voter.post(url("ballot", budget), {"project": ids(budget.p[1], budget.p[2], budget.p[3]),
                                                  "action": "save"})
    assert response.status_code == 302
    assert set(draft_of(budget)) == set(ids(budget.p[1], budget.p[2], budget.p[3]))


def test_forged_and_foreign_projects_are_refused(voter, budget, kern):
    foreign = ProjectFactory(budget=BudgetFactory(box__kern=kern))
    response = voter.post(url("ballot", budget), {"project": [str(foreign.pk), "999999", "<script>", budget.p[3].pk],
                                                  "action": "next"})
    assert response.status_code == 400 and "staat niet op dit stembiljet" in response.content.decode()
    assert draft_of(budget) == {str(budget.p[3].pk): 1}
    cast = voter.post(url("ballot_summary", budget), {"key": "k" * 32, "choice": [f"{foreign.pk}:1"]})
    assert cast.status_code == 302 and not Ballot.objects.exists()


def test_back_and_resubmit_replays(voter, budget, resident):
    voter.post(url("ballot", budget), {"project": ids(budget.p[3]), "action": "next"})
    form = summary_form(voter.get(url("ballot_summary", budget)))
    voter.post(url("ballot_summary", budget), form)
    voter.get(url("receipt", budget))
    again = voter.post(url("ballot_summary", budget), form, follow=True)
    assert again.status_code == 200 and "Uw stem was al geteld" in again.content.decode()
    # The same page sent from another browser of the same person: the service recognises the key.
    other = Client()
    other.force_login(resident)
    replay = other.post(url("ballot_summary", budget), form, follow=True)
    assert "Uw stem was al geteld" in replay.content.decode()
    # Another summary (another key) is a second ballot: refused, clearly.
    second = other.post(url("ballot_summary", budget), {**form, "key": "een-andere-sleutel"})
    assert second.status_code == 403 and "U hebt al gestemd" in second.content.decode()
    assert Ballot.objects.count() == 1 and Turnout.objects.count() == 1


def test_an_incomplete_ballot_goes_back_with_a_message(voter, kern):
    budget = BudgetFactory(box__kern=kern, min_projects=2)
    first = ProjectFactory(budget=budget)
    ProjectFactory(budget=budget)
    voter.post(url("ballot", budget), {"project": [str(first.pk)], "action": "next"})
    response = voter.get(url("ballot_summary", budget), follow=True)
    assert response.redirect_chain[-1][0] == url("ballot", budget)
    assert "Kies minstens 2 projecten" in response.content.decode()


# The JSON address --------------------------------------------------------------------------------------

def choose(client, budget, project, points=1):
    response = client.post(url("ballot_choice", budget), {"project": str(getattr(project, "pk", project)),
                                                          "points": str(points)})
    return response.status_code, response.json()


def test_each_click_is_saved_and_answered_with_the_progress(voter, budget):
    status, data = choose(voter, budget, budget.p[0])
    assert status == 200 and data["progress"] == {"value": 4_000, "max": 10_000,
                                                  "text": "€\xa04.000 van €\xa010.000 gekozen"}
    assert data["choices"] == {str(budget.p[0].pk): 1}
    choose(voter, budget, budget.p[1])
    status, data = choose(voter, budget, budget.p[2])
    assert status == 400 and "Samen kost het dan €\xa010.500." in data["error"]
    assert data["project"] == str(budget.p[2].pk)
    assert set(data["choices"]) == set(ids(budget.p[0], budget.p[1])) and data["progress"]["value"] == 7_500
    assert "Past niet meer" in data["notes"][str(budget.p[2].pk)] and data["notes"][str(budget.p[3].pk)] == ""
    status, data = choose(voter, budget, budget.p[0], 0)
    assert status == 200 and data["choices"] == {str(budget.p[1].pk): 1}


@pytest.mark.parametrize(("project", "points"), [("999999", "1"), ("", "1"), ("x" * 50, "1"), ("1", "-1"),
                                                  ("1", "veel"), ("1", "")])
def test_bad_clicks_are_refused(voter, budget, project, points):
    response = voter.post(url("ballot_choice", budget), {"project": project, "points": points})
    assert response.status_code == 400 and response.json()["error"]
    assert draft_of(budget) == {}


def test_a_project_of_another_budget_is_refused(voter, budget, kern):
    foreign = ProjectFactory(budget=BudgetFactory(box__kern=kern))
    status, data = choose(voter, budget, foreign)
    assert status == 400 and draft_of(budget) == {}


def test_the_json_address_refuses_who_may_not_vote(client, budget, cast):
    assert client.post(url("ballot_choice", budget), {"project": budget.p[0].pk, "points": 1}).status_code == 403
    outsider = Client()
    outsider.force_login(cast["resident_other_kern"])
    assert outsider.post(url("ballot_choice", budget), {"project": budget.p[0].pk, "points": 1}).status_code == 403
    assert client.get(url("ballot_choice", budget)).status_code == 405
    assert not BallotDraft.objects.exists()


def test_approval_and_points_say_how_full_the_ballot_is(kern, voter):
    approval = BudgetFactory(box__kern=kern, ballot_format=BallotFormat.APPROVAL, max_projects=3)
    projects = [ProjectFactory(budget=approval) for _ in range(4)]
    choose(voter, approval, projects[0])
    status, data = choose(voter, approval, projects[1])
    assert data["progress"]["text"] == "2 van 3 projecten gekozen"
    choose(voter, approval, projects[2])
    status, data = choose(voter, approval, projects[3])
    assert status == 400 and "hoogste aantal" in data["notes"][str(projects[3].pk)]
    points = BudgetFactory(box__kern=kern, ballot_format=BallotFormat.POINTS, points_total=10)
    options = [ProjectFactory(budget=points) for _ in range(2)]
    response = voter.post(url("ballot", points), {f"points-{options[0].pk}": "5", f"points-{options[1].pk}": "3",
                                                  "action": "save"})
    assert response.status_code == 302
    html = voter.get(url("ballot", points)).content.decode()
    assert "8 van 10 punten verdeeld" in html and 'max="7"' in html
    refused = voter.post(url("ballot", points), {f"points-{options[0].pk}": "9", f"points-{options[1].pk}": "zes",
                                                 "action": "save"})
    assert refused.status_code == 400 and "Vul een heel getal in." in refused.content.decode()
    assert draft_of(points) == {str(options[0].pk): 5, str(options[1].pk): 3}


@pytest.mark.parametrize("count", [5, 100])
def test_the_ballot_page_needs_few_queries(voter, kern, count, django_assert_max_num_queries):
    budget = BudgetFactory(box__kern=kern, amount=1_000_000)
    for _number in range(count):
        ProjectFactory(budget=budget)
    voter.get(url("ballot", budget))
    reset_queries()
    with django_assert_max_num_queries(10):
        assert voter.get(url("ballot", budget)).status_code == 200


# Who cannot vote, and why --------------------------------------------------------------------------------

def page_for(client, budget):
    response = client.get(url("ballot", budget))
    assert response.status_code == 403, response.status_code
    html = response.content.decode()
    assert reverse("community:contact") in html and "Wat kunt u doen?" in html
    return html


def test_refusals_say_why_and_what_to_do(client, cast, kern):
    open_box = BudgetFactory(box__kern=kern)
    assert "Log in om te stemmen" in page_for(client, open_box)
    outsider = Client()
    outsider.force_login(cast["resident_other_kern"])
    assert "Deze stemming is voor inwoners van Arkel" in page_for(outsider, open_box)
    resident = Client()
    resident.force_login(cast["resident"])
    verified = BudgetFactory(box__kern=kern, box__who_may_vote=WhoMayVote.VERIFIED)
    assert "bevestigd" in page_for(resident, verified)
    upcoming = BudgetFactory(box=BallotBoxFactory(kern=kern, upcoming=True))
    assert "De stemming begint op" in page_for(resident, upcoming)
    closed = BudgetFactory(box=BallotBoxFactory(kern=kern, closed=True))
    assert "De stemming is gesloten" in page_for(resident, closed)
    letters = BudgetFactory(box__kern=kern, box__who_may_vote=WhoMayVote.LETTER)
    assert "stemcode uit uw brief" in page_for(resident, letters)
    for name in ("ballot_summary",):
        assert client.get(url(name, open_box)).status_code == 403


# A letter code without an account ---------------------------------------------------------------------

@pytest.fixture
def by_letter(kern, staff):
    budget = BudgetFactory(box__kern=kern, box__who_may_vote=WhoMayVote.LETTER, amount=10_000)
    budget.p = [ProjectFactory(budget=budget, cost=4_000), ProjectFactory(budget=budget, cost=3_000)]
    budget.letter = issue_codes(actor=staff, box=budget.box,
                                addressees=[Addressee("Fam. Jansen", "Dorpsstraat 1", "2965AA", "Arkel")])[0]
    return budget


def with_code(budget, code) -> Client:
    client = Client()
    session = client.session
    session[SESSION_KEY] = {str(budget.box.pk): code}
    session.save()
    return client


def test_a_code_voter_without_an_account_votes_through_the_session(by_letter):
    visitor = with_code(by_letter, by_letter.letter.plain_code)
    assert visitor.get(url("ballot", by_letter)).status_code == 200
    status, data = choose(visitor, by_letter, by_letter.p[0])
    assert status == 200 and data["progress"]["value"] == 4_000
    form = summary_form(visitor.get(url("ballot_summary", by_letter)))
    assert visitor.post(url("ballot_summary", by_letter), form).status_code == 302
    receipt = visitor.get(url("receipt", by_letter)).content.decode()
    assert "Uw stem is geteld" in receipt
    turnout = Turnout.objects.get()
    assert turnout.channel == Channel.CODE and turnout.voter is None and turnout.code == by_letter.letter.code
    assert str(by_letter.box.pk) not in (visitor.session.get(SESSION_KEY) or {})  # the code is forgotten
    replay = visitor.post(url("ballot_summary", by_letter), form, follow=True)
    assert "Uw stem was al geteld" in replay.content.decode() and Ballot.objects.count() == 1
    # The same code again in a new browser: already used.
    again = with_code(by_letter, by_letter.letter.plain_code)
    assert "U hebt al gestemd" in page_for(again, by_letter)


def test_a_wrong_or_revoked_code_is_refused(by_letter, staff):
    assert "klopt niet" in page_for(with_code(by_letter, "AAAA-BBBB-CCCC"), by_letter)
    from voting.services.codes import revoke_code

    visitor = with_code(by_letter, by_letter.letter.plain_code)
    assert visitor.get(url("ballot", by_letter)).status_code == 200
    revoke_code(actor=staff, code=by_letter.letter.code, reason="Brief kwijt")
    assert "klopt niet" in page_for(visitor, by_letter)
    assert visitor.post(url("ballot_choice", by_letter), {"project": by_letter.p[0].pk, "points": 1}).status_code == 403


def test_the_receipt_page_without_a_vote_goes_to_the_ballot(voter, budget):
    response = voter.get(url("receipt", budget))
    assert response.status_code == 302 and response["Location"] == url("ballot", budget)


def test_a_box_that_closed_while_filling_in(voter, budget):
    choose(voter, budget, budget.p[0])
    form = summary_form(voter.get(url("ballot_summary", budget)))
    budget.box.closes_at = timezone.now() - timedelta(seconds=1)
    budget.box.save()
    response = voter.post(url("ballot_summary", budget), form)
    assert response.status_code == 403 and "gesloten" in response.content.decode()
    assert not Ballot.objects.exists()


def test_verified_residents_vote_where_it_is_asked(kern):
    budget = BudgetFactory(box__kern=kern, box__who_may_vote=WhoMayVote.VERIFIED)
    ProjectFactory(budget=budget)
    client = Client()
    client.force_login(factories.VerifiedResidentFactory(kern=kern))
    assert client.get(url("ballot", budget)).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_who_gets_the_ballot_of_a_kern(cast, kern, role):
    """Residents of the kern fill in the ballot; everyone else gets the page that says why not (never a 500)."""
    budget = BudgetFactory(box__kern=kern)
    ProjectFactory(budget=budget)
    client = Client()
    if role != "anonymous":
        client.force_login(cast[role])
    for name in ("ballot", "ballot_summary"):
        response = client.get(url(name, budget))
        if role in LIVES_IN_KERN:
            assert response.status_code in (200, 302), (name, response.status_code)
        else:
            assert response.status_code == 403 and "Wat kunt u doen?" in response.content.decode()
