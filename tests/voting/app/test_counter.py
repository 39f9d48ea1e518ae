"""The counter: staff find a resident who may vote here (or take their letter's code), then hand out a paper ballot
or help them vote on this computer; the register says which, and who helped."""

import pytest
from django.urls import reverse

from tests.factories import StaffFactory, UserFactory, VerifiedResidentFactory
from tests.factories_voting import BallotBoxFactory, BudgetFactory, PollFactory, ProjectFactory
from tests.roles import ROLES, STAFF, fresh
from tests.voting.app.hallkit import issue, letter_budget, letter_poll, own_queries
from voting.models import Ballot, BallotFormat, Channel, PollKind, Turnout, WhoMayVote
from voting.views.hall.counter import SESSION_KEY

pytestmark = pytest.mark.django_db


@pytest.fixture
def poll(kern):
    return PollFactory(box=BallotBoxFactory(kern=kern, who_may_vote=WhoMayVote.RESIDENTS))


def counter_url(box, q=None):
    url = reverse("voting:counter", args=[box.pk])
    return f"{url}?q={q}" if q is not None else url


def ballot_url(box):
    return reverse("voting:counter_ballot", args=[box.pk])


def test_the_search_finds_only_residents_who_may_vote_here(client, staff, poll, kern, other_kern):
    here = UserFactory(kern=kern, first_name="Annemiek", last_name="Bakker", postcode="2952 AB")
    UserFactory(kern=other_kern, first_name="Annemiek", last_name="Bakker")  # another kern
    UserFactory(kern=kern, first_name="Annemiek", last_name="Bakker", is_active=False)
    client.force_login(staff)
    page = client.get(counter_url(poll.box, "annemiek bakker")).content.decode()
    assert page.count('name="voter"') == 1 and f'value="{here.pk}"' in page
    assert f'value="{here.pk}"' in client.get(counter_url(poll.box, "2952ab")).content.decode()
    assert f'value="{here.pk}"' in client.get(counter_url(poll.box, here.email)).content.decode()
    assert "Niemand gevonden" in client.get(counter_url(poll.box, "niemand-zo")).content.decode()


def test_a_verified_box_finds_only_verified_residents(client, staff, kern):
    poll = PollFactory(box=BallotBoxFactory(kern=kern, who_may_vote=WhoMayVote.VERIFIED))
    UserFactory(kern=kern, last_name="Kok")
    verified = VerifiedResidentFactory(kern=kern, last_name="Kok")
    client.force_login(staff)
    page = client.get(counter_url(poll.box, "kok")).content.decode()
    assert page.count('name="voter"') == 1 and f'value="{verified.pk}"' in page


def test_a_paper_ballot_puts_the_resident_in_the_register_once(client, staff, poll, resident):
    client.force_login(staff)
    response = client.post(counter_url(poll.box), {"voter": resident.pk, "action": "paper"}, follow=True)
    assert "papieren stembiljet" in response.content.decode()
    turnout = Turnout.objects.get()
    assert (turnout.voter, turnout.channel, turnout.registered_by) == (resident, Channel.PAPER, staff)
    again = client.post(counter_url(poll.box), {"voter": resident.pk, "action": "paper"}, follow=True)
    assert "al gestemd" in again.content.decode()
    assert Turnout.objects.count() == 1 and Ballot.objects.count() == 0
    page = client.get(counter_url(poll.box, resident.last_name)).content.decode()
    assert "Heeft al gestemd" in page


def test_helping_a_resident_vote_casts_one_ballot_at_the_counter(client, staff, poll, resident):
    client.force_login(staff)
    response = client.post(counter_url(poll.box), {"voter": resident.pk, "action": "assist"})
    assert response.url == ballot_url(poll.box)
    page = client.get(ballot_url(poll.box)).content.decode()
    assert resident.display_name in page and 'type="radio"' in page
    option = poll.options.first()
    done = client.post(ballot_url(poll.box), {"option": option.pk, "key": "k1", "action": "cast"}, follow=True)
    assert "is geteld" in done.content.decode()
    assert Ballot.objects.get().choices == {str(option.pk): 1}
    turnout = Turnout.objects.get()
    assert (turnout.voter, turnout.channel, turnout.registered_by) == (resident, Channel.COUNTER, staff)
    assert str(poll.box.pk) not in (client.session.get(SESSION_KEY) or {})
    # The same form sent twice (a double click) is told counted; nothing more is written.
    client.session[SESSION_KEY] = {str(poll.box.pk): {"voter": resident.pk, "name": "x"}}
    assert Ballot.objects.count() == 1


