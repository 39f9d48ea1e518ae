"""Sending an outbox row: the melding, its photos one by one, retries with back-off, failed after N."""

import random
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from maps.handoff import outbox
from maps.handoff.outbox import backoff_delay, melding_key, melding_number, send_due_reports, send_report
from maps.models import MunicipalReport
from tests.maps.conftest import make_due

pytestmark = pytest.mark.django_db

State = MunicipalReport.State


def test_a_report_is_sent_once_with_its_number_and_announced(standin, status_changes, make_report):
    report = make_report()
    assert report.state == State.PENDING

    assert send_report(report.pk) == State.SENT

    report.refresh_from_db()
    (signal,) = standin.signals.values()
    assert melding_key(report) == signal["signal_id"] and melding_number(report) == signal["id_display"]
    assert (report.external_status, report.external_status_text) == ("OPEN", "Open")
    assert report.lease_until is None and report.sent_at is not None
    assert status_changes.calls == [(report.pk, report.external_id, "OPEN")]
    # A sent row is not due: sending again does nothing.
    assert send_report(report.pk) == "skipped"
    assert send_due_reports() == 0
    assert len(standin.signals) == 1


def test_the_triage_commit_enqueues_the_send(standin, status_changes, make_report, decider,
                                            django_capture_on_commit_callbacks):
    from tests.maps.conftest import reported_observation

    observation = reported_observation(decider)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        report = outbox.enqueue_report(observation=observation, actor=decider)
        assert standin.signals == {}  # nothing leaves before the commit
    report.refresh_from_db()
    assert report.state == State.SENT and len(standin.signals) == 1


def test_reporting_again_returns_the_same_row(standin, make_report, decider):
    report = make_report()
    with transaction.atomic():
        again = outbox.enqueue_report(observation=report.observation, actor=decider)
    assert again.pk == report.pk and MunicipalReport.objects.count() == 1


def test_photos_go_one_by_one_and_a_retry_sends_only_the_missing_ones(standin, status_changes, make_report):
    report = make_report(photos=3)
    photo_ids = list(report.observation.photos.values_list("pk", flat=True))
    original = standin.add_attachment
    failed = []

    def the_second_fails_once(environ, body, key):
        if len(standin.attachments[key]) == 1 and not failed:
            failed.append(key)
            return 503, {"detail": "busy"}
        return original(environ, body, key)

    standin.add_attachment = the_second_fails_once

    assert send_report(report.pk) == State.PENDING
    report.refresh_from_db()
    key = melding_key(report)
    assert report.external_id and report.photos_sent == photo_ids[:1]
    assert len(standin.attachments[key]) == 1
    assert report.next_attempt_at is not None
    assert send_report(report.pk) == "skipped"  # not due yet

    make_due(report)
    assert send_report(report.pk) == State.SENT
    report.refresh_from_db()
    assert report.photos_sent == photo_ids
    assert [a["filename"] for a in standin.attachments[key]] == [f"foto-{n}.jpg" for n in range(3)]
    assert len(standin.signals) == 1  # the melding itself was not sent again
    assert len(status_changes.calls) == 1


def test_backoff_doubles_with_jitter_up_to_the_cap(settings):
    settings.MUNICIPAL_REPORTS_BACKOFF_BASE_SECONDS = 60
    settings.MUNICIPAL_REPORTS_BACKOFF_CAP_SECONDS = 3600
    rng = random.Random(7)
    for attempt, full in [(1, 60), (2, 120), (3, 240), (4, 480), (5, 960), (6, 1920), (7, 3600), (12, 3600)]:
        delays = [backoff_delay(attempt, rng=rng) for _ in range(200)]
        assert all(timedelta(seconds=full / 2) <= d <= timedelta(seconds=full) for d in delays), attempt
        assert max(delays) - min(delays) > timedelta(seconds=full / 4)  # spread out, not one fixed wait


def test_a_failure_waits_by_the_backoff_schedule(standin, status_changes, make_report, settings):
    settings.MUNICIPAL_REPORTS_BACKOFF_BASE_SECONDS = 100
    report = make_report()
    standin.fail_next("create", status=503)
    assert send_report(report.pk) == State.PENDING
    report.refresh_from_db()
    assert report.attempts == 1 and "503" in report.last_error and report.lease_until is None
    ahead = report.next_attempt_at - timezone.now()
    assert timedelta(seconds=45) <= ahead <= timedelta(seconds=100)


def test_failed_after_the_last_attempt_and_staff_can_retry(standin, status_changes, make_report, settings, decider):
    settings.MUNICIPAL_REPORTS_MAX_ATTEMPTS = 3
    report = make_report()
    standin.fail_next("create", status=503, times=3)
    states = []
    for _ in range(3):
        states.append(send_report(report.pk))
        make_due(report)
    assert states == [State.PENDING, State.PENDING, State.FAILED]
    report.refresh_from_db()
    assert report.attempts == 3 and report.next_attempt_at is None
    assert send_due_reports() == 0 and standin.signals == {}

    with pytest.raises(Exception):  # noqa: B017 (only the rule's refusal matters here)
        from tests.factories import UserFactory

        outbox.retry_report(report=report, actor=UserFactory())
    outbox.retry_report(report=report, actor=decider)
    assert send_report(report.pk) == State.SENT and len(standin.signals) == 1


def test_a_refusal_fails_at_once(standin, status_changes, make_report, settings):
    settings.SIGNALEN_CATEGORY_URLS = {"other": "/niet geldig"}  # the stand-in's schema refuses it: a 400
    report = make_report()
    assert send_report(report.pk) == State.FAILED
    report.refresh_from_db()
    assert report.attempts == 1 and "400" in report.last_error and standin.signals == {}


def test_without_a_base_url_rows_wait_untouched(standin, make_report, settings):
    settings.SIGNALEN_BASE_URL = ""
    report = make_report()
    assert send_report(report.pk) == "skipped"
    report.refresh_from_db()
    assert (report.state, report.attempts) == (State.PENDING, 0)
