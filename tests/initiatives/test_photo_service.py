"""Adding and removing photos: only initiators while the plan is editable, a description always, at most
MAX_PHOTOS per kind per initiative, and nothing left behind when a photo is refused."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage

from initiatives import services
from initiatives.images import process_image
from initiatives.models import Initiative, InitiativePhoto, Status
from initiatives.services import MAX_PHOTOS, InitiativeError
from tests import factories
from tests.factories_initiatives import InitiativeFactory
from tests.photos import jpeg_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(kern):
    return InitiativeFactory(kern=kern, status=Status.DRAFT)


def add(initiative, *, actor=None, alt_text="De speeltuin", kind=InitiativePhoto.Kind.MAIN):
    return services.add_photo(actor=actor or initiative.initiator, initiative=initiative,
                              image=process_image(jpeg_bytes()), alt_text=alt_text, kind=kind)


def stored_files() -> set[str]:
    folders, _files = default_storage.listdir("initiatives") if default_storage.exists("initiatives") else ([], [])
    return {f"{folder}/{name}" for folder in folders for name in default_storage.listdir(f"initiatives/{folder}")[1]}


@pytest.mark.parametrize("alt_text", ["", "   ", "<b></b>"])
def test_a_photo_needs_a_description_and_nothing_is_kept_without_one(draft, alt_text):
    before = stored_files()
    with pytest.raises(InitiativeError) as refused:
        add(draft, alt_text=alt_text)
    assert refused.value.code == "alt_text"
    assert not InitiativePhoto.objects.exists() and stored_files() == before


def test_a_long_description_is_cut_to_250_characters(draft):
    assert len(add(draft, alt_text="a" * 300).alt_text) == 250


def test_only_its_initiators_add_photos_and_nothing_is_kept_for_anyone_else(draft, kern):
    before = stored_files()
    with pytest.raises(PermissionDenied):
        add(draft, actor=factories.UserFactory(kern=kern))
    assert not InitiativePhoto.objects.exists() and stored_files() == before


def test_a_plan_that_is_no_longer_editable_takes_no_photo_even_from_a_stale_page(draft):
    stale = Initiative.objects.get(pk=draft.pk)  # as the form loaded it, while still a draft
    Initiative.objects.filter(pk=draft.pk).update(status=Status.SUBMITTED)
    before = stored_files()
    with pytest.raises(PermissionDenied):
        add(stale)  # the check under the lock reads the submitted row
    assert not InitiativePhoto.objects.exists() and stored_files() == before


def test_at_most_max_photos_per_kind_and_the_refused_files_are_removed(draft, kern):
    other = InitiativeFactory(kern=kern, status=Status.DRAFT)
    add(other)  # another initiative's photos do not count
    for _ in range(MAX_PHOTOS - 1):
        add(draft)
    add(draft)  # the last one allowed
    before = stored_files()
    with pytest.raises(InitiativeError) as refused:
        add(draft)
    assert refused.value.code == "too_many_photos"
    assert stored_files() == before
    assert draft.photos.filter(kind=InitiativePhoto.Kind.MAIN).count() == MAX_PHOTOS
    add(draft, kind=InitiativePhoto.Kind.RESULT)  # another kind has its own count


def test_only_initiators_remove_photos_and_only_while_editable(draft, kern):
    photo = add(draft)
    with pytest.raises(PermissionDenied):
        services.remove_photo(actor=factories.UserFactory(kern=kern), photo=photo)
    Initiative.objects.filter(pk=draft.pk).update(status=Status.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.remove_photo(actor=draft.initiator, photo=InitiativePhoto.objects.get(pk=photo.pk))
    assert InitiativePhoto.objects.filter(pk=photo.pk).exists()
