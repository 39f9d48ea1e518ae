"""A second connection in a thread of its own, for the PostgreSQL tests that prove a row lock: the test holds a
lock in its own connection, lets ``Other`` run a service against it, and ``wait_for`` watches PostgreSQL until the
other connection waits for that lock (or has already finished, which is what happens when the lock is gone).
Nothing is timed."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from django.db import connection, connections


class Other(threading.Thread):
    """``work()`` in a thread (and database connection) of its own; keeps its result or error and its backend."""

    def __init__(self, work):
        super().__init__(daemon=True)
        self.work = work
        self.pid = None
        self.result = None
        self.error = None
        self.started_work = threading.Event()

    def run(self):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.pid = cursor.fetchone()[0]
            self.started_work.set()
            self.result = self.work()
        except Exception as error:  # noqa: BLE001 - the test looks at the outcome
            self.error = error
        finally:
            self.started_work.set()
            connections.close_all()


def wait_for(other: Other, timeout: float = 10.0) -> bool:
    """Start ``other`` and return once it waits for a lock this connection holds (True) or has ended (False)."""
    other.start()
    assert other.started_work.wait(timeout)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        ours = cursor.fetchone()[0]
        deadline = time.monotonic() + timeout
        while other.is_alive() and time.monotonic() < deadline:
            cursor.execute("SELECT pg_blocking_pids(%s)", [other.pid])
            if ours in (cursor.fetchone()[0] or []):
                return True
            time.sleep(0.01)
    return False


def finish(other: Other):
    other.join(timeout=20)
    assert not other.is_alive(), "the other connection never finished"
    return other


def in_threads(function, items, workers=20):
    """Run ``function`` over ``items`` in ``workers`` threads released together; each closes its connection.

    Returns the results, with any exception in place of its result (so that one failure shows them all).
    """
    barrier = threading.Barrier(min(workers, len(items)))

    def run(item):
        try:
            barrier.wait(timeout=30)
            return function(item)
        except Exception as error:  # noqa: BLE001 - collected and asserted on by the caller
            return error
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run, items))


def errors(results):
    return [repr(result) for result in results if isinstance(result, Exception)]