def test_a_double_submit_of_the_counter_ballot_counts_once(client, staff, poll, resident):
    client.force_login(staff)
    client.post(counter_url(poll.box), {"voter": resident.pk, "action": "assist"})
    option = poll.options.first()
    session = client.session
    first = client.post(ballot_url(poll.box), {"option": option.pk, "key": "same", "action": "cast"})
    assert first.status_code == 302
    session[SESSION_KEY] = {str(poll.box.pk): {"voter": resident.pk, "name": "x"}}
    session.save()
    second = client.post(ballot_url(poll.box), {"option": option.pk, "key": "same", "action": "cast"}, follow=True)
    assert "al geteld" in second.content.decode()
    assert Ballot.objects.count() == 1 and Turnout.objects.count() == 1


def test_a_bad_ballot_is_refused_with_the_reason_and_nothing_is_cast(client, staff, poll, resident):
    client.force_login(staff)
    client.post(counter_url(poll.box), {"voter": resident.pk, "action": "assist"})
    for data, says in (({}, "Maak eerst een keuze"), ({"option": "999999"}, "geldige keuze")):
        response = client.post(ballot_url(poll.box), {**data, "key": "k", "action": "cast"})
        assert response.status_code == 400 and says in response.content.decode()
    assert Ballot.objects.count() == 0 and Turnout.objects.count() == 0


def test_stopping_leaves_no_trace(client, staff, poll, resident):
    client.force_login(staff)
    client.post(counter_url(poll.box), {"voter": resident.pk, "action": "assist"})
    client.post(ballot_url(poll.box), {"action": "stop"})
    assert client.get(ballot_url(poll.box)).status_code == 302
    assert Turnout.objects.count() == 0


def test_a_forged_or_ineligible_resident_is_refused(client, staff, poll, other_kern):
    stranger = UserFactory(kern=other_kern)
    client.force_login(staff)
    for voter in (stranger.pk, 999_999, "x", ""):
        for action in ("paper", "assist"):
            response = client.post(counter_url(poll.box), {"voter": voter, "action": action}, follow=True)
            assert "mag bij deze stemming niet stemmen" in response.content.decode()
    assert Turnout.objects.count() == 0


def test_a_letter_code_at_the_counter(client, staff, kern):
    budget = letter_budget(kern)
    first, second = issue(staff, budget.box, 2)
    client.force_login(staff)
    response = client.post(counter_url(budget.box), {"code": first.plain_code.lower(), "action": "paper"},
                           follow=True)
    assert "Bewoner 1 staat nu in het register" in response.content.decode()
    assert Turnout.objects.get().code == first.code
    again = client.post(counter_url(budget.box), {"code": first.plain_code, "action": "assist"}, follow=True)
    assert "al gestemd" in again.content.decode()
    # The second letter: helped at this computer, the budget's whole ballot in one form.
    client.post(counter_url(budget.box), {"code": second.plain_code, "action": "assist"})
    page = client.get(ballot_url(budget.box)).content.decode()
    assert "Bewoner 2" in page and second.plain_code not in page  # the code never goes into the page
    over = client.post(ballot_url(budget.box), {"project": [budget.p1.pk, budget.p2.pk, budget.p3.pk], "key": "a",
                                                "action": "cast"})
    assert over.status_code == 400 and "meer dan het budget" in over.content.decode()
    client.post(ballot_url(budget.box), {"project": [budget.p1.pk, budget.p2.pk], "key": "b", "action": "cast"})
    assert Ballot.objects.get().choices == {str(budget.p1.pk): 1, str(budget.p2.pk): 1}
    assert Turnout.objects.get(code=second.code).channel == Channel.COUNTER


