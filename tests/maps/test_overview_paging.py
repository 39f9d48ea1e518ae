"""The overview GeoJSON pages through a bounding box by position (latitude, longitude, id) and without one by
id: every visible observation exactly once, pages of exactly ``limit``, ties on a spot kept apart by id, a
cursor that is not one answered 400, and the page read along the position index without sorting the box."""

import json

import pytest
from django.db import connection
from django.urls import reverse

from maps.geojson_sql import overview_features, parse_cursor
from maps.models import Observation, WalkState
from tests.factories_maps import ObservationFactory, WalkFactory

pytestmark = pytest.mark.django_db

BBOX = "4.80,51.90,4.90,51.95"
URL = "/api/v1/observations/"


@pytest.fixture
def spots(kern):
    """Twelve public observations on seven spots: three share one spot, two share a latitude."""
    walk = WalkFactory(kern=kern, state=WalkState.FINISHED)
    places = [("51.921000", "4.832000")] * 3 + [("51.921000", "4.831000"), ("51.921000", "4.833000")] + [
        ("51.9201", "4.8301"), ("51.9230", "4.8310"), ("51.9190", "4.8350"), ("51.9240", "4.8290"),
        ("51.9205", "4.8400"), ("51.9215", "4.8250"), ("51.9222", "4.8333")]
    made = [ObservationFactory(walk=walk, state="praise", latitude=lat, longitude=lng) for lat, lng in places]
    return list(Observation.objects.filter(pk__in=[o.pk for o in made]))  # positions as Decimals


def walk_pages(client, params=None, *, url=URL):
    ids, sizes = [], []
    response = client.get(url, params)
    for _ in range(50):  # a cursor that does not move on would page for ever
        assert response.status_code == 200, response.content
        data = response.json()
        ids += [feature["id"] for feature in data["features"]]
        sizes.append(len(data["features"]))
        if not data["next"]:
            return ids, sizes
        response = client.get(data["next"])
    raise AssertionError("the pages never ended")


@pytest.mark.parametrize("limit", [1, 2, 3, 5, 12, 13])
def test_every_observation_in_the_box_once_in_pages_of_the_limit(client, spots, limit):
    ObservationFactory(walk=spots[0].walk, state="praise", latitude="51.85", longitude="4.75")  # outside the box
    ids, sizes = walk_pages(client, {"bbox": BBOX, "limit": limit})
    assert sorted(ids) == sorted(o.pk for o in spots)
    full, rest = divmod(len(spots), limit)
    # A page holds exactly the limit and the last what is left; after a full last page comes an empty one.
    assert sizes == [limit] * full + [rest]


def test_pages_follow_the_position_and_the_cursor_is_where_the_page_ended(client, spots):
    first = client.get(URL, {"bbox": BBOX, "limit": 4}).json()
    by_position = sorted(spots, key=lambda o: (o.latitude, o.longitude, o.pk))
    assert {f["id"] for f in first["features"]} == {o.pk for o in by_position[:4]}
    last = by_position[3]
    assert f"after={last.latitude}%2C{last.longitude}%2C{last.pk}" in first["next"]


def test_without_a_box_pages_go_by_id_and_list_places_in_words_too(client, spots):
    worded = ObservationFactory(walk=spots[0].walk, state="praise", latitude=None, longitude=None,
                                place_description="Achter de kerk")
    ids, _ = walk_pages(client, {"limit": 5})
    assert ids == sorted([o.pk for o in spots] + [worded.pk])


def test_an_observation_hidden_between_two_pages_costs_no_other_one_its_place(client, spots):
    first = client.get(URL, {"bbox": BBOX, "limit": 6}).json()
    shown = {f["id"] for f in first["features"]}
    Observation.objects.filter(pk__in=shown).update(state="new")  # no longer public
    ids, _ = walk_pages(client, url=first["next"])
    assert sorted(ids) == sorted(o.pk for o in spots if o.pk not in shown)


def test_the_page_is_the_range_up_to_its_last_row(spots):
    """Two queries: the page's last row, then the features up to it (not a LIMIT over the features)."""
    queryset = Observation.objects.all()
    features, cursor = overview_features(queryset, limit=4, positional=True)
    by_position = sorted(spots, key=lambda o: (o.latitude, o.longitude, o.pk))
    last = by_position[3]
    assert parse_cursor(cursor, positional=True) == (last.latitude, last.longitude, last.pk)
    assert sorted(f["id"] for f in json.loads(features)) == sorted(o.pk for o in by_position[:4])


@pytest.mark.parametrize("after, bbox", [
    ("abc", BBOX), ("51.92,4.83", BBOX), ("51.92,4.83,1,2", BBOX), ("nan,4.83,1", BBOX),
    ("1e999,4.83,1", BBOX), ("51.92,inf,1", BBOX), ("51.92,4.83,-1", BBOX), ("51.92,4.83,x", BBOX),
    ("51.92,4.83," + "9" * 19, BBOX), ("51.92,4.83,²", BBOX), ("51.92,4.83,1", None), ("-5", None),
    ("1" * 61, None), ("", None),
])
def test_a_cursor_that_is_not_one_is_a_400(client, spots, after, bbox):
    params = {"after": after, **({"bbox": bbox} if bbox else {})}
    response = client.get(URL, params)
    assert response.status_code == 400
    assert "after" in response.json()["errors"]


def test_a_page_in_a_box_costs_at_most_five_queries(client, spots, django_assert_max_num_queries):
    client.get(reverse("maps:walks"))  # the first request of a visit notes the visit: not part of the page
    with django_assert_max_num_queries(5):
        first = client.get(URL, {"bbox": BBOX, "limit": 5}).json()
    with django_assert_max_num_queries(5):
        assert len(client.get(first["next"]).json()["features"]) == 5


def _plan(sql, params):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table is cheapest to scan; ask for the index
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " | ".join(str(row) for row in cursor.fetchall())


def test_a_page_in_a_box_reads_the_position_index_in_order_without_sorting_the_box(spots):
    from django.contrib.auth.models import AnonymousUser

    from maps.geojson_sql import POSITION_ORDER
    from maps.selectors import overview_observations, parse_bbox

    queryset = overview_observations(AnonymousUser(), bbox=parse_bbox(BBOX))
    page = queryset.order_by(*POSITION_ORDER).values_list(*POSITION_ORDER)[999:1000]
    plan = _plan(*page.query.sql_with_params())
    assert "observation_position" in plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan


def test_a_page_answers_to_its_documented_schema(client, spots):
    import jsonschema

    from maps.api.serializers import OVERVIEW_COLLECTION

    ObservationFactory(walk=spots[0].walk, state="praise", latitude=None, longitude=None, crow_score="A+",
                       place_description="Achter de kerk")
    for params in ({"bbox": BBOX, "limit": 3}, {}):
        response = client.get(URL, params)
        assert response["Content-Type"] == "application/geo+json"
        jsonschema.validate(response.json(), OVERVIEW_COLLECTION)
    assert client.get(reverse("api-schema") + "?format=json").status_code == 200
