"""Two submits of the same link at the same moment, on PostgreSQL: one answer, the other is told "already".

The invitation row is locked while it is used (``select_for_update`` in ``_lock_invitation``). Without the
lock both transactions read "not answered yet" and both write an answer (checked by removing it: this
test fails).
"""

import threading
import time

import pytest
from django.db import connection, connections

from lab.feedback import services
from lab.models import FeedbackAnswer, FeedbackInvitation
from tests.factories_lab import GOOD, TEST_KIND, token_of
from tests.services import require_service

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres():
    require_service("PostgreSQL", connection.vendor == "postgresql", "Set DATABASE_URL to a PostgreSQL database.")


@pytest.mark.parametrize("by", ["token", "user"])
def test_a_parallel_double_submit_gives_one_answer(encounter, invited, by, monkeypatch):
    person, link = next(iter(invited.items()))
    record = services._record_answer

    def slow_record(**kwargs):  # widen the window between "not answered yet?" and the write
        time.sleep(0.2)
        return record(**kwargs)

    monkeypatch.setattr(services, "_record_answer", slow_record)
    credentials = {"token": token_of(link)} if by == "token" else {"user": person}
    start = threading.Barrier(8)
    outcomes = []

    def submit():
        try:
            start.wait()
            services.answer(kind=TEST_KIND, object_id=encounter.pk, **credentials, **GOOD)
            outcomes.append("answered")
        except services.AlreadyAnswered:
            outcomes.append("already")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already"] * 7 + ["answered"]
    assert FeedbackAnswer.objects.count() == 1
    assert FeedbackInvitation.objects.filter(answered_at__isnull=False).count() == 1
