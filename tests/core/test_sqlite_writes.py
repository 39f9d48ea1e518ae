"""``make run``'s SQLite handles a few people writing at once: WAL, a busy timeout, IMMEDIATE transactions."""

import threading
import time

import httpx
import pytest
from django.conf import settings
from django.db import OperationalError, connection, connections, transaction
from django.test import Client

from community.models import User
from core.sqlite.base import DatabaseWrapper
from discussion.models import Comment
from initiatives.models import Follow, Status, Support
from tests import factories
from tests.factories_discussion import kern_thread
from tests.factories_initiatives import InitiativeFactory
from tests.initiatives.test_engagement_races import errors, in_threads
from tests.server import asgi_server

# About the SQLite default of `make run`: these run in the SQLite pass of make test (pass 1), and are not
# collected for a pass on another database, where they have nothing to prove.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "core.sqlite",
                       reason="about SQLite, the default of make run; runs in the SQLite pass"),
]


def test_sqlite_settings_wait_for_the_write_lock():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def probe(alias: str, mode: str) -> str:
    """Register a second connection to the test database with ``mode`` transactions (this thread only)."""
    settings_dict = {**connection.settings_dict,
                     "OPTIONS": {**connection.settings_dict["OPTIONS"], "transaction_mode": mode}}
    connections[alias] = DatabaseWrapper(settings_dict, alias=alias)
    return alias


def read_then_write(alias: str, other_writes, user_pk: int):
    """What a service does in ``atomic``: read a row, (meanwhile another request writes), then write."""
    with transaction.atomic(using=alias):
        User.objects.using(alias).get(pk=user_pk)
        other_writes()
        User.objects.using(alias).filter(pk=user_pk).update(last_name="Eerste")


def write_in_thread(mode: str, user_pk: int, started: threading.Event, outcome: list):
    def run():
        alias = probe(f"probe_b_{mode}", mode)
        try:
            started.set()
            with transaction.atomic(using=alias):
                User.objects.using(alias).filter(pk=user_pk).update(first_name="Tweede")
            outcome.append("ok")
        except Exception as error:  # noqa: BLE001 - reported by the test
            outcome.append(error)
        finally:
            connections[alias].close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_deferred_transaction_that_reads_then_writes_fails_at_once_despite_the_timeout():
    """The failure IMMEDIATE prevents: SQLite cannot let a reader become a writer after someone else wrote."""
    user = factories.UserFactory()
    alias = probe("probe_a_deferred", "DEFERRED")
    outcome, started = [], threading.Event()

    def other_writes():
        write_in_thread("DEFERRED", user.pk, started, outcome).join(timeout=30)

    try:
        with pytest.raises(OperationalError, match="database is locked"):
            read_then_write(alias, other_writes, user.pk)
    finally:
        connections[alias].close()
    assert outcome == ["ok"]  # the other writer got in; the 20-second timeout did not help the reader


def test_an_immediate_transaction_waits_its_turn_and_both_writes_land():
    user = factories.UserFactory()
    alias = probe("probe_a_immediate", "IMMEDIATE")
    outcome, started, threads = [], threading.Event(), []

    def other_writes():
        threads.append(write_in_thread("IMMEDIATE", user.pk, started, outcome))
        started.wait(timeout=30)
        time.sleep(0.2)  # let the other writer reach BEGIN IMMEDIATE and wait for our lock

    try:
        read_then_write(alias, other_writes, user.pk)
    finally:
        connections[alias].close()
    threads[0].join(timeout=30)
    assert outcome == ["ok"]
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Tweede", "Eerste")


def logged_in(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@pytest.mark.server
def test_ten_people_saving_supporting_and_posting_at_once_never_see_a_500(kern):
    people = [factories.UserFactory(kern=kern, first_name=f"Bewoner{n}") for n in range(10)]
    sessions = [logged_in(person) for person in people]
    initiative = InitiativeFactory(kern=kern, status=Status.PUBLISHED)
    thread = kern_thread(kern)
    with asgi_server() as base_url:
        clients = []
        for session in sessions:
            client = httpx.Client(base_url=base_url, cookies={"sessionid": session}, timeout=60,
                                  headers={"Referer": base_url + "/"})
            client.get("/contact/")
            clients.append(client)

        def act(job):
            n, what = job
            client = clients[n]
            token = client.cookies["csrftoken"]
            if what == "profile":
                return client.post("/mijn/gegevens/", data={
                    "csrfmiddlewaretoken": token, "first_name": f"Nieuw{n}", "last_name": "Molen",
                    "kern": kern.pk, "postcode": "2965 AB", "phone": "0184123456", "preferred_language": "nl",
                    "email_notifications": "on",
                }).status_code
            if what == "support":
                return client.post(f"/initiatieven/{initiative.pk}/steunen/",
                                   data={"csrfmiddlewaretoken": token}).status_code
            return client.post(f"/api/v1/threads/{thread.pk}/comments/", json={"body": f"Bericht van {n}"},
                               headers={"X-CSRFToken": token}).status_code

        try:
            jobs = [(n, what) for what in ("profile", "support", "post") for n in range(10)]
            statuses = in_threads(act, jobs, workers=30)
        finally:
            for client in clients:
                client.close()
    assert errors(statuses) == []
    assert 500 not in statuses
    assert statuses == [302] * 20 + [201] * 10, statuses
    assert sorted(User.objects.filter(pk__in=[p.pk for p in people]).values_list("first_name", flat=True)) \
        == sorted(f"Nieuw{n}" for n in range(10))
    assert Support.objects.filter(initiative=initiative).count() == 10
    assert Follow.objects.filter(initiative=initiative).count() == 10
    assert Comment.objects.filter(thread=thread).count() == 10
