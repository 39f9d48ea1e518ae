"""Support / withdraw support / follow / unfollow fired in parallel by one person: never an error.

On PostgreSQL with threads that each have their own connection; on SQLite through a real ASGI server with
parallel HTTP POSTs. The old get_or_create-then-get code failed both: the unique constraint fired inside
the transaction and the fallback lookup found a row a parallel "withdraw" had just deleted.
"""

import random

import httpx
import pytest
from django.db import connection
from django.test import Client

from initiatives import services
from initiatives.models import Follow, Status, Support
from tests import factories
from tests.factories_initiatives import InitiativeFactory
from tests.server import asgi_server
from tests.services import require_service
from tests.threads import errors, in_threads  # noqa: F401  (others import them from here too)

ACTIONS = {
    "support": services.support, "unsupport": services.unsupport,
    "follow": services.follow, "unfollow": services.unfollow,
}


def rows(initiative, user):
    return (Support.objects.filter(initiative=initiative, user=user).count(),
            Follow.objects.filter(initiative=initiative, user=user).count())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
class TestParallelTogglesOnPostgres:
    @pytest.fixture(autouse=True)
    def _postgres(self):
        require_service("PostgreSQL", connection.vendor == "postgresql", "Set DATABASE_URL to a PostgreSQL database.")

    def test_support_and_withdraw_in_parallel_never_fail_and_support_implies_follow(self, kern):
        initiative = InitiativeFactory(kern=kern, status=Status.PUBLISHED)
        person = factories.UserFactory(kern=kern)
        for round_ in range(10):
            names = ["support", "unsupport"] * 10
            random.Random(round_).shuffle(names)
            states = in_threads(lambda name: ACTIONS[name](user=person, initiative=initiative), names)
            assert errors(states) == []
            assert states.count(True) == 10 and states.count(False) == 10  # each answered with its state
            supports, follows = rows(initiative, person)
            assert supports in (0, 1) and follows in (0, 1)
            assert follows >= supports  # whoever supports also follows

    def test_all_four_toggles_in_parallel_never_fail(self, kern):
        initiative = InitiativeFactory(kern=kern, status=Status.PUBLISHED)
        person = factories.UserFactory(kern=kern)
        for round_ in range(10):
            names = list(ACTIONS) * 5
            random.Random(round_).shuffle(names)
            assert errors(in_threads(lambda name: ACTIONS[name](user=person, initiative=initiative), names)) == []
            supports, follows = rows(initiative, person)
            assert supports in (0, 1) and follows in (0, 1)
        # After the storm, the toggles still do what they say.
        assert services.support(user=person, initiative=initiative) is True
        assert rows(initiative, person) == (1, 1)
        assert services.unsupport(user=person, initiative=initiative) is False
        assert services.unfollow(user=person, initiative=initiative) is False
        assert rows(initiative, person) == (0, 0)


def session_of(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@pytest.mark.server
@pytest.mark.django_db(transaction=True)
def test_parallel_toggle_posts_through_a_real_server_never_answer_500(kern):
    """Whatever the database of this run (SQLite in the default pass): 20 parallel POSTs, no 500."""
    initiative = InitiativeFactory(kern=kern, status=Status.PUBLISHED)
    person = factories.UserFactory(kern=kern)
    session = session_of(person)
    paths = {"support": "steunen", "unsupport": "steun-intrekken", "follow": "volgen", "unfollow": "ontvolgen"}
    with asgi_server() as base_url:
        with httpx.Client(base_url=base_url, cookies={"sessionid": session}) as http:
            http.get("/contact/")
            token = http.cookies["csrftoken"]

        def post(name):
            with httpx.Client(base_url=base_url, cookies={"sessionid": session, "csrftoken": token},
                              timeout=60) as client:
                return client.post(f"/initiatieven/{initiative.pk}/{paths[name]}/", data={"csrfmiddlewaretoken": token},
                                   headers={"Referer": base_url + "/"}).status_code

        for round_ in range(3):
            names = ["support", "unsupport"] * 6 + ["follow", "unfollow"] * 4
            random.Random(round_).shuffle(names)
            statuses = in_threads(post, names, workers=20)
            assert errors(statuses) == []
            assert statuses == [302] * len(names), statuses
            supports, follows = rows(initiative, person)
            assert supports in (0, 1) and follows in (0, 1)
