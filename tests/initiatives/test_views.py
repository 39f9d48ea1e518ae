"""Initiative pages through the views: who sees and does what, bad input, and query counts."""

import io
import re
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.formats import money
from initiatives.models import Initiative, InitiativePhoto, Pledge, Status
from tests.factories import UserFactory
from tests.factories_initiatives import InitiativeFactory
from tests.photos import gps_tagged_jpeg

pytestmark = pytest.mark.django_db


# --- Visibility -----------------------------------------------------------------------------------


def test_a_draft_is_invisible_to_others_in_list_detail_search_map_and_sitemap(client, make_initiative, resident,
                                                                             other_council_member):
    draft = make_initiative(Status.DRAFT, title="Geheim concept over de molen", latitude=Decimal("51.8655"),
                            longitude=Decimal("4.9930"))
    public = make_initiative(Status.PUBLISHED, title="Openbare bankjes", latitude=Decimal("51.8656"),
                             longitude=Decimal("4.9931"))
    for viewer in (None, resident, other_council_member):
        client.logout()
        if viewer:
            client.force_login(viewer)
        listing = client.get(reverse("initiatives:list")).content.decode()
        assert "Openbare bankjes" in listing and "Geheim concept" not in listing
        assert "Geheim concept" not in client.get(reverse("initiatives:list"), {"q": "Geheim"}).content.decode()
        assert client.get(draft.get_absolute_url()).status_code == 404
        assert client.get(public.get_absolute_url()).status_code == 200
        geojson = client.get(reverse("maps:initiatives_geojson")).json()
        assert [f["properties"]["id"] for f in geojson["features"]] == [public.pk]
        assert "Geheim concept" not in client.get(reverse("maps:initiatives_map")).content.decode()
        assert "Geheim concept" not in client.get("/zoeken/", {"q": "Geheim"}).content.decode()
        assert "Openbare bankjes" in client.get("/zoeken/", {"q": "bankjes"}).content.decode()
        sitemap = client.get("/sitemap.xml").content.decode()
        assert f"/initiatieven/{public.pk}/" in sitemap and f"/initiatieven/{draft.pk}/" not in sitemap


def test_the_initiator_and_the_kerns_council_see_the_draft(client, make_initiative, initiator, council_member):
    draft = make_initiative(Status.SUBMITTED, title="Ingediend plan voor de dijk")
    for viewer in (initiator, council_member):
        client.force_login(viewer)
        assert client.get(draft.get_absolute_url()).status_code == 200
        assert "Ingediend plan" in client.get(reverse("initiatives:list")).content.decode()


# --- Moderation -------------------------------------------------------------------------------------


