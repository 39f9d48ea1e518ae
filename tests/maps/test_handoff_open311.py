"""The Open311 GeoReport v2 adapter against the stand-in, and the settings that choose the adapter."""

import pytest

from maps.handoff import outbox
from maps.handoff.adapters import Open311Adapter, SignalenAdapter, get_adapter
from maps.handoff.outbox import melding_key, refresh_statuses, send_report
from maps.models import MunicipalReport

pytestmark = pytest.mark.django_db

State = MunicipalReport.State


@pytest.fixture
def open311(standin, settings):
    settings.MUNICIPAL_REPORTS_ADAPTER = "open311"
    return standin


def test_settings_choose_the_adapter(settings):
    settings.MUNICIPAL_REPORTS_ADAPTER = "signalen"
    assert isinstance(get_adapter(), SignalenAdapter)
    settings.MUNICIPAL_REPORTS_ADAPTER = "open311"
    assert isinstance(get_adapter(), Open311Adapter)


def test_a_row_keeps_the_adapter_it_was_made_with(open311, status_changes, make_report, settings):
    report = make_report()
    assert report.adapter == "open311"
    settings.MUNICIPAL_REPORTS_ADAPTER = "signalen"  # switched while the row waited
    assert send_report(report.pk) == State.SENT
    assert open311.signals == {} and len(open311.open311_requests) == 1


def test_open311_request_carries_service_place_reporter_and_reference(open311, status_changes, make_report,
                                                                     decider):
    report = make_report(theme="lighting", address="Kerkstraat 3, Arkel", photos=2)
    assert send_report(report.pk) == State.SENT
    report.refresh_from_db()
    (request_id, request), = open311.open311_requests.items()
    form = request["form"]
    assert melding_key(report) == request_id and outbox.melding_number(report) == request_id
    assert form["service_code"] == "verlichting" and form["api_key"] == "test-key"
    assert (form["lat"], form["long"]) == ("51.927500", "4.835000")
    assert form["email"] == decider.email and form["address_string"] == "Kerkstraat 3, Arkel"
    assert form["attribute[samenlab_kenmerk]"] == report.reference
    assert "Foto's: 2" in form["description"]  # photos stay with us, and the municipality knows they exist
    assert request["media"] is None and report.photos_sent == []
    assert status_changes.calls == [(report.pk, request_id, "open")]


def test_open311_multipart_media_sends_the_first_photo(open311, status_changes, make_report, settings):
    settings.OPEN311_MULTIPART_MEDIA = True
    report = make_report(photos=2)
    send_report(report.pk)
    report.refresh_from_db()
    (request,) = open311.open311_requests.values()
    first = report.observation.photos.order_by("order").first()
    assert request["media"]["filename"] == "foto-0.jpg" and report.photos_sent == [first.pk]
    assert "Foto's: 1" in request["form"]["description"]


def test_open311_status_and_a_token_that_becomes_an_id(open311, status_changes, make_report):
    open311.open311_tokens = True
    report = make_report()
    send_report(report.pk)
    report.refresh_from_db()
    assert report.external_id.startswith("token:")
    assert refresh_statuses() == 1
    report.refresh_from_db()
    (request_id,) = open311.open311_requests
    assert melding_key(report) == request_id
    open311.set_status(request_id, "closed")
    assert refresh_statuses() == 1
    report.refresh_from_db()
    assert (report.external_status, report.external_status_text) == ("closed", "Afgehandeld")
    assert len(status_changes.calls) == 3


def test_open311_cannot_look_up_so_an_unknown_outcome_is_uncertain(open311, status_changes, make_report, settings):
    settings.MUNICIPAL_REPORTS_TIMEOUT_SECONDS = 0.5
    report = make_report()
    open311.fail_next("open311_create", mode="accept_then_timeout", delay=1.5)
    assert send_report(report.pk) == State.UNCERTAIN
    assert outbox.send_due_reports() == 0 and len(open311.open311_requests) == 1


def test_open311_refuses_an_unknown_service_code(open311, status_changes, make_report, settings):
    settings.OPEN311_SERVICE_CODES = {"other": "bestaat-niet"}
    report = make_report()
    assert send_report(report.pk) == State.FAILED
    report.refresh_from_db()
    assert "service_code" in report.last_error and open311.open311_requests == {}
