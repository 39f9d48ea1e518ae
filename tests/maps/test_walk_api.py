"""/api/v1/ for walks: idempotent observations and photos over HTTP, bad input answered with a clear error,
GeoJSON in a bounding box in a fixed number of queries, and only what the viewer may see."""

import io
import uuid

import pytest
from django.urls import reverse
from PIL import Image

from maps.models import Observation, ObservationPhoto, WalkState
from tests.factories import UserFactory
from tests.factories_maps import LAT, LNG, ObservationFactory, WalkFactory, WalkSignupFactory
from tests.photos import gps_tagged_jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture
def walk(kern):
    return WalkFactory(kern=kern, state=WalkState.IN_PROGRESS)


@pytest.fixture
def walker(walk, resident):
    WalkSignupFactory(walk=walk, user=resident)
    return resident


def observations_url(walk):
    return reverse("api:walks-observations", kwargs={"pk": walk.pk})


def body(**changes):
    data = {"client_id": str(uuid.uuid4()), "theme": "paving", "description": "Losse tegel", "latitude": 51.9275,
            "longitude": 4.835}
    data.update(changes)
    return data


def test_create_answers_201_then_200_with_the_same_observation(client, walk, walker):
    client.force_login(walker)
    data = body()
    first = client.post(observations_url(walk), data, content_type="application/json")
    again = client.post(observations_url(walk), data, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and Observation.objects.count() == 1
    assert first.json()["properties"]["author"] == walker.display_name


@pytest.mark.parametrize(("changes", "field"), [
    ({"latitude": 200}, "latitude"),
    ({"latitude": "veertig"}, "latitude"),
    ({"theme": "weird"}, "theme"),
    ({"client_id": "x"}, "client_id"),
    ({"description": ""}, "description"),
    ({"description": "x" * 3000}, "description"),
    ({"crow_score": "F"}, "crow_score"),
    ({"observed_at": "vandaag"}, "observed_at"),
])
def test_bad_fields_answer_400_and_change_nothing(client, walk, walker, changes, field):
    client.force_login(walker)
    response = client.post(observations_url(walk), body(**changes), content_type="application/json")
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "invalid" and response.json()["detail"]
    assert not Observation.objects.exists()


def test_outside_the_municipality_is_a_clear_400(client, walk, walker):
    client.force_login(walker)
    response = client.post(observations_url(walk), body(latitude=51.92, longitude=4.47),
                           content_type="application/json")
    assert response.status_code == 400 and "buiten de gemeente" in response.json()["detail"]


def test_wrong_types_and_a_body_that_is_not_json(client, walk, walker):
    client.force_login(walker)
    assert client.post(observations_url(walk), "[1,2]", content_type="application/json").status_code == 400
    assert client.post(observations_url(walk), "{nope", content_type="application/json").status_code == 400
    assert client.post(observations_url(walk), body(description=["a"]), content_type="application/json"
                       ).status_code == 400
    assert not Observation.objects.exists()


def test_a_forged_walk_id_is_404_and_a_walk_not_joined_is_403(client, kern, walk, walker):
    client.force_login(walker)
    assert client.post(reverse("api:walks-observations", kwargs={"pk": 999_999}), body(),
                       content_type="application/json").status_code == 404
    other = WalkFactory(kern=kern, state=WalkState.IN_PROGRESS)
    assert client.post(observations_url(other), body(), content_type="application/json").status_code == 403
    client.logout()
    assert client.post(observations_url(walk), body(), content_type="application/json").status_code == 403
    assert not Observation.objects.exists()


def upload(client, observation, **changes):
    data = {"client_id": str(uuid.uuid4()), "photo": io.BytesIO(gps_tagged_jpeg()), "alt_text": "tegel"}
    data["photo"].name = "tegel.jpg"
    data.update(changes)
    return client.post(reverse("api:observations-photos", kwargs={"pk": observation.pk}), data)


def test_photos_one_at_a_time_idempotent_and_refused_when_not_an_image(client, walk, walker):
    client.force_login(walker)
    observation = ObservationFactory(walk=walk, author=walker)
    key = str(uuid.uuid4())
    assert upload(client, observation, client_id=key).status_code == 201
    assert upload(client, observation, client_id=key).status_code == 200
    text = io.BytesIO(b"<html><script>alert(1)</script></html>")
    text.name = "foto.jpg"
    refused = upload(client, observation, photo=text)
    assert refused.status_code == 400 and "geen foto" in refused.json()["detail"]
    bomb = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(bomb, "PNG")
    bomb.seek(0)
    bomb.name = "bom.png"
    assert upload(client, observation, photo=bomb).status_code == 400
    big = io.BytesIO(gps_tagged_jpeg() + b"\0" * (11 * 1024 * 1024))
    big.name = "groot.jpg"
    assert upload(client, observation, photo=big).status_code in (400, 413)
    assert ObservationPhoto.objects.filter(observation=observation).count() == 1


def test_someone_elses_observation_takes_no_photo(client, walk, walker, kern):
    other = UserFactory(kern=kern)
    WalkSignupFactory(walk=walk, user=other)
    observation = ObservationFactory(walk=walk, author=other)
    client.force_login(walker)
    assert upload(client, observation).status_code == 403
    stranger = UserFactory(kern=kern)
    client.force_login(stranger)
    assert upload(client, observation).status_code == 404  # they may not even see it
    assert not ObservationPhoto.objects.exists()


def test_triage_by_someone_who_is_not_council_or_staff_is_refused(client, kern, council_member, walker):
    walk = WalkFactory(kern=kern, state=WalkState.FINISHED)
    WalkSignupFactory(walk=walk, user=walker)
    observation = ObservationFactory(walk=walk, author=walker)
    url = reverse("api:walks-triage", kwargs={"pk": walk.pk})
    data = {"observations": [observation.pk], "decision": "no_action", "reason": "Nee"}
    client.force_login(walker)
    assert client.post(url, data, content_type="application/json").status_code == 403
    client.force_login(council_member)
    other = ObservationFactory(walk=WalkFactory(kern=kern, state=WalkState.FINISHED))
    assert client.post(url, dict(data, observations=[other.pk]), content_type="application/json").status_code == 404
    ok = client.post(url, data, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["features"][0]["properties"]["state"] == "no_action"
    again = client.post(url, dict(data, decision="praise"), content_type="application/json")
    assert again.status_code == 200  # no action may still become praise
    observation.refresh_from_db()
    assert observation.state == "praise"


def test_geojson_in_a_bbox_shows_only_public_observations_to_visitors(client, kern, walker, walk):
    public = ObservationFactory(walk=walk, state="praise")
    ObservationFactory(walk=walk, state="new")
    far = ObservationFactory(walk=walk, state="praise", latitude="51.85", longitude="4.75")
    url = reverse("api:observations-geojson")
    data = client.get(url, {"bbox": "4.80,51.90,4.90,51.95"}).json()
    assert [f["id"] for f in data["features"]] == [public.pk]
    assert data["features"][0]["geometry"] == {"type": "Point", "coordinates": [float(LNG), float(LAT)]}
    assert "author" not in data["features"][0]["properties"]
    assert {f["id"] for f in client.get(url).json()["features"]} == {public.pk, far.pk}
    client.force_login(walker)
    assert len(client.get(url, {"bbox": "4.80,51.90,4.90,51.95"}).json()["features"]) == 2


@pytest.mark.parametrize("bbox", ["1,2,3", "a,b,c,d", "5,51,4,52", "4,91,5,92", "nan,51,5,52"])
def test_a_bad_bbox_is_a_400(client, bbox):
    assert client.get(reverse("api:observations-geojson"), {"bbox": bbox}).status_code == 400


def test_paging_by_id_and_limits(client, walk):
    for _ in range(5):
        ObservationFactory(walk=walk, state="praise")
    url = reverse("api:observations-geojson")
    first = client.get(url, {"limit": 3}).json()
    assert len(first["features"]) == 3 and first["next"]
    second = client.get(first["next"]).json()
    assert len(second["features"]) == 2 and second["next"] is None
    assert client.get(url, {"limit": 0}).status_code == 400
    assert client.get(url, {"limit": 10_001}).status_code == 400


@pytest.mark.parametrize("count", [5, 60])
def test_geojson_queries_do_not_grow(client, walk, walker, count, django_assert_max_num_queries):
    from tests.maps.test_observations import add_photo

    for index in range(count):
        observation = ObservationFactory(walk=walk, state="praise" if index % 2 else "new", author=walker)
        if index < 3:
            observation.state = "new"
            observation.save()
            add_photo(walker, observation)
    client.force_login(walker)
    client.get(reverse("maps:walks"))  # the first request of a visit notes the visit: not part of the pages
    with django_assert_max_num_queries(5):
        assert len(client.get(reverse("api:observations-geojson")).json()["features"]) == count
    with django_assert_max_num_queries(10):
        assert client.get(reverse("maps:walk", args=[walk.pk])).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("maps:capture", args=[walk.pk])).status_code == 200


def test_walks_as_geojson_with_their_route_in_a_bbox(client, kern, django_assert_max_num_queries):
    walk = WalkFactory(kern=kern)
    WalkFactory(kern=kern, route=[], meeting_latitude="51.85", meeting_longitude="4.75")
    url = reverse("api:walks-geojson")
    with django_assert_max_num_queries(2):
        data = client.get(url).json()
    assert len(data["features"]) == 2
    inside = client.get(url, {"bbox": "4.80,51.90,4.90,51.95"}).json()["features"]
    assert [f["id"] for f in inside] == [walk.pk]
    assert inside[0]["geometry"] == {"type": "LineString", "coordinates": walk.route}
    assert inside[0]["properties"]["url"] == walk.get_absolute_url()
    assert client.get(url, {"bbox": "x"}).status_code == 400


def test_the_overview_features_written_by_the_database(client, walk):
    """What the database writes: what a map needs to draw and group a point, and the link to the rest; ordered
    by id without a box, labels in the page's language, places by words too (without a geometry)."""
    placed = [ObservationFactory(walk=walk, state="praise", description=f"Punt {n}") for n in range(3)]
    worded = ObservationFactory(walk=walk, state="no_action", latitude=None, longitude=None, theme="lighting",
                                place_description='Bij "de" kerk <b>', decision_reason="Al gemaakt")
    data = client.get(reverse("api:observations-geojson")).json()
    assert [f["id"] for f in data["features"]] == [o.pk for o in placed] + [worded.pk]
    first = data["features"][0]
    assert first["type"] == "Feature" and first["id"] == placed[0].pk
    assert first["geometry"] == {"type": "Point", "coordinates": [float(LNG), float(LAT)]}
    assert first["properties"] == {
        "walk": walk.pk, "theme": "paving", "theme_label": "bestrating", "kind": "problem", "crow_score": "",
        "state": "praise", "url": reverse("maps:observation", args=[placed[0].pk])}
    last = data["features"][-1]
    assert last["geometry"] is None and last["properties"]["theme_label"] == "verlichting"
    english = client.get(reverse("api:observations-geojson"), HTTP_ACCEPT_LANGUAGE="en",
                         headers={"Cookie": "django_language=en"}).json()
    assert english["features"][0]["properties"]["theme"] == "paving"
    assert english["features"][-1]["properties"]["theme_label"] == "street lighting"
    empty = client.get(reverse("api:observations-geojson"), {"bbox": "4.0,51.0,4.1,51.1"}).json()
    assert empty == {"type": "FeatureCollection", "features": [], "next": None}