def test_only_the_kerns_council_sees_the_queue_and_moderates(client, make_initiative, council_member,
                                                            other_council_member, resident, staff):
    submitted = make_initiative(Status.SUBMITTED, title="Plan voor een jeu-de-boulesbaan")
    queue = reverse("initiatives:moderation_queue")

    client.force_login(resident)
    assert client.get(queue).status_code == 403

    client.force_login(other_council_member)
    response = client.get(queue)
    assert response.status_code == 200 and "jeu-de-boulesbaan" not in response.content.decode()
    response = client.post(reverse("initiatives:decide", args=[submitted.pk]),
                           {f"i{submitted.pk}-decision": "approve"})
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED

    client.force_login(staff)
    assert "jeu-de-boulesbaan" in client.get(queue).content.decode()

    client.force_login(council_member)
    assert "jeu-de-boulesbaan" in client.get(queue).content.decode()
    # Declining without a reason: a clear error, nothing changed.
    response = client.post(reverse("initiatives:decide", args=[submitted.pk]),
                           {f"i{submitted.pk}-decision": "decline", f"i{submitted.pk}-reason": ""})
    assert response.status_code == 400 and "waarom" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    response = client.post(reverse("initiatives:decide", args=[submitted.pk]),
                           {f"i{submitted.pk}-decision": "approve", f"i{submitted.pk}-reason": "Mooi plan"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status in (Status.PUBLISHED, Status.FUNDING)


def test_nobody_moderates_their_own_initiative(client, kern, council_member):
    own = InitiativeFactory(kern=kern, initiator=council_member, status=Status.SUBMITTED)
    client.force_login(council_member)
    assert f"/initiatieven/{own.pk}/" not in client.get(reverse("initiatives:moderation_queue")).content.decode()
    assert client.post(reverse("initiatives:decide", args=[own.pk]), {f"i{own.pk}-decision": "approve"}).status_code \
        == 403


# --- Starting an initiative ---------------------------------------------------------------------------


def test_start_asks_nothing_the_profile_knows_and_saves_a_draft_per_step(client, resident, kern):
    client.force_login(resident)
    page = client.get(reverse("initiatives:start")).content.decode()
    assert re.search(rf'<option value="{kern.pk}" selected>', page)
    response = client.post(reverse("initiatives:start"), {"title": "Bankjes langs de dijk", "summary": "Rusten.",
                                                          "theme": "groen", "kern": kern.pk})
    initiative = Initiative.objects.get(title="Bankjes langs de dijk")
    assert initiative.status == Status.DRAFT and initiative.kern == kern and initiative.initiator == resident
    assert response.url == reverse("initiatives:edit_step", args=[initiative.pk, "verhaal"])

    step = lambda name: reverse("initiatives:edit_step", args=[initiative.pk, name])  # noqa: E731
    client.post(step("verhaal"), {"story": "<p>Voor ouderen.</p><script>alert(1)</script>"})
    initiative.refresh_from_db()
    assert "script" not in initiative.story and "Voor ouderen" in initiative.story

    # A point outside the municipality: a clear error, nothing changed.
    response = client.post(step("plek"), {"location_label": "Rotterdam", "latitude": "51.9225", "longitude": "4.4792"})
    assert response.status_code == 400
    assert "buiten de gemeente Molenlanden" in response.content.decode()
    initiative.refresh_from_db()
    assert initiative.latitude is None and initiative.location_label == ""
    # The kern's middle instead of clicking.
    client.post(step("plek"), {"location_label": "Bij de kerk", "use_kern_centre": "on"})
    initiative.refresh_from_db()
    assert (initiative.latitude, initiative.location_label) == (Decimal(str(kern.latitude)), "Bij de kerk")

    client.post(step("nodig"), {"goal": "500", "deadline": "2099-01-01", "needs_volunteers": "3"})
    initiative.refresh_from_db()
    assert initiative.goal == Decimal("500.00")


def test_a_rejected_photo_says_why_and_keeps_the_description(client, make_initiative, initiator):
    initiative = make_initiative(Status.DRAFT)
    client.force_login(initiator)
    url = reverse("initiatives:edit_step", args=[initiative.pk, "fotos"])
    response = client.post(url, {"alt_text": "Het grasveld achter de school",
                                 "photo": SimpleUploadedFile("foto.jpg", b"<html>geen foto</html>", "image/jpeg")})
    assert response.status_code == 400
    content = response.content.decode()
    assert "JPEG" in content and 'value="Het grasveld achter de school"' in content
    assert not InitiativePhoto.objects.exists()


def test_an_uploaded_photo_is_stored_without_exif_in_every_size(client, make_initiative, initiator):
    initiative = make_initiative(Status.DRAFT)
    client.force_login(initiator)
    url = reverse("initiatives:edit_step", args=[initiative.pk, "fotos"])
    response = client.post(url, {"alt_text": "Het grasveld",
                                 "photo": SimpleUploadedFile("IMG.JPG", gps_tagged_jpeg(), "image/jpeg")})
    assert response.status_code == 302
    photo = InitiativePhoto.objects.get()
    assert [r["width"] for r in photo.renditions] == [480, 960, 1200]
    for rendition in photo.renditions:
        with default_storage.open(rendition["name"]) as stored:
            data = stored.read()
        assert b"Exif" not in data and b"Telefoonmaker" not in data
        with Image.open(io.BytesIO(data)) as image:
            assert not image.getexif()


def test_another_resident_cannot_edit_a_draft(client, make_initiative, resident):
    initiative = make_initiative(Status.DRAFT)
    client.force_login(resident)
    assert client.get(reverse("initiatives:edit_step", args=[initiative.pk, "idee"])).status_code == 403
    assert client.post(reverse("initiatives:edit_step", args=[initiative.pk, "idee"]),
                       {"title": "Gekaapt", "theme": "groen", "kern": initiative.kern_id}).status_code == 403
    initiative.refresh_from_db()
    assert initiative.title != "Gekaapt"


# --- Pledges, support, follow ---------------------------------------------------------------------------


def test_a_pledge_with_the_same_key_twice_counts_once(client, make_initiative, resident):
    initiative = make_initiative(Status.FUNDING, goal=Decimal("100.00"))
    client.force_login(resident)
    page = client.get(initiative.get_absolute_url()).content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page).group(1)
    data = {"kind": "money", "amount": "25", "idempotency_key": key}
    assert client.post(reverse("initiatives:pledge", args=[initiative.pk]), data).status_code == 302
    assert client.post(reverse("initiatives:pledge", args=[initiative.pk]), data).status_code == 302
    assert Pledge.objects.filter(initiative=initiative).count() == 1
    detail = client.get(initiative.get_absolute_url()).content.decode()
    assert 'value="25"' in detail and "€\xa025,00 van €\xa0100,00" in detail


@pytest.mark.parametrize(("typed", "stored"), [
    ("25,50", Decimal("25.50")), ("25.50", Decimal("25.50")), ("€ 1.250,50", Decimal("1250.50")), ("12", Decimal("12")),
])
def test_amounts_are_read_as_people_type_them(client, make_initiative, resident, typed, stored):
    initiative = make_initiative(Status.FUNDING, goal=Decimal("5000.00"))
    client.force_login(resident)
    response = client.post(reverse("initiatives:pledge", args=[initiative.pk]),
                           {"kind": "money", "amount": typed, "idempotency_key": "typed"})
    assert response.status_code == 302
    assert Pledge.objects.get(initiative=initiative).amount == stored


def test_bad_pledges_are_refused_and_change_nothing(client, make_initiative, resident, initiator):
    initiative = make_initiative(Status.FUNDING)
    client.force_login(resident)
    for data in ({"kind": "money", "amount": "-5", "idempotency_key": "a"},
                 {"kind": "money", "amount": "abc", "idempotency_key": "b"},
                 {"kind": "money", "amount": "25,5,0", "idempotency_key": "d"},
                 {"kind": "money", "amount": "25,555", "idempotency_key": "e"},
                 {"kind": "money", "amount": "25", "idempotency_key": ""}):
        assert client.post(reverse("initiatives:pledge", args=[initiative.pk]), data).status_code == 400
    client.force_login(initiator)
    response = client.post(reverse("initiatives:pledge", args=[initiative.pk]),
                           {"kind": "money", "amount": "25", "idempotency_key": "c"})
    assert response.status_code == 403
    assert not Pledge.objects.exists()


def test_cancel_a_pledge_only_your_own(client, make_initiative, resident):
    initiative = make_initiative(Status.FUNDING)
    other = UserFactory(kern=initiative.kern)
    client.force_login(other)
    client.post(reverse("initiatives:pledge", args=[initiative.pk]), {"kind": "money", "amount": "10",
                                                                       "idempotency_key": "k1"})
    pledge = Pledge.objects.get()
    client.force_login(resident)
    assert client.post(reverse("initiatives:cancel_pledge", args=[pledge.pk])).status_code == 404
    client.force_login(other)
    client.post(reverse("initiatives:cancel_pledge", args=[pledge.pk]))
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.CANCELLED


def test_follow_unfollow_and_support(client, make_initiative, resident):
    initiative = make_initiative(Status.PUBLISHED, goal=None)
    client.force_login(resident)
    client.post(reverse("initiatives:follow", args=[initiative.pk]))
    assert initiative.follows.filter(user=resident).exists()
    client.post(reverse("initiatives:unfollow", args=[initiative.pk]))
    assert not initiative.follows.filter(user=resident).exists()
    client.post(reverse("initiatives:support", args=[initiative.pk]))
    assert initiative.supports.filter(user=resident).exists()
    assert client.get(reverse("initiatives:follow", args=[initiative.pk])).status_code == 405


# --- Query counts --------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [10, 100])
def test_the_list_costs_the_same_queries_for_10_or_100(client, kern, resident, count, django_assert_max_num_queries):
    InitiativeFactory.create_batch(count, kern=kern, status=Status.FUNDING)
    client.force_login(resident)
    client.get(reverse("initiatives:list"))  # warm the session
    with django_assert_max_num_queries(10):
        response = client.get(reverse("initiatives:list"), {"kern": kern.slug, "sort": "most_supported"})
    assert response.status_code == 200


@pytest.mark.parametrize("count", [10, 100])
def test_the_map_geojson_costs_the_same_queries(client, kern, count, django_assert_max_num_queries):
    InitiativeFactory.create_batch(count, kern=kern, status=Status.PUBLISHED, latitude=Decimal("51.8655"),
                                   longitude=Decimal("4.9930"))
    with django_assert_max_num_queries(3):
        data = client.get(reverse("maps:initiatives_geojson")).json()
    assert len(data["features"]) == count


def test_the_sitemap_provider_lists_only_public_initiatives(make_initiative):
    from initiatives.sitemaps import InitiativeSitemap

    public = make_initiative(Status.PUBLISHED)
    for status in (Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.DECLINED):
        make_initiative(status)
    assert list(InitiativeSitemap().items()) == [public]


@pytest.mark.parametrize("count", [10, 100])
def test_the_detail_page_costs_the_same_queries_for_10_or_100_pledges(client, make_initiative, resident, count,
                                                                       django_assert_max_num_queries):
    from tests.factories_initiatives import PledgeFactory

    initiative = make_initiative(Status.FUNDING, goal=Decimal("10000.00"))
    PledgeFactory.create_batch(count, initiative=initiative)
    client.force_login(resident)
    client.get(initiative.get_absolute_url())  # the first visit also creates the discussion thread
    # 12 for the initiative, 4 for its discussion thread; neither grows with pledges or comments.
    with django_assert_max_num_queries(16):
        response = client.get(initiative.get_absolute_url())
    assert money(count * 25) in response.content.decode()


def test_list_cards_are_kept_until_something_they_show_changes(client, make_initiative, resident, settings,
                                                                django_capture_on_commit_callbacks):
    from django.core.cache import cache

    from initiatives import services

    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    cache.clear()
    initiative = make_initiative(Status.FUNDING, goal=Decimal("100.00"), title="Bankjes bij de haven")
    client.force_login(resident)  # signed-in lists are rendered each time, but their cards are kept
    assert "€\xa00,00 toegezegd" in client.get(reverse("initiatives:list")).content.decode()
    Initiative.objects.filter(pk=initiative.pk).update(title="Buiten de services om")
    assert "Bankjes bij de haven" in client.get(reverse("initiatives:list")).content.decode()  # the kept card
    with django_capture_on_commit_callbacks(execute=True):
        services.pledge(pledger=resident, initiative=initiative, kind="money", amount="25",
                        idempotency_key="card")
    fresh = client.get(reverse("initiatives:list")).content.decode()
    assert "€\xa025,00 toegezegd" in fresh and "Buiten de services om" in fresh
    cache.clear()


def test_the_filters_keep_what_was_chosen(client, make_initiative, kern):
    make_initiative(Status.PUBLISHED)
    chosen = {"kern": kern.slug, "theme": "groen", "status": "published", "sort": "most_supported"}
    html = client.get(reverse("initiatives:list"), chosen).content.decode()
    selected = re.findall(r'<option value="([^"]*)" selected>', html)
    assert selected == [kern.slug, "groen", "published", "most_supported"]
    assert '<label for="id_kern">' in html and 'id="id_kern"' in html  # each select has its label
    nothing = client.get(reverse("initiatives:list"), {"kern": "<script>", "sort": "bogus"}).content.decode()
    assert "<script>" not in nothing.split("<main", 1)[1]
    assert [value for value in re.findall(r'<option value="([^"]*)" selected>', nothing) if value] == []


def test_only_an_initiator_removes_a_photo(client, make_initiative, initiator, resident, council_member):
    from initiatives import services
    from initiatives.images import process_image

    draft = make_initiative(Status.DRAFT)
    photo = services.add_photo(actor=initiator, initiative=draft, image=process_image(io.BytesIO(gps_tagged_jpeg())),
                               alt_text="Het braakliggende veld")
    url = reverse("initiatives:remove_photo", args=[photo.pk])
    client.force_login(resident)
    assert client.post(url).status_code == 404  # cannot see the draft: as if the photo were not there
    client.force_login(council_member)
    assert client.post(url).status_code == 403  # sees the draft, but it is not theirs
    assert InitiativePhoto.objects.filter(pk=photo.pk).exists()
    client.force_login(initiator)
    assert client.post(url).status_code == 302
    assert not InitiativePhoto.objects.filter(pk=photo.pk).exists()
    assert client.post(url).status_code == 404


@pytest.mark.parametrize("is_staff", [True, False])
def test_superuser_sees_no_moderation_form_on_own_initiative(client, kern, is_staff):
    from tests.factories import AdminFactory, CouncilMembershipFactory
    from tests.factories_initiatives import InitiativeFactory

    admin = AdminFactory(kern=kern, is_staff=is_staff)
    initiative = InitiativeFactory(kern=kern, initiator=admin, status="submitted")
    client.force_login(admin)
    html = client.get(f"/initiatieven/{initiative.pk}/").content.decode()
    assert 'name="decision"' not in html
    assert client.post(f"/initiatieven/{initiative.pk}/beoordelen/", {"decision": "approve"}).status_code == 403
    client.force_login(CouncilMembershipFactory(kern=kern).user)  # the kern's council does see it
    assert 'name="decision"' in client.get(f"/initiatieven/{initiative.pk}/").content.decode()


def test_editing_a_submitted_initiative_says_why_and_links_back(client, kern):
    from core.permissions import Refused
    from tests.factories_initiatives import InitiativeFactory

    initiative = InitiativeFactory(kern=kern, status="submitted")
    client.force_login(initiative.initiator)
    response = client.get(f"/initiatieven/{initiative.pk}/bewerken/verhaal/")
    assert response.status_code == 403
    from django.test import RequestFactory

    from initiatives.views.start import edit_step

    request = RequestFactory().get("/")
    request.user = initiative.initiator
    with pytest.raises(Refused) as refused:
        edit_step(request, pk=initiative.pk, step="verhaal")
    assert "ingediend" in refused.value.message
    assert refused.value.back_url == initiative.get_absolute_url()
