import core.files
import initiatives.models.initiative
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0002_initiativephoto_unguessable_file_names"),
    ]

    operations = [
        migrations.AlterField(
            model_name="initiativephoto",
            name="file_key",
            field=models.CharField(default=core.files.new_file_key, editable=False, max_length=64, unique=True),
        ),
        migrations.AlterField(
            model_name="initiativephoto",
            name="image",
            field=models.ImageField(height_field="height", upload_to=initiatives.models.initiative.photo_upload_to,
                                    verbose_name="foto", width_field="width"),
        ),
    ]
