"""Photos of initiatives are served exactly to those who may see the initiative, under unguessable names."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image

from core.files import FILE_KEY_LENGTH
from initiatives import services
from initiatives.images import process_image
from initiatives.models import Initiative, InitiativePhoto, Status
from tests import factories
from tests.factories_initiatives import InitiativeFactory
from tests.photos import gps_tagged_jpeg, jpeg_bytes

STATUSES = [Status.DRAFT, Status.SUBMITTED, Status.DECLINED, Status.PUBLISHED]
ROLES = ["anonymous", "other_resident", "initiator", "co_initiator", "council", "other_council", "staff",
         "superuser_without_staff"]
# Who may see a non-public initiative: its initiators, its kern's council, staff. Nobody else, not even a
# superuser without staff rights (no silent bypass).
SEES_NON_PUBLIC = {"initiator", "co_initiator", "council", "staff"}


def media_url(name: str) -> str:
    return default_storage.url(name)


def photo_of(initiative, *, size=(64, 48)) -> InitiativePhoto:
    status = initiative.status
    Initiative.objects.filter(pk=initiative.pk).update(status=Status.DRAFT)
    initiative.status = Status.DRAFT
    photo = services.add_photo(actor=initiative.initiator, initiative=initiative,
                               image=process_image(jpeg_bytes(size)), alt_text="De speeltuin")
    Initiative.objects.filter(pk=initiative.pk).update(status=status)
    initiative.status = status
    return photo


@pytest.fixture
def cast(kern, resident, council_member, other_council_member, staff):
    return {
        "anonymous": None,
        "other_resident": resident,
        "council": council_member,
        "other_council": other_council_member,
        "staff": staff,
        "superuser_without_staff": factories.UserFactory(is_superuser=True, is_staff=False, kern=None),
    }


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("role", ROLES)
def test_a_photo_answers_exactly_like_its_initiative_page(client, cast, kern, status, role):
    initiative = InitiativeFactory(kern=kern, status=status)
    co_initiator = factories.UserFactory(kern=kern)
    initiative.co_initiators.add(co_initiator)
    photo = photo_of(initiative)
    user = {**cast, "initiator": initiative.initiator, "co_initiator": co_initiator}[role]
    if user is not None:
        client.force_login(user)

    response = client.get(media_url(photo.image.name))
    page = client.get(initiative.get_absolute_url())

    expected = 200 if status == Status.PUBLISHED or role in SEES_NON_PUBLIC else 404
    assert response.status_code == expected
    # The page agrees. (Known elsewhere: the detail view still asks ``user.has_perm`` for its buttons, so
    # a superuser without staff rights gets a 403 on a public page instead of the 200 the rule gives.)
    page_bug = role == "superuser_without_staff" and status == Status.PUBLISHED and page.status_code == 403
    assert page.status_code == expected or page_bug
    if expected == 200:
        assert b"".join(response.streaming_content) == default_storage.open(photo.image.name).read()
        assert response["Content-Type"] == "image/jpeg"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_stored_names_are_unguessable_and_the_old_pattern_answers_404(client, kern):
    initiative = InitiativeFactory(kern=kern, status=Status.PUBLISHED)
    photo = photo_of(initiative)
    other = photo_of(initiative)
    key = photo.file_key
    assert len(key) == FILE_KEY_LENGTH and key != other.file_key
    assert photo.image.name == f"initiatives/{key}/64.jpg"
    assert [r["name"] for r in photo.renditions] == [photo.image.name]
    # A file at the old, guessable place (initiative number, width) is never served, even if it exists.
    old = default_storage.save(f"initiatives/{initiative.pk}/photo-64.jpg", ContentFile(jpeg_bytes()))
    assert client.get(media_url(old)).status_code == 404
    # Another name in a real photo's folder, a near-miss key and the bare folder answer 404 too.
    stray = default_storage.save(f"initiatives/{key}/extra.jpg", ContentFile(jpeg_bytes()))
    near_miss = key[:-1] + ("y" if key.endswith("x") else "x")  # one character off, never the key itself
    for name in (stray, f"initiatives/{key}/960.jpg", f"initiatives/{near_miss}/64.jpg", f"initiatives/{key}",
                 f"initiatives/{key}/", "initiatives/", f"initiatives/{key}/64.jpg/x"):
        assert client.get(media_url(name)).status_code == 404, name
    assert client.get(media_url(photo.image.name)).status_code == 200


def test_public_photos_are_cacheable_and_others_are_never_stored(client, kern):
    public = photo_of(InitiativeFactory(kern=kern, status=Status.PUBLISHED))
    draft_initiative = InitiativeFactory(kern=kern, status=Status.DRAFT)
    draft = photo_of(draft_initiative)

    response = client.get(media_url(public.image.name))
    assert response["Cache-Control"] == "public, max-age=3600"

    client.force_login(draft_initiative.initiator)
    response = client.get(media_url(draft.image.name))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    response = client.get(media_url(public.image.name))
    assert response["Cache-Control"] == "public, max-age=3600"


def test_the_front_server_sends_the_file_when_told_to(client, kern, settings):
    settings.MEDIA_ACCEL_REDIRECT = "/protected-media/"
    public = photo_of(InitiativeFactory(kern=kern, status=Status.PUBLISHED))
    draft = photo_of(InitiativeFactory(kern=kern, status=Status.DRAFT))

    response = client.get(media_url(public.image.name))

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{public.image.name}"
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "public, max-age=3600"
    assert response.content == b""
    # A refusal is still a refusal: nginx is never told about a file the visitor may not see.
    refused = client.get(media_url(draft.image.name))
    assert refused.status_code == 404 and "X-Accel-Redirect" not in refused


@pytest.mark.parametrize("accel", ["", "/protected-media/"], ids=["django-sends", "nginx-sends"])
def test_a_missing_file_of_a_visible_photo_answers_404(client, kern, settings, accel):
    settings.MEDIA_ACCEL_REDIRECT = accel
    photo = photo_of(InitiativeFactory(kern=kern, status=Status.PUBLISHED))
    default_storage.delete(photo.image.name)
    assert client.get(media_url(photo.image.name)).status_code == 404


def test_serving_a_file_costs_a_small_constant_number_of_queries(client, kern, django_assert_num_queries):
    initiative = InitiativeFactory(kern=kern, status=Status.PUBLISHED)
    photos = [photo_of(initiative) for _ in range(3)]
    draft_initiative = InitiativeFactory(kern=kern, status=Status.DRAFT)
    draft_initiative.co_initiators.add(*factories.UserFactory.create_batch(3, kern=kern))
    draft = photo_of(draft_initiative)

    for photo in photos:  # anonymous, public: finding the photo and its initiative is the only query
        with django_assert_num_queries(1):
            assert client.get(media_url(photo.image.name)).status_code == 200
    # Signed in, not public: the session, the user (with their council seats), the photo with its
    # initiative, the team; a council member who is not on the team costs no more.
    client.force_login(draft_initiative.initiator)
    for _ in range(2):
        with django_assert_num_queries(4):
            assert client.get(media_url(draft.image.name)).status_code == 200
    council = factories.CouncilMembershipFactory(kern=kern).user
    client.force_login(council)
    with django_assert_num_queries(4):
        assert client.get(media_url(draft.image.name)).status_code == 200


def test_a_real_gps_tagged_upload_is_served_bare(client, kern):
    initiative = InitiativeFactory(kern=kern, status=Status.DRAFT)
    photo = services.add_photo(actor=initiative.initiator, initiative=initiative,
                               image=process_image(gps_tagged_jpeg()), alt_text="De speeltuin")
    Initiative.objects.filter(pk=initiative.pk).update(status=Status.PUBLISHED)
    for rendition in photo.renditions:
        response = client.get(media_url(rendition["name"]))
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
            assert image.width == rendition["width"] and not image.getexif()


def test_removing_a_photo_removes_its_files_and_folder_after_commit(kern, django_capture_on_commit_callbacks):
    initiative = InitiativeFactory(kern=kern, status=Status.DRAFT)
    photo = services.add_photo(actor=initiative.initiator, initiative=initiative,
                               image=process_image(gps_tagged_jpeg()), alt_text="De speeltuin")
    names = [r["name"] for r in photo.renditions]
    folder = default_storage.path(f"initiatives/{photo.file_key}")
    with django_capture_on_commit_callbacks() as callbacks:
        services.remove_photo(actor=initiative.initiator, photo=photo)
        assert all(default_storage.exists(name) for name in names), "files stay until the commit"
    for callback in callbacks:
        callback()
    assert not any(default_storage.exists(name) for name in names)
    import os

    assert not os.path.exists(folder)


def test_deleting_a_draft_removes_its_photo_files_after_commit(kern, django_capture_on_commit_callbacks):
    initiative = InitiativeFactory(kern=kern, status=Status.DRAFT)
    photos = [photo_of(initiative, size=(1000, 700)) for _ in range(2)]
    names = [r["name"] for photo in photos for r in photo.renditions]
    assert len(names) == 6
    with django_capture_on_commit_callbacks(execute=True):
        initiative.delete()
    assert not any(default_storage.exists(name) for name in names)


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_deletion_keeps_the_files(kern):
    initiative = InitiativeFactory(kern=kern, status=Status.DRAFT)
    photo = photo_of(initiative)
    with pytest.raises(RuntimeError), transaction.atomic():
        initiative.delete()
        raise RuntimeError("rolled back")
    assert InitiativePhoto.objects.filter(pk=photo.pk).exists()
    assert default_storage.exists(photo.image.name)
