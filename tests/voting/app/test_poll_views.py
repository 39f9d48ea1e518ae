"""The poll pages: the card and its ballot, casting (bad input, forged ids, double submits), setting up, and the
queries a page costs."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.pagecache import invalidate_pages
from tests.factories import UserFactory
from tests.factories_initiatives import InitiativeFactory
from tests.factories_voting import BallotBoxFactory, BudgetFactory, PollFactory
from tests.pages import build_home, build_kern_page
from voting.models import Ballot, Poll, PollKind, PublicVote, ResultsShown, Turnout, VotingCode, WhoMayVote
from voting.services._common import hash_secret
from voting.services.casting import cast_ballot

pytestmark = pytest.mark.django_db

RECEIPT = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")


def make_poll(kern, *, kind=PollKind.SINGLE, options=("Bankjes", "Bomen", "Speeltoestel"), **box):
    poll = PollFactory(box=BallotBoxFactory(kern=kern, **box), kind=kind, options=list(options),
                       question="Wat komt er op het plein?")
    if kind == PollKind.SCALE:
        Poll.objects.filter(pk=poll.pk).update(scale_size=5, scale_low="slecht", scale_high="goed")
        poll.refresh_from_db()
    elif kind == PollKind.MULTIPLE:
        Poll.objects.filter(pk=poll.pk).update(max_choices=2)
        poll.refresh_from_db()
    invalidate_pages()  # as the services do: what pages show changed
    return poll


def option_ids(poll):
    return [str(pk) for pk in poll.options.values_list("pk", flat=True)]


def key_of(html: str) -> str:
    return re.search(r'name="sleutel" value="([0-9a-f]{32})"', html).group(1)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def vote(client, poll, choices, key="k-1", back=None):
    data = {"keuze": choices, "sleutel": key}
    if back is not None:
        data["terug"] = back
    return client.post(reverse("voting:poll_vote", args=[poll.pk]), data)


# The card and its ballot ------------------------------------------------------------------------------------

def test_a_visitor_sees_the_question_the_options_and_how_to_vote(client, kern):
    poll = make_poll(kern)
    html = client.get(poll.get_absolute_url()).content.decode()
    assert "Wat komt er op het plein?" in html and "Bankjes" in html and "Speeltoestel" in html
    assert "Log in om te stemmen" in html and "inwoners van Arkel" in html and "Open tot" in html
    assert 'name="keuze"' not in html and "De uitslag ziet u als de peiling gesloten is." in html


@pytest.mark.parametrize(("kind", "input_type"), [(PollKind.SINGLE, "radio"), (PollKind.MULTIPLE, "checkbox"),
                                                  (PollKind.SCALE, "radio")])
def test_the_ballot_is_a_fieldset_of_labelled_choices(kern, resident, kind, input_type):
    poll = make_poll(kern, kind=kind, options=() if kind == PollKind.SCALE else ("Bankjes", "Bomen"))
    html = signed_in(resident).get(poll.get_absolute_url()).content.decode()
    assert "<fieldset" in html and "<legend>" in html
    inputs = re.findall(r'<input type="(\w+)" id="(p\d+-[os]\d+)" name="keuze"', html)
    assert inputs and all(kind_ == input_type for kind_, _id in inputs)
    for _kind, element_id in inputs:
        assert f'<label for="{element_id}">' in html
    if kind == PollKind.SCALE:
        assert len(inputs) == 5 and "1 · slecht" in html and "5 · goed" in html
    if kind == PollKind.MULTIPLE:
        assert "Kies hoogstens 2 antwoorden" in html


def test_an_open_vote_says_so_before_anyone_votes(client, kern, resident):
    poll = make_poll(kern, secret=False)
    notice = "Dit is een open stemming: iedereen ziet wat u kiest."
    assert notice in client.get(poll.get_absolute_url()).content.decode()
    html = signed_in(resident).get(poll.get_absolute_url()).content.decode()
    assert notice in html and html.index(notice) < html.index('name="keuze"')


def test_a_resident_votes_and_sees_counted_with_the_receipt_once(kern, resident):
    poll = make_poll(kern)
    client = signed_in(resident)
    key = key_of(client.get(poll.get_absolute_url()).content.decode())
    response = vote(client, poll, [option_ids(poll)[1]], key=key)
    assert response.status_code == 302 and response["Location"] == f"{poll.get_absolute_url()}#peiling-{poll.pk}"
    assert Ballot.objects.get(box=poll.box).choices == {option_ids(poll)[1]: 1}
    assert Turnout.objects.get(box=poll.box).idempotency_key == key
    html = client.get(poll.get_absolute_url()).content.decode()
    assert "Uw stem is geteld" in html
    receipt = RECEIPT.search(html).group(0)
    assert Ballot.objects.filter(receipt_hash=hash_secret(receipt)).exists()
    again = client.get(poll.get_absolute_url()).content.decode()
    assert receipt not in again and "U hebt gestemd. Uw stem is geteld." in again and 'name="keuze"' not in again


def test_the_result_after_ones_own_vote_when_the_poll_says_so(kern, resident):
    poll = make_poll(kern, results_shown=ResultsShown.AFTER_OWN_VOTE)
    for _ in range(3):
        cast_ballot(actor=UserFactory(kern=kern), box=poll.box, choices=[option_ids(poll)[0]])
    client = signed_in(resident)
    before = client.get(poll.get_absolute_url()).content.decode()
    assert "Uitslag" not in before and "stemmen (" not in before
    vote(client, poll, [option_ids(poll)[2]])
    after = client.get(poll.get_absolute_url()).content.decode()
    assert "Uitslag tot nu toe" in after and "4 stemmen" in after
    assert "3 stemmen (75%)" in after and "1 stem (25%)" in after and "<table" in after


def test_a_closed_scale_shows_each_value_and_the_mean(client, kern):
    poll = make_poll(kern, kind=PollKind.SCALE, options=())
    for value in (3, 4):
        cast_ballot(actor=UserFactory(kern=kern), box=poll.box, choices={"scale": value})
    poll.box.closes_at = timezone.now() - timedelta(seconds=1)
    poll.box.save()
    invalidate_pages()
    html = client.get(poll.get_absolute_url()).content.decode()
    assert "2 stemmen." in html and "Gemiddeld: 3,5." in html and "5 · goed" in html
    assert html.count("0 stemmen (0%)") == 3 and html.count("1 stem (50%)") == 2


def test_the_result_waits_for_the_close_when_the_poll_says_so(kern, resident):
    poll = make_poll(kern)
    client = signed_in(resident)
    vote(client, poll, [option_ids(poll)[0]])
    html = client.get(poll.get_absolute_url()).content.decode()
    assert "Uw stem is geteld" in html and "Uitslag" not in html and "1 stem" not in html


def test_an_open_vote_lists_who_chose_what_after_the_close(client, kern, resident):
    poll = make_poll(kern, secret=False)
    cast_ballot(actor=resident, box=poll.box, choices=[option_ids(poll)[1]])
    assert PublicVote.objects.count() == 1
    assert resident.display_name not in client.get(poll.get_absolute_url()).content.decode()
    poll.box.closes_at = timezone.now() - timedelta(seconds=1)
    poll.box.opens_at = timezone.now() - timedelta(days=1)
    poll.box.save()
    invalidate_pages()
    html = client.get(poll.get_absolute_url()).content.decode()
    assert "Wie koos wat" in html and resident.display_name in html and "Bomen" in html


def test_voting_from_a_kern_page_goes_back_there(kern, resident):
    poll = make_poll(kern)
    kern_page = build_kern_page(kern)
    response = vote(signed_in(resident), poll, [option_ids(poll)[0]], back=kern_page.url)
    assert response["Location"] == f"{kern_page.url}#peiling-{poll.pk}"
    other = vote(signed_in(UserFactory(kern=kern)), poll, [option_ids(poll)[0]], back="https://evil.example/")
    assert other["Location"] == f"{poll.get_absolute_url()}#peiling-{poll.pk}"


# Bad input ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("choices", "message"), [
    ([], "Maak eerst een keuze."),
    (["999999"], "Die keuze hoort niet bij deze vraag."),
    (["abc"], "Die keuze hoort niet bij deze vraag."),
    (["1" * 13], "Deze keuzes kunnen we niet lezen."),
    ([str(n) for n in range(20)], "Deze keuzes kunnen we niet lezen."),
    ("two", "Kies hoogstens 1 antwoord."),
])
def test_a_bad_ballot_gets_a_clear_error_and_changes_nothing(kern, resident, choices, message):
    poll = make_poll(kern)
    if choices == "two":
        choices = option_ids(poll)[:2]
    client = signed_in(resident)
    response = vote(client, poll, choices)
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert message in html
    assert not Ballot.objects.exists() and not Turnout.objects.exists()


def test_an_option_of_another_poll_is_refused(kern, resident):
    poll, other = make_poll(kern), make_poll(kern)
    client = signed_in(resident)
    response = vote(client, poll, [option_ids(other)[0]])
    assert "Die keuze hoort niet bij deze vraag." in client.get(response["Location"]).content.decode()
    assert not Ballot.objects.exists()


@pytest.mark.parametrize("value", ["0", "6", "x"])
def test_a_scale_value_out_of_range_is_refused(kern, resident, value):
    poll = make_poll(kern, kind=PollKind.SCALE, options=())
    vote(signed_in(resident), poll, [value])
    assert not Ballot.objects.exists()


def test_a_vote_in_a_closed_or_unknown_poll_is_refused(kern, resident):
    closed = make_poll(kern, closed=True)
    client = signed_in(resident)
    response = vote(client, closed, [option_ids(closed)[0]])
    assert "U kunt nu niet stemmen" in client.get(response["Location"]).content.decode()
    assert client.post(reverse("voting:poll_vote", args=[999999]), {"keuze": ["1"]}).status_code == 404
    assert client.get(reverse("voting:poll_vote", args=[closed.pk])).status_code == 405
    assert not Ballot.objects.exists()


def test_a_double_submit_counts_once_and_back_and_send_again_is_told_so(kern, resident):
    poll = make_poll(kern)
    client = signed_in(resident)
    choice = [option_ids(poll)[0]]
    vote(client, poll, choice, key="same")
    second = vote(client, poll, choice, key="same")
    html = client.get(second["Location"]).content.decode()
    assert "Deze stem was al geteld." in html and Ballot.objects.count() == 1
    third = vote(client, poll, [option_ids(poll)[1]], key="another-form")
    assert "U hebt al gestemd." in client.get(third["Location"]).content.decode()
    assert Ballot.objects.count() == 1 and Ballot.objects.get().choices == {choice[0]: 1}


def test_a_letter_code_holder_votes_without_an_account(client, kern):
    poll = make_poll(kern, who_may_vote=WhoMayVote.LETTER)
    VotingCode.objects.create(box=poll.box, code_hash=hash_secret("ABCD"), addressee="A. de Vries",
                              street="Dijk 1", postcode="4241AA", town="Arkel")
    html = client.get(poll.get_absolute_url()).content.decode()
    assert "stemcode uit uw brief" in html and 'name="keuze"' not in html
    refused = vote(client, poll, [option_ids(poll)[0]])
    assert "Vul eerst uw code in" in client.get(refused["Location"]).content.decode()
    session = client.session
    session["voting_codes"] = {str(poll.box_id): "ABCD"}
    session.save()
    html = client.get(poll.get_absolute_url()).content.decode()
    assert "U stemt met de stemcode uit uw brief." in html
    vote(client, poll, [option_ids(poll)[0]])
    turnout = Turnout.objects.get(box=poll.box)
    assert turnout.channel == "code" and turnout.voter is None and Ballot.objects.count() == 1
    html = client.get(poll.get_absolute_url()).content.decode()
    assert "Uw stem is geteld" in html and RECEIPT.search(html)
    assert "voting_codes" not in client.session or str(poll.box_id) not in client.session["voting_codes"]
    assert "U hebt gestemd." in client.get(poll.get_absolute_url()).content.decode()


def test_a_poll_on_a_draft_initiative_is_not_found_by_others(client, kern, resident):
    poll = make_poll(kern)
    poll.initiative = InitiativeFactory(kern=kern, status="draft")
    poll.save()
    invalidate_pages()
    assert client.get(poll.get_absolute_url()).status_code == 404
    assert vote(signed_in(resident), poll, [option_ids(poll)[0]]).status_code == 404


# The list ---------------------------------------------------------------------------------------------------

def test_the_list_shows_open_and_closed_polls_without_counts(client, kern, other_kern):
    open_poll, closed = make_poll(kern), make_poll(kern, closed=True)
    elsewhere = make_poll(other_kern)
    cast_ballot(actor=UserFactory(kern=kern), box=open_poll.box, choices=[option_ids(open_poll)[0]])
    html = client.get(reverse("voting:polls")).content.decode()
    assert open_poll.get_absolute_url() in html and closed.get_absolute_url() in html
    assert elsewhere.get_absolute_url() in html and not re.search(r"\d+ stem|%", html.split("<main")[1])
    only_kern = client.get(reverse("voting:polls") + f"?kern={kern.slug}").content.decode()
    assert elsewhere.get_absolute_url() not in only_kern
    assert client.get(reverse("voting:polls") + "?kern=bestaat-niet").status_code == 404


# Setting up ------------------------------------------------------------------------------------------------

def form_data(kern_slug="arkel", **changes):
    start = timezone.localtime() + timedelta(days=1)
    end = start + timedelta(days=7)
    data = {"kern": kern_slug, "question": "Waar komt het bankje?", "intro": "", "kind": "single",
            "options": "Bij de kerk\nBij de haven", "max_choices": "", "scale_size": "5", "scale_low": "",
            "scale_high": "", "opens_date": start.date().isoformat(), "opens_time": "09:00",
            "closes_date": end.date().isoformat(), "closes_time": "20:00", "who_may_vote": "residents",
            "secret": "geheim", "results_shown": "after_close", "initiative": "", "page": ""}
    return {**data, **changes}


def test_the_council_makes_a_poll_from_its_kern_page(kern, council_member):
    build_kern_page(kern)
    client = signed_in(council_member)
    kern_html = client.get(f"/kernen/{kern.slug}/").content.decode()
    assert f"{reverse('voting:poll_new')}?kern={kern.slug}" in kern_html
    assert client.get(reverse("voting:poll_new") + f"?kern={kern.slug}").status_code == 200
    response = client.post(reverse("voting:poll_new"), form_data())
    poll = Poll.objects.get()
    assert response["Location"] == poll.get_absolute_url() and poll.box.kern == kern
    assert [option.label for option in poll.options.all()] == ["Bij de kerk", "Bij de haven"]
    assert "Peiling veranderen" in client.get(poll.get_absolute_url()).content.decode()


def test_a_resident_cannot_make_or_change_a_poll(kern, resident):
    build_kern_page(kern)
    client = signed_in(resident)
    assert "Nieuwe peiling maken" not in client.get(f"/kernen/{kern.slug}/").content.decode()
    assert client.get(reverse("voting:poll_new")).status_code == 403
    assert client.post(reverse("voting:poll_new"), form_data()).status_code == 403
    poll = make_poll(kern, upcoming=True)
    assert client.get(reverse("voting:poll_edit", args=[poll.pk])).status_code == 403
    assert client.post(reverse("voting:poll_remove", args=[poll.pk])).status_code == 302
    assert Poll.objects.filter(pk=poll.pk).exists()


def test_the_council_of_another_kern_cannot_choose_this_kern(kern, other_council_member):
    response = signed_in(other_council_member).post(reverse("voting:poll_new"), form_data("arkel"))
    assert response.status_code == 400 and not Poll.objects.exists()


@pytest.mark.parametrize(("changes", "error"), [
    ({"question": ""}, "Dit is een verplicht veld."),
    ({"options": "Alleen één"}, "Geef minstens twee antwoorden om uit te kiezen."),
    ({"options": "\n".join(f"Antwoord {n}" for n in range(13))}, "Geef hoogstens 12 antwoorden, één per regel."),
    ({"closes_date": "2001-01-01"}, "De peiling sluit na het openen."),
    ({"kind": "scale"}, "Vul “betekenis van de laagste waarde” in."),
    ({"secret": "open", "who_may_vote": "letter"}, "Met een stemcode per brief is de stemming altijd geheim."),
    ({"initiative": "999999"}, "Selecteer een geldige keuze."),
    ({"opens_date": "gisteren"}, "Voer een geldige datum in."),
])
def test_a_bad_poll_form_says_what_is_wrong_and_makes_nothing(kern, staff, changes, error):
    response = signed_in(staff).post(reverse("voting:poll_new"), form_data(**changes))
    assert response.status_code == 400 and error in response.content.decode()
    assert not Poll.objects.exists()


def test_a_poll_changes_before_it_opens_and_not_after(kern, council_member):
    poll = make_poll(kern, upcoming=True)
    client = signed_in(council_member)
    assert "Wat komt er op het plein?" in client.get(reverse("voting:poll_edit", args=[poll.pk])).content.decode()
    response = client.post(reverse("voting:poll_edit", args=[poll.pk]), form_data(question="Wat komt er?"))
    assert response.status_code == 302
    poll.refresh_from_db()
    assert poll.question == "Wat komt er?"
    started = make_poll(kern)
    refused = client.get(reverse("voting:poll_edit", args=[started.pk]))
    assert refused.status_code == 403 and "alleen voordat hij opengaat" in refused.content.decode()


def test_a_poll_is_removed_until_someone_votes(kern, council_member):
    poll = make_poll(kern, upcoming=True)
    client = signed_in(council_member)
    assert "Peiling weghalen" in client.get(reverse("voting:poll_edit", args=[poll.pk])).content.decode()
    response = client.post(reverse("voting:poll_remove", args=[poll.pk]))
    assert response["Location"] == f"{reverse('voting:polls')}?kern={kern.slug}"
    assert not Poll.objects.exists()


# Where polls show up --------------------------------------------------------------------------------------

def test_the_kern_page_shows_its_polls_and_budgets(client, kern, other_kern):
    build_kern_page(kern)
    mine, elsewhere = make_poll(kern), make_poll(other_kern)
    budget = BudgetFactory(box=BallotBoxFactory(kern=kern), title="Kernbudget Arkel 2025")
    invalidate_pages()
    html = client.get(f"/kernen/{kern.slug}/").content.decode()
    assert "Stemmen en peilingen" in html and f'id="peiling-{mine.pk}"' in html
    assert f'id="peiling-{elsewhere.pk}"' not in html and budget.title in html


def test_the_initiative_page_shows_its_polls(client, kern, staff):
    initiative = InitiativeFactory(kern=kern, status="published")
    poll = make_poll(kern)
    poll.initiative = initiative
    poll.save()
    invalidate_pages()
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert f'id="peiling-{poll.pk}"' in html and "Wat komt er op het plein?" in html
    staff_html = signed_in(staff).get(initiative.get_absolute_url()).content.decode()
    assert f"initiatief={initiative.pk}" in staff_html


# Queries ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("voters", [2, 40])
@pytest.mark.parametrize("state", ["open", "closed"])
@pytest.mark.parametrize("who", ["anonymous", "resident"])
def test_the_poll_page_needs_at_most_ten_queries(kern, resident, voters, state, who,
                                                 django_assert_max_num_queries):
    poll = make_poll(kern, secret=False, results_shown=ResultsShown.AFTER_OWN_VOTE,
                     options=[f"Antwoord {n}" for n in range(12)])
    for n in range(voters):
        cast_ballot(actor=UserFactory(kern=kern), box=poll.box, choices=[option_ids(poll)[n % 12]])
    cast_ballot(actor=resident, box=poll.box, choices=[option_ids(poll)[0]])
    if state == "closed":
        poll.box.opens_at, poll.box.closes_at = timezone.now() - timedelta(days=2), timezone.now()
        poll.box.save()
    invalidate_pages()
    client = signed_in(resident) if who == "resident" else Client()
    client.get(poll.get_absolute_url())
    with django_assert_max_num_queries(10):
        html = client.get(poll.get_absolute_url()).content.decode()
    assert f"{voters + 1} stemmen" in html or who == "anonymous" and state == "open"


@pytest.mark.parametrize("polls", [1, 5])
@pytest.mark.parametrize("who", ["anonymous", "resident", "council"])
def test_a_kern_page_with_polls_needs_at_most_ten_queries(kern, settings, polls, who, council_member,
                                                          django_assert_max_num_queries):
    """A visitor as the cms test of the kern page: nothing kept but what every server keeps per page generation
    (the page map, the voting map); a busy kern already spends its ten there, and polls add none. Signed in as
    the signed-in pages test: what all see alike is kept; the viewer's register rows and counts are two more."""
    from tests.test_signed_in_query_counts import busy_kern

    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 0 if who == "anonymous" else 300
    kern_page = build_kern_page(kern, build_home())
    busy_kern(kern, UserFactory(kern=kern), 12)
    voter = UserFactory(kern=kern)
    for n in range(polls):
        poll = make_poll(kern, results_shown=ResultsShown.AFTER_OWN_VOTE)
        cast_ballot(actor=voter, box=poll.box, choices=[option_ids(poll)[0]])
        if n % 2:  # every other one closed since: its result is on the map
            poll.box.closes_at = timezone.now() - timedelta(minutes=n)
            poll.box.save()
    BudgetFactory(box=BallotBoxFactory(kern=kern))
    invalidate_pages()
    client = {"anonymous": Client(), "resident": signed_in(voter), "council": signed_in(council_member)}[who]
    client.get(kern_page.url)
    with django_assert_max_num_queries(10):
        html = client.get(kern_page.url).content.decode()
    assert html.count('class="card poll-card"') == polls


def test_a_cached_kern_page_is_rendered_once_for_visitors(kern, settings, django_assert_max_num_queries):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    kern_page = build_kern_page(kern, build_home())
    make_poll(kern)
    cache.clear()
    client = Client()
    client.get(kern_page.url)
    with django_assert_max_num_queries(0):
        assert client.get(kern_page.url)["X-Page-Cache"] == "hit"
