"""The melding's status comes back by polling: a change is saved and announced once, no change is not."""

import datetime

import pytest
from django.utils import timezone

from maps.handoff.outbox import melding_key, refresh_statuses, send_report
from maps.models import MunicipalReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(standin, status_changes, make_report):
    report = make_report()
    send_report(report.pk)
    status_changes.calls.clear()
    report.refresh_from_db()
    return report


def test_a_changed_status_is_saved_and_announced_once(standin, status_changes, sent):
    standin.set_status(melding_key(sent), "CLOSED")
    assert refresh_statuses() == 1
    sent.refresh_from_db()
    assert (sent.external_status, sent.external_status_text) == ("CLOSED", "Gesloten")
    assert sent.status_checked_at is not None
    assert status_changes.calls == [(sent.pk, sent.external_id, "CLOSED")]


def test_an_unchanged_status_is_not_announced(standin, status_changes, sent):
    assert refresh_statuses() == 0
    sent.refresh_from_db()
    assert sent.external_status == "OPEN" and sent.status_checked_at is not None
    assert status_changes.calls == []


def test_closed_meldingen_are_read_again_only_after_a_day(standin, status_changes, sent):
    standin.set_status(melding_key(sent), "CLOSED")
    refresh_statuses()
    standin.set_status(melding_key(sent), "OPEN")  # reopened
    assert refresh_statuses() == 0
    MunicipalReport.objects.filter(pk=sent.pk).update(
        status_checked_at=timezone.now() - datetime.timedelta(days=2))
    assert refresh_statuses() == 1
    sent.refresh_from_db()
    assert sent.external_status == "OPEN"


def test_a_status_that_cannot_be_read_changes_nothing(standin, status_changes, sent):
    standin.fail_next("status", status=502)
    assert refresh_statuses() == 0
    sent.refresh_from_db()
    assert sent.status_checked_at is None and status_changes.calls == []
