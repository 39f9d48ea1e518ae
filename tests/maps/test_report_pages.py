"""The report page: what a resident sees against the council (untriaged observations stay out of the public
report), its tables in words, and a fixed number of queries for the page and every export."""

import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from maps.models import MunicipalReport, ObservationState, WalkState
from tests.factories_maps import ObservationFactory, WalkFactory
from tests.maps.test_report_exports import with_photo

pytestmark = pytest.mark.django_db

EXPORTS = ("maps:report_pdf", "maps:report_csv", "maps:report_geojson")


@pytest.fixture
def walk(kern):
    return WalkFactory(kern=kern, state=WalkState.FINISHED, target_level="B",
                       route=[[4.8350, 51.9275], [4.8370, 51.9280], [4.8390, 51.9290]])


@pytest.fixture
def triaged_and_not(walk):
    public = ObservationFactory(walk=walk, state=ObservationState.NO_ACTION, description="Besloten: al hersteld",
                                decision_reason="De gemeente heeft het al gemaakt", crow_score="D",
                                latitude=Decimal("51.928500"), longitude=Decimal("4.838000"))
    new = ObservationFactory(walk=walk, description="Nog niet bekeken: kapotte lamp")
    merged = ObservationFactory(walk=walk, state=ObservationState.MERGED, merged_into=public,
                                description="Samengevoegd: dubbele melding")
    return public, new, merged


def test_a_resident_sees_only_triaged_observations_and_the_council_sees_all(client, walk, triaged_and_not,
                                                                             resident, council_member):
    page = client.get(reverse("maps:report", args=[walk.pk])).content.decode()
    assert "Besloten: al hersteld" in page and "Nog niet bekeken" not in page and "Samengevoegd" not in page
    client.force_login(resident)
    page = client.get(reverse("maps:report", args=[walk.pk])).content.decode()
    assert "Besloten: al hersteld" in page and "Nog niet bekeken" not in page
    assert "Nog niet bekeken" not in client.get(reverse("maps:report_csv", args=[walk.pk])).content.decode("utf-8")
    geojson = client.get(reverse("maps:report_geojson", args=[walk.pk])).json()
    assert [f["properties"]["description"] for f in geojson["features"][1:]] == ["Besloten: al hersteld"]

    client.force_login(council_member)
    page = client.get(reverse("maps:report", args=[walk.pk])).content.decode()
    assert "Besloten: al hersteld" in page and "Nog niet bekeken: kapotte lamp" in page and "Samengevoegd" not in page
    csv_text = client.get(reverse("maps:report_csv", args=[walk.pk])).content.decode("utf-8")
    assert "Nog niet bekeken: kapotte lamp" in csv_text and "Samengevoegd" not in csv_text


def test_a_walk_that_makes_observations_public_at_once_shows_them_to_everyone(client, kern):
    walk = WalkFactory(kern=kern, state=WalkState.IN_PROGRESS, observations_public=True)
    ObservationFactory(walk=walk, description="Meteen openbaar")
    assert "Meteen openbaar" in client.get(reverse("maps:report", args=[walk.pk])).content.decode()


def test_the_page_has_the_tables_in_words_and_links_to_the_exports(client, walk, triaged_and_not):
    content = client.get(reverse("maps:report", args=[walk.pk])).content.decode()
    assert content.count("<caption") == 3 and 'scope="col"' in content and 'scope="row"' in content
    assert "voldoet niet" in content and "geen scores" in content  # segment 2 has the D, segment 1 nothing
    assert "Streefniveau B" in content and "data-walk-map" in content
    for name in EXPORTS:
        assert reverse(name, args=[walk.pk]) in content
    assert "private" in client.get(reverse("maps:report", args=[walk.pk]))["Cache-Control"]


def test_photos_show_as_thumbnails_with_their_description(client, walk, triaged_and_not):
    photo = with_photo(triaged_and_not[0])
    content = client.get(reverse("maps:report", args=[walk.pk])).content.decode()
    assert f'src="/media/{photo.image.name}"' in content and f'alt="{photo.alt_text}"' in content


def fill(walk, count: int) -> None:
    for n in range(count):
        state = [ObservationState.NEW, ObservationState.REPORTED, ObservationState.NO_ACTION,
                 ObservationState.PRAISE][n % 4]
        observation = ObservationFactory(walk=walk, state=state, crow_score="ABCD"[n % 4],
                                         latitude=Decimal("51.9280") + Decimal(n % 7) / 10000,
                                         longitude=Decimal("4.8360") + Decimal(n % 5) / 10000)
        if state == ObservationState.REPORTED:
            MunicipalReport.objects.create(observation=observation, adapter="signalen", reference=uuid.uuid4().hex,
                                           state=MunicipalReport.State.SENT, external_id=f"SIG-{n}")
        if n % 3 == 0:
            with_photo(observation)


@pytest.mark.parametrize("count", [5, 60])
@pytest.mark.parametrize("name", ["maps:report", *EXPORTS])
def test_the_page_and_each_export_take_a_fixed_number_of_queries(client, walk, council_member, name, count,
                                                                 django_assert_max_num_queries):
    fill(walk, count)
    client.force_login(council_member)
    url = reverse(name, args=[walk.pk])
    client.get(url)  # the session and the visit are written once, on the first request
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
