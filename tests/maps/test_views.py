"""Map endpoints: the municipal outline, and initiatives as GeoJSON and as a text list, only what the viewer may see."""

from decimal import Decimal

import pytest
from django.urls import reverse

from initiatives.models import Status
from tests.factories_initiatives import InitiativeFactory

pytestmark = pytest.mark.django_db


def test_the_outline_is_served_as_geojson(client):
    response = client.get(reverse("maps:municipality"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert response.json()["features"][0]["geometry"]["type"] == "Polygon"


def test_geojson_has_only_visible_initiatives_and_filters_by_kern(client, kern, other_kern, council_member):
    published = InitiativeFactory(kern=kern, status=Status.PUBLISHED, title="Bankje", location_label="Bij de kerk",
                                  latitude=Decimal("51.8655"), longitude=Decimal("4.9930"))
    InitiativeFactory(kern=other_kern, status=Status.FUNDING, latitude=Decimal("51.884"), longitude=Decimal("4.638"))
    submitted = InitiativeFactory(kern=kern, status=Status.SUBMITTED, latitude=Decimal("51.8656"),
                                  longitude=Decimal("4.9931"))
    InitiativeFactory(kern=kern, status=Status.PUBLISHED)  # no point: not on the map, but in the text list

    data = client.get(reverse("maps:initiatives_geojson"), {"kern": kern.slug}).json()
    assert [f["properties"]["id"] for f in data["features"]] == [published.pk]
    feature = data["features"][0]
    assert feature["geometry"]["coordinates"] == [4.993, 51.8655]
    assert feature["properties"]["place"] == "Bij de kerk, Arkel"
    assert len(client.get(reverse("maps:initiatives_geojson")).json()["features"]) == 2

    # The kern's council also sees what is waiting for its decision.
    client.force_login(council_member)
    ids = {f["properties"]["id"] for f in client.get(reverse("maps:initiatives_geojson")).json()["features"]}
    assert submitted.pk in ids
    assert client.get(reverse("maps:initiatives_geojson"), {"kern": "bestaat-niet"}).status_code == 404


def test_the_map_page_has_a_text_list_with_places(client, kern):
    InitiativeFactory(kern=kern, status=Status.PUBLISHED, title="Bloembakken", location_label="Dorpsstraat")
    InitiativeFactory(kern=kern, status=Status.DRAFT, title="Geheim concept")
    content = client.get(reverse("maps:initiatives_map")).content.decode()
    assert "Bloembakken</a>: <span>Dorpsstraat, Arkel</span>" in content
    assert "Geheim concept" not in content
    assert 'data-boundary-url="/kaart/gemeente.geojson"' in content
    assert "data-tile-url=" in content


def test_the_kern_page_lists_that_kerns_visible_initiatives(client, kern, other_kern):
    from wagtail.models import Site

    from cms.models import KernIndexPage, KernPage

    root = Site.objects.get(is_default_site=True).root_page
    index = root.add_child(instance=KernIndexPage(title="Kernen", slug="kernen-test"))
    page = index.add_child(instance=KernPage(title="Arkel", slug="arkel", kern=kern))
    InitiativeFactory(kern=kern, status=Status.FUNDING, title="Speeltuin Arkel")
    InitiativeFactory(kern=kern, status=Status.DRAFT, title="Concept Arkel")
    InitiativeFactory(kern=other_kern, status=Status.FUNDING, title="Molenpad Kinderdijk")
    response = client.get(page.url)
    content = response.content.decode()
    assert "Initiatieven in Arkel" in content
    assert "Speeltuin Arkel" in content
    assert "Concept Arkel" not in content and "Molenpad Kinderdijk" not in content
