"""Phones retry, people tap twice, councils decide at the same moment: on PostgreSQL, with real threads and
connections, each write happens once. Each test names the guarding line it fails without."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.files.storage import default_storage
from django.db import connection, connections

from initiatives.images import process_image
from live.models import LiveEvent
from maps import services
from maps.models import MunicipalReport, Observation, ObservationPhoto, WalkSignup, WalkState
from tests.factories import CouncilMembershipFactory, UserFactory
from tests.factories_maps import ObservationFactory, WalkFactory, WalkSignupFactory
from tests.photos import gps_tagged_jpeg
from tests.services import require_service

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres():
    require_service("PostgreSQL", connection.vendor == "postgresql", "Set DATABASE_URL to a PostgreSQL database.")


def together(function, items):
    """Run ``function(item)`` for every item in its own thread and connection, all released at once."""
    barrier = threading.Barrier(len(items))

    def run(item):
        try:
            barrier.wait(timeout=10)
            return function(item)
        except Exception as error:  # noqa: BLE001 - the test looks at every outcome
            return error
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(items)) as pool:
        return list(pool.map(run, items))


def test_the_same_observation_sent_five_times_at_once_is_stored_once(kern):
    """Without the ``IntegrityError`` branch in ``record_observation`` the losers of the race fail with a 500;
    without the unique constraint there would be five."""
    walk = WalkFactory(kern=kern, state=WalkState.IN_PROGRESS)
    walker = UserFactory(kern=kern)
    WalkSignupFactory(walk=walk, user=walker)
    key = uuid.uuid4()
    results = together(lambda _i: services.record_observation(
        actor=walker, walk=walk, client_id=key, theme="paving", description="Losse tegel", latitude="51.9275",
        longitude="4.835"), range(5))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len({observation.pk for observation, _created in results}) == 1
    assert sorted(created for _o, created in results) == [False, False, False, False, True]
    assert Observation.objects.count() == 1
    assert LiveEvent.objects.filter(stream=walk.stream, type="observation.added").count() == 1


def test_parallel_photos_stop_at_four_and_one_client_id_is_one_photo(kern):
    """Without ``lock_observation`` in ``add_observation_photo`` six parallel photos all count three before
    them and more than four are stored; without the look-up under the lock one client id stores twice."""
    walk = WalkFactory(kern=kern, state=WalkState.IN_PROGRESS)
    walker = UserFactory(kern=kern)
    WalkSignupFactory(walk=walk, user=walker)
    observation = ObservationFactory(walk=walk, author=walker)
    image = process_image(gps_tagged_jpeg((600, 400)))
    together(lambda _i: services.add_observation_photo(actor=walker, observation=observation,
                                                       client_id=uuid.uuid4(), image=image), range(6))
    assert ObservationPhoto.objects.filter(observation=observation).count() == 4
    second = ObservationFactory(walk=walk, author=walker)
    key = uuid.uuid4()
    folders_before = len(default_storage.listdir("walks")[0])
    results = together(lambda _i: services.add_observation_photo(actor=walker, observation=second, client_id=key,
                                                                 image=image), range(4))
    # Without the look-up under the lock the losers hit the unique constraint and answer with an error.
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(created for _photo, created in results) == [False, False, False, True]
    assert ObservationPhoto.objects.filter(observation=second).count() == 1
    # The losers' files are removed again: one new folder.
    assert len(default_storage.listdir("walks")[0]) == folders_before + 1


def test_a_walk_with_three_places_takes_three_of_ten_at_once(kern):
    """Without ``lock_walk`` in ``sign_up`` all ten count the sign-ups before them and all get in."""
    walk = WalkFactory(kern=kern, max_participants=3)
    people = [UserFactory(kern=kern) for _ in range(10)]
    together(lambda person: services.sign_up(user=person, walk=walk), people)
    assert WalkSignup.objects.filter(walk=walk).count() == 3


def test_two_council_members_reporting_at_once_send_one_report(kern, settings):
    """Without the row locks of ``decide`` both see a new observation and both make a report."""
    settings.SIGNALEN_BASE_URL = ""
    walk = WalkFactory(kern=kern, state=WalkState.FINISHED)
    observation = ObservationFactory(walk=walk)
    members = [CouncilMembershipFactory(kern=kern).user for _ in range(2)]
    results = together(lambda member: services.decide(actor=member, observations=[observation.pk],
                                                      decision="reported", reason="Naar de gemeente"), members)
    assert sum(isinstance(r, Exception) for r in results) == 1, results
    assert MunicipalReport.objects.filter(observation=observation).count() == 1
