"""Two workers racing for one outbox row, on PostgreSQL: one melding. Both read the row at the same moment
unless the claim's row lock makes the second wait; without ``select_for_update`` in ``_claim`` both see it
pending, both claim it and both POST (checked by removing the lock: this test fails)."""

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from maps.handoff import outbox
from maps.models import MunicipalReport
from tests.services import require_service

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres():
    require_service("PostgreSQL", connection.vendor == "postgresql", "Set DATABASE_URL to a PostgreSQL database.")


def test_two_workers_racing_for_one_row_send_once(standin, status_changes, make_report, monkeypatch, settings):
    settings.SIGNALEN_BASE_URL = ""  # the send enqueued at commit waits (not configured) …
    report = make_report(photos=1)
    settings.SIGNALEN_BASE_URL = standin.url  # … for the two workers below
    barrier = threading.Barrier(2)
    original = outbox._is_due

    def both_read_then_decide(row, now):
        # Meet the other worker after reading the row: with the lock the other one is still waiting for it
        # and the barrier times out; without the lock both have read "pending" here.
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=2)
        return original(row, now)

    monkeypatch.setattr(outbox, "_is_due", both_read_then_decide)

    def worker(_n):
        try:
            return outbox.send_report(report.pk)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = sorted(pool.map(worker, range(2)))

    assert results == ["sent", "skipped"]
    assert len(standin.signals) == 1
    (signal,) = standin.signals.values()
    assert len(standin.attachments[signal["signal_id"]]) == 1
    report.refresh_from_db()
    assert report.state == MunicipalReport.State.SENT and outbox.melding_key(report) == signal["signal_id"]
