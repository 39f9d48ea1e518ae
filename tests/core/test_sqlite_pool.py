"""``make run``'s SQLite keeps closed connections for the next request of the process (core/sqlite)."""

import threading

import pytest
from django.conf import settings
from django.db import connection, connections, transaction

from core.sqlite import base as pool

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "core.sqlite",
                       reason="about SQLite, the default of make run; runs in the SQLite pass"),
]


def in_a_thread(work):
    """Run ``work`` as a request would: in a thread of its own, closing the connection at the end."""
    result = []

    def run():
        try:
            result.append(work(connections["default"]))
        finally:
            connections["default"].close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result[0]


def raw(wrapper):
    wrapper.ensure_connection()
    return wrapper.connection


@pytest.fixture(autouse=True)
def empty_pool():
    pool.discard_pooled_connections()
    yield
    pool.discard_pooled_connections()


def test_a_request_after_another_reuses_its_connection():
    first = in_a_thread(raw)
    second = in_a_thread(raw)
    assert first is second
    assert in_a_thread(lambda w: w.cursor().execute("SELECT count(*) FROM community_kern").fetchone()[0]) >= 0


def test_a_connection_comes_back_without_the_transaction_it_had_open():
    def leave_open(wrapper):
        wrapper.ensure_connection()
        wrapper.connection.execute("BEGIN")
        wrapper.connection.execute("INSERT INTO live_streamcounter (stream, last_seq) VALUES ('spook', 1)")
        return wrapper.connection

    left = in_a_thread(leave_open)
    again = in_a_thread(raw)
    assert again is left
    assert not again.in_transaction
    assert in_a_thread(lambda w: w.cursor().execute(
        "SELECT count(*) FROM live_streamcounter WHERE stream = 'spook'").fetchone()[0]) == 0


def test_a_connection_closed_inside_a_transaction_is_not_kept():
    with transaction.atomic():
        connection.ensure_connection()
        inside = connection.connection
        connection.close()
    connection.close()
    assert in_a_thread(raw) is not inside


def test_the_pool_keeps_a_bounded_number_of_connections():
    held, release = [], threading.Event()
    opened = threading.Barrier(pool.IDLE_CONNECTIONS + 3)

    def hold(wrapper):
        held.append(raw(wrapper))
        opened.wait()
        release.wait()

    threads = [threading.Thread(target=in_a_thread, args=(hold,)) for _ in range(pool.IDLE_CONNECTIONS + 2)]
    for thread in threads:
        thread.start()
    opened.wait()
    release.set()
    for thread in threads:
        thread.join()
    kept = pool._pool(connection.settings_dict["NAME"])
    assert kept.qsize() == pool.IDLE_CONNECTIONS
    assert len({id(c) for c in held}) == pool.IDLE_CONNECTIONS + 2
