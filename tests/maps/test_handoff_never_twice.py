"""The outbox never creates a melding twice: a worker killed after the POST and before saving, a time-out
whose request did arrive, and what happens when the system cannot be searched by our reference."""

import pytest

from maps.handoff import outbox
from maps.handoff.outbox import melding_key, send_due_reports, send_report
from maps.models import MunicipalReport
from tests.maps.conftest import make_due

pytestmark = pytest.mark.django_db

State = MunicipalReport.State


class WorkerKilled(BaseException):
    """What the process sees of a SIGKILL: nothing after this point runs, no handler catches it."""


@pytest.fixture
def killed_after_the_post(monkeypatch):
    """The first ``_save_created`` dies: the melding exists upstream, its id was never saved."""
    original = outbox._save_created
    calls = []

    def die_once(report, created, photos):
        calls.append(created.key)
        if len(calls) == 1:
            raise WorkerKilled
        return original(report, created, photos)

    monkeypatch.setattr(outbox, "_save_created", die_once)
    return calls


def test_a_worker_killed_after_the_post_does_not_create_a_second_melding(
        standin, status_changes, make_report, killed_after_the_post):
    report = make_report(photos=2)
    with pytest.raises(WorkerKilled):
        send_report(report.pk)
    report.refresh_from_db()
    assert report.state == State.SENDING and report.external_id == "" and report.lease_until is not None
    assert len(standin.signals) == 1

    assert send_report(report.pk) == "skipped"  # the lease is still live: nobody else takes it
    make_due(report)  # the lease ran out: the periodic run takes the row over
    assert send_due_reports() == 1

    report.refresh_from_db()
    (signal,) = standin.signals.values()  # exactly one melding
    assert report.state == State.SENT and melding_key(report) == signal["signal_id"]
    assert len(standin.attachments[signal["signal_id"]]) == 2
    assert status_changes.calls == [(report.pk, report.external_id, "")]
    assert ("GET", "/signals/v1/private/signals/") in standin.received  # found by our reference


def test_a_timeout_whose_request_arrived_is_found_on_the_retry(standin, status_changes, make_report, settings):
    settings.MUNICIPAL_REPORTS_TIMEOUT_SECONDS = 0.5
    report = make_report()
    standin.fail_next("create", mode="accept_then_timeout", delay=1.5)
    assert send_report(report.pk) == State.PENDING  # outcome unknown, but we can look it up: retry
    assert len(standin.signals) == 1
    make_due(report)
    settings.MUNICIPAL_REPORTS_TIMEOUT_SECONDS = 2.0
    assert send_report(report.pk) == State.SENT
    assert len(standin.signals) == 1


def test_the_look_up_finds_only_our_reference(standin, status_changes, make_report, killed_after_the_post):
    """Another observation reported by the same person the same day is not mistaken for ours."""
    other = make_report()
    report = make_report()
    killed_after_the_post.append("let the first save pass")  # the next save is the one that dies
    assert send_report(other.pk) == State.SENT
    killed_after_the_post.clear()
    with pytest.raises(WorkerKilled):
        send_report(report.pk)
    make_due(report)
    assert send_report(report.pk) == State.SENT
    report.refresh_from_db()
    other.refresh_from_db()
    assert len(standin.signals) == 2 and melding_key(report) != melding_key(other)


def test_without_a_look_up_a_killed_worker_leaves_an_uncertain_row(
        standin, status_changes, make_report, settings, killed_after_the_post):
    settings.SIGNALEN_TOKEN = ""  # the public API alone cannot be searched
    report = make_report()
    with pytest.raises(WorkerKilled):
        send_report(report.pk)
    make_due(report)
    assert send_report(report.pk) == State.UNCERTAIN
    assert send_due_reports() == 0  # never sent again by itself
    report.refresh_from_db()
    assert report.external_id == "" and "check" in report.last_error
    assert len(standin.signals) == 1


def test_without_a_look_up_a_timeout_is_uncertain_at_once(standin, status_changes, make_report, settings):
    settings.SIGNALEN_TOKEN = ""
    settings.MUNICIPAL_REPORTS_TIMEOUT_SECONDS = 0.5
    report = make_report()
    standin.fail_next("create", mode="accept_then_timeout", delay=1.5)
    assert send_report(report.pk) == State.UNCERTAIN
    make_due(report)
    assert send_due_reports() == 0 and len(standin.signals) == 1


def test_without_a_look_up_a_refused_connection_is_retried(standin, status_changes, make_report, settings):
    """Nothing reached the server, so sending again is safe even without a look-up."""
    settings.SIGNALEN_TOKEN = ""
    url = settings.SIGNALEN_BASE_URL
    settings.SIGNALEN_BASE_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    report = make_report()
    assert send_report(report.pk) == State.PENDING
    settings.SIGNALEN_BASE_URL = url
    make_due(report)
    assert send_report(report.pk) == State.SENT and len(standin.signals) == 1


def test_staff_link_an_uncertain_row_to_the_melding_they_found(
        standin, status_changes, make_report, settings, killed_after_the_post, decider):
    settings.SIGNALEN_TOKEN = ""
    report = make_report()
    with pytest.raises(WorkerKilled):
        send_report(report.pk)
    make_due(report)
    send_report(report.pk)
    (signal,) = standin.signals.values()
    report.refresh_from_db()
    linked = outbox.link_report(report=report, actor=decider, number=signal["id_display"], key=signal["signal_id"])
    assert linked.state == State.SENT and melding_key(linked) == signal["signal_id"]
    assert outbox.melding_number(linked) == signal["id_display"]
    assert len(standin.signals) == 1
