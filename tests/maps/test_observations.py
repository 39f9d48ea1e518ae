"""Recording observations and their photos: idempotent by client id, bad input refused, photos private until
triage, live events after commit with sequence numbers."""

import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage

from core import files
from live.models import LiveEvent
from live.services import events_after
from maps import services
from maps.models import Observation, ObservationPhoto, WalkState
from maps.services import ClientIdConflict, WalkError
from maps.services.observations import same_theme_nearby
from tests.factories_maps import LAT, LNG, ObservationFactory, WalkFactory, WalkSignupFactory
from tests.photos import gps_tagged_jpeg, metadata_left_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def walk(kern):
    return WalkFactory(kern=kern, state=WalkState.IN_PROGRESS)


@pytest.fixture
def walker(walk, resident):
    WalkSignupFactory(walk=walk, user=resident)
    return resident


def record(walker, walk, **changes):
    values = {"client_id": uuid.uuid4(), "theme": "paving", "description": "Losse tegel", "latitude": str(LAT),
              "longitude": str(LNG)}
    values.update(changes)
    return services.record_observation(actor=walker, walk=walk, **values)


def test_the_same_client_id_five_times_is_one_observation_and_one_event(walk, walker,
                                                                         django_capture_on_commit_callbacks):
    key = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        results = [record(walker, walk, client_id=key) for _ in range(5)]
    assert [created for _observation, created in results] == [True, False, False, False, False]
    assert {observation.pk for observation, _ in results} == {results[0][0].pk}
    assert Observation.objects.count() == 1
    assert LiveEvent.objects.filter(stream=walk.stream, type="observation.added").count() == 1


def test_a_retry_after_the_walk_closed_still_answers_with_the_first(walk, walker):
    key = uuid.uuid4()
    first, _ = record(walker, walk, client_id=key)
    walk.state = WalkState.CANCELLED
    walk.save()
    again, created = record(walker, walk, client_id=key)
    assert again.pk == first.pk and not created


def test_a_client_id_of_another_walk_is_a_conflict(kern, walk, walker):
    key = uuid.uuid4()
    record(walker, walk, client_id=key)
    other = WalkFactory(kern=kern, state=WalkState.IN_PROGRESS)
    WalkSignupFactory(walk=other, user=walker)
    with pytest.raises(ClientIdConflict):
        record(walker, other, client_id=key)


def test_another_persons_client_id_makes_their_own(walk, walker, council_member):
    key = uuid.uuid4()
    record(walker, walk, client_id=key)
    _, created = record(council_member, walk, client_id=key)
    assert created and Observation.objects.filter(client_id=key).count() == 2


@pytest.mark.parametrize(("changes", "code"), [
    ({"latitude": "200", "longitude": "4.8"}, "invalid_coordinates"),
    ({"latitude": "51.92", "longitude": "4.47"}, "outside_municipality"),  # Rotterdam
    ({"latitude": "51.92", "longitude": ""}, "invalid_coordinates"),
    ({"latitude": "NaN", "longitude": "4.8"}, "invalid_coordinates"),
    ({"latitude": None, "longitude": None}, "place"),
    ({"theme": "<script>"}, "theme"),
    ({"kind": "bad"}, "kind"),
    ({"crow_score": "E"}, "crow_score"),
    ({"description": "<p> </p>"}, "required"),
    ({"description": "x" * 2001}, "too_long"),
    ({"description": 42}, "invalid"),
    ({"address": "x" * 201, "latitude": None, "longitude": None}, "too_long"),
    ({"client_id": "not-a-uuid"}, "client_id"),
    ({"observed_at": "2020-01-01T10:00:00+01:00"}, "observed_at"),
    ({"observed_at": "2999-01-01T10:00:00+01:00"}, "observed_at"),
    ({"observed_at": "gisteren"}, "observed_at"),
    ({"observed_at": "2026-01-01T10:00:00"}, "observed_at"),  # no time zone
])
def test_bad_input_is_refused_and_nothing_is_stored(walk, walker, changes, code):
    with pytest.raises(WalkError) as refused:
        record(walker, walk, **changes)
    assert refused.value.code == code
    assert not Observation.objects.exists() and not LiveEvent.objects.exists()


