"""One person, one ballot, on PostgreSQL with two server processes (Decidim #12553): 200 parallel ballots by
one voter, and one letter code sent 200 times at once, each give exactly one ballot and one register row."""

import asyncio

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, connections
from django.test import Client

from tests import server
from tests.factories import UserFactory
from tests.factories_voting import BallotBoxFactory, BudgetFactory, PollFactory, ProjectFactory
from tests.services import require_service
from voting.models import Ballot, BallotDraft, Turnout, WhoMayVote
from voting.services.codes import Addressee, issue_codes

pytestmark = [pytest.mark.postgres, pytest.mark.server, pytest.mark.django_db(transaction=True)]

SECRET = "k" * 32  # a CSRF secret of the right shape; the header repeats it
# As in production (README): each server process keeps a small pool; a request waits for a connection.
POOL = {"DATABASE_POOL_SIZE": "4", "DATABASE_POOL_TIMEOUT": "60"}


@pytest.fixture(autouse=True)
def _postgres():
    require_service("PostgreSQL", connection.vendor == "postgresql", "Set DATABASE_URL to a PostgreSQL database.")


def run_flood(path, bodies, *, cookie="", keys):
    import httpx

    async def run(base_url):
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=0)
        async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=90) as http:
            async def one(n):
                return await http.post(path, json=bodies[n], headers={
                    "Idempotency-Key": keys[n], "X-CSRFToken": SECRET,
                    "Cookie": f"{cookie}csrftoken={SECRET}"})
            return await asyncio.gather(*(one(n) for n in range(len(bodies))))

    connections.close_all()  # the two server processes need connections of their own
    with server.asgi_server(workers=2, extra_env=POOL) as base_url:
        return asyncio.run(run(base_url))


def test_200_parallel_ballots_by_one_voter_on_two_servers_make_exactly_one(kern):
    budget = BudgetFactory(box=BallotBoxFactory(kern=kern), amount=10_000)
    projects = [ProjectFactory(budget=budget, cost=2_000) for _ in range(4)]
    voter = UserFactory(kern=kern)
    client = Client()
    client.force_login(voter)
    cookie = f"sessionid={client.cookies['sessionid'].value}; "
    # Every request its own key and its own choices: a retry is not what this is; each is a new attempt.
    bodies = [{"choices": [projects[n % 4].pk, projects[(n + 1) % 4].pk]} for n in range(200)]
    answers = run_flood(f"/api/v1/voting/boxes/{budget.box.pk}/ballots/", bodies, cookie=cookie,
                        keys=[f"attempt-{n}" for n in range(200)])
    statuses = [answer.status_code for answer in answers]
    unexpected = [(a.status_code, a.text[:200]) for a in answers if a.status_code not in (201, 409, 400, 503)]
    assert not unexpected, unexpected[:3]
    assert statuses.count(201) == 1, sorted(set(statuses))
    assert Ballot.objects.filter(box=budget.box).count() == 1
    assert Turnout.objects.filter(box=budget.box).count() == 1
    ballot = Ballot.objects.get(box=budget.box)
    first = bodies[statuses.index(201)]["choices"]
    assert ballot.choices == {str(pk): 1 for pk in first}  # the one answered "counted" is the one kept
    assert not BallotDraft.objects.exists()


def test_the_same_key_200_times_at_once_is_one_ballot_and_every_answer_says_counted(kern):
    poll = PollFactory(box=BallotBoxFactory(kern=kern))
    option = poll.options.first()
    voter = UserFactory(kern=kern)
    client = Client()
    client.force_login(voter)
    cookie = f"sessionid={client.cookies['sessionid'].value}; "
    answers = run_flood(f"/api/v1/voting/boxes/{poll.box.pk}/ballots/", [{"choices": [option.pk]}] * 200,
                        cookie=cookie, keys=["one-phone-one-key"] * 200)
    statuses = [answer.status_code for answer in answers]
    assert statuses.count(201) == 1, sorted(set(statuses))
    assert set(statuses) <= {200, 201, 503}
    assert all(a.json().get("counted") for a in answers if a.status_code == 200)
    assert Ballot.objects.filter(box=poll.box).count() == 1
    assert Turnout.objects.filter(box=poll.box).count() == 1


def test_one_letter_code_200_times_at_once_on_two_servers_is_one_ballot(kern, staff):
    poll = PollFactory(box=BallotBoxFactory(kern=kern, who_may_vote=WhoMayVote.LETTER))
    option = poll.options.first()
    letter = issue_codes(actor=staff, box=poll.box,
                         addressees=[Addressee("C. Kok", "Dijk 3", "4241 AC", "Arkel")])[0]
    assert AnonymousUser().is_anonymous
    answers = run_flood(f"/api/v1/voting/boxes/{poll.box.pk}/ballots/",
                        [{"choices": [option.pk], "code": letter.plain_code}] * 200,
                        keys=[f"device-{n}" for n in range(200)])
    statuses = [answer.status_code for answer in answers]
    assert statuses.count(201) == 1, sorted(set(statuses))
    assert not [a for a in answers if a.status_code not in (201, 409, 400, 429, 503)]
    assert Ballot.objects.filter(box=poll.box).count() == 1
    assert Turnout.objects.get(box=poll.box).code == letter.code