def test_a_code_of_another_box_or_a_revoked_code_is_refused(client, staff, kern):
    budget, other = letter_budget(kern), letter_poll(kern)
    [foreign] = issue(staff, other.box)
    client.force_login(staff)
    for action in ("paper", "assist"):
        response = client.post(counter_url(budget.box), {"code": foreign.plain_code, "action": action}, follow=True)
        assert "klopt niet" in response.content.decode()
    response = client.post(counter_url(budget.box), {"code": "", "action": "paper"}, follow=True)
    assert "Vul de stemcode" in response.content.decode()
    assert Turnout.objects.count() == 0


def test_points_ballots_at_the_counter(client, staff, kern, resident):
    budget = BudgetFactory(box=BallotBoxFactory(kern=kern), ballot_format=BallotFormat.POINTS, points_total=10)
    projects = [ProjectFactory(budget=budget) for _ in range(3)]
    client.force_login(staff)
    client.post(counter_url(budget.box), {"voter": resident.pk, "action": "assist"})
    too_many = {f"points-{projects[0].pk}": 8, f"points-{projects[1].pk}": 5, "key": "a", "action": "cast"}
    response = client.post(ballot_url(budget.box), too_many)
    assert response.status_code == 400 and "13 punten" in response.content.decode()
    for bad in ("-1", "x", "100000"):
        response = client.post(ballot_url(budget.box), {f"points-{projects[0].pk}": bad, "key": "b",
                                                        "action": "cast"})
        assert response.status_code == 400
    client.post(ballot_url(budget.box), {f"points-{projects[0].pk}": 6, f"points-{projects[2].pk}": 4, "key": "c",
                                         "action": "cast"})
    assert Ballot.objects.get().choices == {str(projects[0].pk): 6, str(projects[2].pk): 4}


def test_a_scale_poll_at_the_counter(client, staff, kern, resident):
    poll = PollFactory(box=BallotBoxFactory(kern=kern), kind=PollKind.SCALE, scale_size=5, options=[])
    client.force_login(staff)
    client.post(counter_url(poll.box), {"voter": resident.pk, "action": "assist"})
    assert client.post(ballot_url(poll.box), {"scale": "9", "key": "a", "action": "cast"}).status_code == 400
    client.post(ballot_url(poll.box), {"scale": "4", "key": "b", "action": "cast"})
    assert Ballot.objects.get().choices == {"scale": 4}


def test_the_counter_pages_take_the_same_queries_for_few_or_many_residents(client, staff, poll, kern,
                                                                           django_assert_max_num_queries):
    client.force_login(staff)
    client.get(counter_url(poll.box))
    counts = []
    for n in (2, 30):
        for _ in range(n):
            UserFactory(kern=kern, last_name="Smit")
        with django_assert_max_num_queries(10) as queries:
            client.get(counter_url(poll.box, "smit"))
        counts.append(own_queries(queries.captured_queries))
    assert counts[0] == counts[1]
    resident = UserFactory(kern=kern)
    client.post(counter_url(poll.box), {"voter": resident.pk, "action": "assist"})
    with django_assert_max_num_queries(10):
        assert client.get(ballot_url(poll.box)).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_who_may_use_the_counter(client, cast, poll, role):
    if role != "anonymous":
        client.force_login(fresh(cast[role]))
    response = client.get(counter_url(poll.box))
    expected = 302 if role == "anonymous" else 200 if role in STAFF else 403
    assert response.status_code == expected
    posted = client.post(counter_url(poll.box), {"voter": cast["resident"].pk, "action": "paper"})
    assert posted.status_code == (302 if role in STAFF or role == "anonymous" else 403)
    assert Turnout.objects.filter(registered_by__isnull=False).count() == (1 if role in STAFF else 0)


def test_the_counter_is_closed_when_the_box_is(client, kern, resident):
    poll = PollFactory(box=BallotBoxFactory(kern=kern, closed=True))
    client.force_login(StaffFactory())
    assert client.get(counter_url(poll.box)).status_code == 403
    assert client.post(counter_url(poll.box), {"voter": resident.pk, "action": "paper"}).status_code == 403
    assert Turnout.objects.count() == 0