def test_html_in_every_text_field_is_stripped(walk, walker):
    observation, _ = record(walker, walk, description="<img src=x onerror=alert(1)>Gat in\x00 de weg",
                            address="<b>Dorpsstraat</b> 1", place_description="<a href='javascript:x'>bij</a> de kerk")
    assert (observation.description, observation.address, observation.place_description) == (
        "Gat in de weg", "Dorpsstraat 1", "bij de kerk")


def test_a_place_in_words_is_enough(walk, walker):
    observation, _ = record(walker, walk, latitude=None, longitude=None, place_description="achter de school")
    assert not observation.has_point and observation.place_text == "achter de school"


@pytest.mark.parametrize("who", ["stranger", "other_council_member"])
def test_only_who_walks_along_records(walk, who, kern, other_council_member):
    from tests.factories import UserFactory

    person = UserFactory(kern=kern) if who == "stranger" else other_council_member
    with pytest.raises(PermissionDenied):
        record(person, walk)
    assert not Observation.objects.exists()


def test_not_before_the_walk_starts(kern, resident):
    walk = WalkFactory(kern=kern, state=WalkState.PLANNED)
    WalkSignupFactory(walk=walk, user=resident)
    with pytest.raises(PermissionDenied):
        record(resident, walk)


def test_same_theme_within_25_metres_is_shown(walk, walker):
    near, _ = record(walker, walk)
    record(walker, walk, theme="green")
    ObservationFactory(walk=walk, latitude=LAT + Decimal("0.001"), longitude=LNG)  # ~110 m north
    found = same_theme_nearby(walk=walk, theme="paving", latitude=float(LAT) + 0.0001, longitude=float(LNG))
    assert [o.pk for o in found] == [near.pk]
    assert same_theme_nearby(walk=walk, theme="paving", latitude=200, longitude=4.8) == []


# --- photos ---------------------------------------------------------------------------------------------

def add_photo(walker, observation, key=None, data=None):
    from initiatives.images import process_image

    return services.add_observation_photo(actor=walker, observation=observation, client_id=key or uuid.uuid4(),
                                          image=process_image(data or gps_tagged_jpeg()), alt_text="De tegel")


def test_photos_are_stripped_idempotent_and_at_most_four(walk, walker):
    observation, _ = record(walker, walk)
    key = uuid.uuid4()
    photo, created = add_photo(walker, observation, key)
    again, created_again = add_photo(walker, observation, key)
    assert created and not created_again and again.pk == photo.pk
    with default_storage.open(photo.image.name, "rb") as handle:
        assert metadata_left_in(handle.read()) == []
    for _ in range(3):
        add_photo(walker, observation)
    before = set(default_storage.listdir("walks")[0])
    with pytest.raises(WalkError) as refused:
        add_photo(walker, observation)
    assert refused.value.code == "too_many_photos"
    assert ObservationPhoto.objects.filter(observation=observation).count() == 4
    assert set(default_storage.listdir("walks")[0]) == before  # the refused photo's files are gone again


def test_only_the_author_adds_photos_while_it_is_new(walk, walker, council_member):
    observation, _ = record(walker, walk)
    with pytest.raises(PermissionDenied):
        add_photo(council_member, observation)
    observation.state = "no_action"
    observation.save()
    with pytest.raises(PermissionDenied):
        add_photo(walker, observation)


def test_photos_of_an_untriaged_observation_are_not_public(walk, walker):
    from django.contrib.auth.models import AnonymousUser

    observation, _ = record(walker, walk)
    photo, _ = add_photo(walker, observation)
    name = photo.renditions[0]["name"]
    assert files.decide(AnonymousUser(), name) is None
    assert files.decide(walker, name).public is False
    observation.state = "praise"
    observation.save()
    assert files.decide(AnonymousUser(), name).public is True


