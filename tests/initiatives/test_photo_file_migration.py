"""The data migration moves existing photos (demo data, earlier uploads) to unguessable names."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.photos import jpeg_bytes

BEFORE = [("initiatives", "0001_initial")]
AFTER = [("initiatives", "0003_initiativephoto_file_key_unique")]


@pytest.mark.django_db(transaction=True)
def test_existing_photos_move_to_unguessable_names_and_missing_files_are_tolerated(client):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    user = old_apps.get_model("community", "User").objects.create(email="jan@example.nl")
    kern = old_apps.get_model("community", "Kern").objects.create(
        name="Arkel", slug="arkel", latitude=51.86, longitude=4.98)
    initiative = old_apps.get_model("initiatives", "Initiative").objects.create(
        title="Speeltuin", summary="s", story="s", kern=kern, initiator=user, status="published", goal=100)
    photo_model = old_apps.get_model("initiatives", "InitiativePhoto")
    stem = f"initiatives/{initiative.pk}/photo"
    present = [default_storage.save(f"{stem}-{w}.jpg", ContentFile(jpeg_bytes((w, w // 2)))) for w in (480, 960)]
    kept = photo_model.objects.create(
        initiative=initiative, alt_text="Speeltuin", image=present[-1], width=960, height=480,
        renditions=[{"width": 480, "height": 240, "name": present[0]},
                    {"width": 960, "height": 480, "name": present[1]}])
    lost = photo_model.objects.create(
        initiative=initiative, alt_text="Weg", image=f"{stem}-1600.jpg", width=1600, height=800,
        renditions=[{"width": 1600, "height": 800, "name": f"{stem}-1600.jpg"}])

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    # Later migrations (other fields of these tables) come after this one: bring the schema up to date
    # before the current models read it.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from initiatives.models import InitiativePhoto

    moved = InitiativePhoto.objects.get(pk=kept.pk)
    key = moved.file_key
    assert len(key) == 32
    assert [r["name"] for r in moved.renditions] == [f"initiatives/{key}/480.jpg", f"initiatives/{key}/960.jpg"]
    assert moved.image.name == f"initiatives/{key}/960.jpg"
    assert [r["width"] for r in moved.renditions] == [480, 960]
    for name in present:
        assert not default_storage.exists(name), "the old, guessable files are gone"
    assert client.get(default_storage.url(moved.image.name)).status_code == 200
    assert client.get(default_storage.url(present[1])).status_code == 404

    missing = InitiativePhoto.objects.get(pk=lost.pk)
    assert missing.file_key != key and missing.image.name == f"initiatives/{missing.file_key}/1600.jpg"
    assert client.get(default_storage.url(missing.image.name)).status_code == 404
