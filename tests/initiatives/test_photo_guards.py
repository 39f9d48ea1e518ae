"""The guards of the photo services that the other tests left unproven: the rule is asked before any file is
written; the initiative's row is locked while the photos are counted and while a photo is removed, so the limit
and "only while editable" hold against a parallel upload or submit; and the lock has a transaction of its own.
Each test fails when its guard is taken out of ``initiatives.services.photos``."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import connection, transaction

from initiatives import services
from initiatives.images import process_image
from initiatives.models import Initiative, InitiativePhoto, Status
from initiatives.services import MAX_PHOTOS, InitiativeError
from tests import factories
from tests.factories_initiatives import InitiativeFactory
from tests.photos import jpeg_bytes
from tests.services import require_service
from tests.threads import Other, finish, wait_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(kern):
    return InitiativeFactory(kern=kern, status=Status.DRAFT)


def add(initiative, *, actor=None):
    return services.add_photo(actor=actor or initiative.initiator, initiative=initiative,
                              image=process_image(jpeg_bytes()), alt_text="De speeltuin")


def photo_folders() -> list[str]:
    return default_storage.listdir("initiatives")[0] if default_storage.exists("initiatives") else []


def _require_postgres():
    require_service("PostgreSQL", connection.vendor == "postgresql", "Set DATABASE_URL to a PostgreSQL database.")


def test_someone_who_may_not_add_photos_has_nothing_written_at_all(draft, kern):
    """The rule is asked before the files are stored: a stranger's upload never reaches the disk (not even for a
    moment, to be removed again), and the refusal says who may add photos."""
    with pytest.raises(PermissionDenied) as refused:
        add(draft, actor=factories.UserFactory(kern=kern))
    assert "Alleen initiatiefnemers" in str(refused.value)
    assert not default_storage.exists("initiatives")
    assert not InitiativePhoto.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_uploads_at_once_never_go_past_the_limit(draft):
    """With one place left, the second upload waits for the first one's lock on the initiative, counts again and
    is refused; its files are removed. Without the lock both count the same photos and both are kept."""
    _require_postgres()
    for _ in range(MAX_PHOTOS - 1):
        add(draft)
    with transaction.atomic():
        add(draft)  # the last place, not yet committed
        second = Other(lambda: add(Initiative.objects.get(pk=draft.pk)))
        wait_for(second)
    finish(second)
    assert isinstance(second.error, InitiativeError) and second.error.code == "too_many_photos", second.error
    assert draft.photos.count() == MAX_PHOTOS
    assert len(photo_folders()) == MAX_PHOTOS


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_photo_is_not_removed_while_the_plan_is_being_submitted(draft):
    """A submit holds the initiative's row while it changes the state; a removal that starts meanwhile waits, then
    reads the submitted plan and is refused. Without the lock it reads the draft from before and removes a photo
    from a plan that was submitted with it."""
    _require_postgres()
    photo = add(draft)
    with transaction.atomic():
        Initiative.objects.select_for_update().get(pk=draft.pk)
        Initiative.objects.filter(pk=draft.pk).update(status=Status.SUBMITTED)
        removing = Other(lambda: services.remove_photo(actor=draft.initiator, photo=photo))
        wait_for(removing)
    finish(removing)
    assert isinstance(removing.error, PermissionDenied), removing.error
    assert InitiativePhoto.objects.filter(pk=photo.pk).exists() and len(photo_folders()) == 1


@pytest.mark.django_db(transaction=True)
def test_removing_a_photo_takes_its_lock_in_a_transaction_of_its_own(draft):
    """Called from code in autocommit, ``remove_photo`` still locks the initiative inside a transaction (without
    one PostgreSQL refuses the lock); the files go once it has committed."""
    assert connection.get_autocommit()
    photo = add(draft)
    assert len(photo_folders()) == 1
    services.remove_photo(actor=draft.initiator, photo=photo)
    assert not InitiativePhoto.objects.exists() and photo_folders() == []