def test_live_events_replay_equals_a_fresh_fetch(walk, walker, council_member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        observation, _ = record(walker, walk)
        add_photo(walker, observation)
        walk.state = WalkState.FINISHED
        walk.save()
        services.decide(actor=council_member, observations=[observation], decision="no_action", reason="Al gemaakt")
    events = events_after(walk.stream, 0, 100)
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    last = {e["data"]["id"]: e["data"] for e in events}
    fresh = services.observations.observation_message(Observation.objects.get(pk=observation.pk))
    assert last[observation.pk] == fresh
    assert all(e["data"]["properties"]["state"] == "no_action" for e in events)  # stored events rewritten


# --- the guarding lines, one by one (each test fails without the line it names) ----------------------------

def test_an_observation_and_its_live_event_are_written_together(walk, walker, monkeypatch):
    """The ``atomic`` around create and publish: an event that cannot be stored leaves no observation."""
    import live.services

    def broken(**kwargs):
        raise RuntimeError("the event store is down")

    monkeypatch.setattr("maps.services.observations.publish", broken)
    assert live.services.publish is not broken
    with pytest.raises(RuntimeError):
        record(walker, walk)
    assert not Observation.objects.exists()


def test_a_new_observation_shows_in_the_kept_list_at_once(client, walk, walker, settings):
    """``invalidate_pages_after_commit`` in ``record_observation`` and in ``changed``: the kept text list follows."""
    from django.test import TestCase  # noqa: F401  (only for the on_commit capture below)

    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    client.force_login(walker)
    assert "Gat bij de kerk" not in client.get(walk.get_absolute_url()).content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        observation, _ = record(walker, walk, description="Gat bij de kerk")
    assert "Gat bij de kerk" in client.get(walk.get_absolute_url()).content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        add_photo(walker, observation)
    assert "1 foto" in client.get(walk.get_absolute_url()).content.decode()


@pytest.mark.parametrize(("offset", "accepted"), [
    ({"hours": -23}, True), ({"hours": -25}, False), ({"minutes": 9}, True), ({"minutes": 11}, False)])
def test_the_time_of_an_observation_lies_around_the_walk(walk, walker, offset, accepted):
    import datetime

    from django.utils import timezone

    walk.starts_at = timezone.now() - datetime.timedelta(hours=2)
    walk.save()
    base = walk.starts_at if offset.get("hours") else timezone.now()
    moment = (base + datetime.timedelta(**offset)).isoformat()
    if accepted:
        observation, _ = record(walker, walk, observed_at=moment)
        assert observation.observed_at.isoformat() == moment
    else:
        with pytest.raises(WalkError):
            record(walker, walk, observed_at=moment)


def test_empty_optional_values_and_the_longest_texts(walk, walker):
    observation, _ = record(walker, walk, crow_score=None, place_description="p" * 300, address="a" * 200)
    assert observation.crow_score == "" and len(observation.place_description) == 300
    with pytest.raises(WalkError):
        record(walker, walk, place_description="p" * 301)


def test_a_photo_client_id_belongs_to_its_observation_and_photos_keep_their_order(walk, walker,
                                                                                  django_capture_on_commit_callbacks):
    first, _ = record(walker, walk)
    second, _ = record(walker, walk)
    key = uuid.uuid4()
    one, _ = add_photo(walker, first, key)
    other, created = add_photo(walker, second, key)
    assert created and other.pk != one.pk
    with django_capture_on_commit_callbacks(execute=True):
        two, _ = services.add_observation_photo(actor=walker, observation=first, client_id=uuid.uuid4(),
                                                image=__import__("initiatives.images").images.process_image(
                                                    gps_tagged_jpeg()), alt_text="")
    assert [one.order, two.order] == [0, 1]
    assert two.alt_text == "bestrating"  # the theme stands in for a missing description
    assert (two.width, two.height) == (two.renditions[-1]["width"], two.renditions[-1]["height"])
    event = LiveEvent.objects.filter(stream=walk.stream, type="observation.changed").latest("seq")
    photos = event.payload["properties"]["photos"]
    assert [p["id"] for p in photos] == [one.pk, two.pk]
    assert photos[0]["src"] == default_storage.url(one.renditions[0]["name"])
    assert photos[0]["large"] == default_storage.url(one.renditions[-1]["name"])


def test_a_decision_is_published_to_the_walk(walk, walker, council_member, django_capture_on_commit_callbacks):
    observation, _ = record(walker, walk)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(actor=council_member, observations=[observation], decision="praise", reason="Mooi")
    changed = LiveEvent.objects.filter(stream=walk.stream, type="observation.changed")
    assert changed.count() == 1 and changed.get().payload["properties"]["state"] == "praise"


def test_a_walk_started_early_takes_observations_from_its_start(walk, walker):
    import datetime

    from django.utils import timezone

    walk.starts_at = timezone.now() + datetime.timedelta(days=2)  # planned later, started now
    walk.started_at = timezone.now() - datetime.timedelta(minutes=30)
    walk.save()
    moment = (timezone.now() - datetime.timedelta(minutes=10)).isoformat()
    observation, _ = record(walker, walk, observed_at=moment)
    assert observation.observed_at.isoformat() == moment
