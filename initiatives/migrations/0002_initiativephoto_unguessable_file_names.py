"""Photos move from guessable names (``initiatives/<initiative pk>/photo-<width>.<ext>``) to
``initiatives/<file_key>/<width>.<ext>``, with a random ``file_key`` per photo (see ``core.files``).

Files are copied to their new names inside the migration and the old ones removed only after it
commits, so a failed migration leaves every row pointing at a file that still exists. A file that is
already missing on disk is tolerated: the row gets its new name all the same (and answers 404).
"""

import posixpath
import secrets

from django.db import migrations, models, transaction


def _move(storage, old, new, obsolete):
    if not old:
        return old
    try:
        exists = storage.exists(old)
    except Exception:  # a name the storage refuses (e.g. outside MEDIA_ROOT) is left behind, not followed
        exists = False
    if not exists:
        return new
    with storage.open(old, "rb") as handle:
        saved = storage.save(new, handle)
    obsolete.append(old)
    return saved


def move_to_unguessable_names(apps, schema_editor):
    from django.core.files.storage import default_storage as storage

    photo_model = apps.get_model("initiatives", "InitiativePhoto")
    obsolete = []
    for photo in photo_model.objects.filter(file_key__isnull=True).order_by("pk").iterator():
        key = secrets.token_urlsafe(24)
        moved = {}
        renditions = []
        for rendition in photo.renditions or []:
            old = rendition.get("name", "")
            extension = posixpath.splitext(old)[1].lower()
            new = moved.get(old) or _move(storage, old, f"initiatives/{key}/{rendition.get('width', 0)}{extension}",
                                          obsolete)
            moved[old] = new
            renditions.append({**rendition, "name": new})
        image = photo.image.name or ""
        if image in moved:
            image = moved[image]
        elif image:
            image = _move(storage, image, f"initiatives/{key}/{posixpath.basename(image)}", obsolete)
        photo_model.objects.filter(pk=photo.pk).update(file_key=key, renditions=renditions, image=image)

    def remove_old_files():
        for name in obsolete:
            storage.delete(name)

    transaction.on_commit(remove_old_files, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="initiativephoto",
            name="file_key",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(move_to_unguessable_names, migrations.RunPython.noop, elidable=False),
    ]
