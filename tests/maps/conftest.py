"""Shared fixtures for the maps tests: the local stand-in for the municipality's system, a reported
observation with its outbox row, and a stand-in for ``maps.services.triage.report_status_changed``."""

import datetime
import io
import sys
import types
import uuid

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from maps.handoff import outbox
from maps.handoff.standin import StandIn
from maps.models import MunicipalReport, ObservationPhoto, ObservationState, TriageEntry
from tests.factories_maps import ObservationFactory, ObservationPhotoFactory

STANDIN_TOKEN = "test-token"
STANDIN_KEY = "test-key"


@pytest.fixture
def standin(settings):
    """The stand-in, started for this test on a free port; the settings point both adapters at it."""
    server = StandIn(token=STANDIN_TOKEN, open311_api_key=STANDIN_KEY,
                     service_codes=set(settings.OPEN311_SERVICE_CODES.values())).start()
    settings.MUNICIPAL_REPORTS_ADAPTER = "signalen"
    settings.SIGNALEN_BASE_URL = server.url
    settings.SIGNALEN_TOKEN = STANDIN_TOKEN
    settings.SIGNALEN_SOURCE = ""
    settings.OPEN311_BASE_URL = f"{server.url}/open311/v2/"
    settings.OPEN311_API_KEY = STANDIN_KEY
    settings.OPEN311_JURISDICTION_ID = ""
    settings.OPEN311_MULTIPART_MEDIA = False
    settings.MUNICIPAL_REPORTS_TIMEOUT_SECONDS = 2.0
    settings.MUNICIPAL_REPORTS_LEASE_SECONDS = 300
    settings.MUNICIPAL_REPORTS_MAX_ATTEMPTS = 4
    yield server
    server.stop()


class StatusChanges:
    """Records ``report_status_changed`` calls with what the row held in the database at that moment."""

    def __init__(self):
        self.calls = []

    def __call__(self, *, report):
        assert transaction.get_connection().in_atomic_block, "called outside a transaction"
        saved = MunicipalReport.objects.get(pk=report.pk)
        self.calls.append((saved.pk, saved.external_id, saved.external_status))


@pytest.fixture
def status_changes(monkeypatch):
    """``maps.services.triage`` belongs to the triage service; here a module with only the one function."""
    recorder = StatusChanges()
    module = types.ModuleType("maps.services.triage")
    module.report_status_changed = recorder
    monkeypatch.setitem(sys.modules, "maps.services.triage", module)
    return recorder


def jpeg_bytes(colour=(200, 40, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def add_photos(observation, count: int) -> list[ObservationPhoto]:
    photos = []
    for n in range(count):
        image = ContentFile(jpeg_bytes((40 * n, 80, 120)), name=f"foto-{n}.jpg")
        photos.append(ObservationPhotoFactory(observation=observation, order=n, image=image))
    return photos


def reported_observation(actor, **fields):
    observation = ObservationFactory(state=ObservationState.REPORTED, decided_at=timezone.now(), **fields)
    TriageEntry.objects.create(observation=observation, actor=actor, action=TriageEntry.Action.DECIDE,
                               from_state=ObservationState.NEW, to_state=ObservationState.REPORTED)
    return observation


@pytest.fixture
def decider(kern):
    from tests.factories import CouncilMembershipFactory

    return CouncilMembershipFactory(kern=kern, user__email=f"raad-{uuid.uuid4().hex[:6]}@example.nl").user


@pytest.fixture
def make_report(decider, kern):
    """An observation decided "reported" by a council member of its kern, in the outbox (not sent yet)."""

    def make(photos: int = 0, **fields) -> MunicipalReport:
        fields.setdefault("walk__kern", kern)
        observation = reported_observation(decider, **fields)
        add_photos(observation, photos)
        with transaction.atomic():
            return outbox.enqueue_report(observation=observation, actor=decider)

    return make


def make_due(report: MunicipalReport) -> None:
    """Move the clock past the row's retry time or lease, as the periodic run would find it later."""
    past = timezone.now() - datetime.timedelta(seconds=1)
    MunicipalReport.objects.filter(pk=report.pk, next_attempt_at__isnull=False).update(next_attempt_at=past)
    MunicipalReport.objects.filter(pk=report.pk, lease_until__isnull=False).update(lease_until=past)
