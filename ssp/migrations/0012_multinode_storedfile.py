"""Stored files move from the node's disk (PRIVATE_MEDIA_ROOT) into PostgreSQL (issue 18).

The table keeps each file as one `bytea`, stored uncompressed (`SET STORAGE EXTERNAL`: PDFs and
office files are compressed already, and uncompressed TOAST lets a download read one slice at a
time). The runtime role gets its rights from `grant_runtime_privileges` like every table.

Every file found under PRIVATE_MEDIA_ROOT is copied in under its path relative to it, which
is the name the FileFields hold, so existing attachments and PDFs keep working on any node. The
files on disk are left alone: remove the folder once the app runs from the database
(docs/multinode.md). `manage.py files_to_database` does the same again, e.g. for files
written by a node still running the old code during the upgrade.
"""

import mimetypes
from pathlib import Path

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def import_files(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    stored_file = apps.get_model("ssp", "StoredFile")
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if not path.is_file() or stored_file.objects.filter(name=name).exists():
            continue
        data = path.read_bytes()
        stored_file.objects.create(
            name=name,
            content=data,
            size=len(data),
            content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
        )


class Migration(migrations.Migration):
    dependencies = [("ssp", "0011_security_totp_encrypted")]

    operations = [
        migrations.CreateModel(
            name="StoredFile",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=255, unique=True)),
                ("content", models.BinaryField()),
                ("size", models.PositiveBigIntegerField()),
                ("content_type", models.CharField(max_length=100)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={"verbose_name": "gemt fil", "verbose_name_plural": "gemte filer"},
        ),
        migrations.RunSQL(
            "ALTER TABLE ssp_storedfile ALTER COLUMN content SET STORAGE EXTERNAL",
            migrations.RunSQL.noop,
        ),
        migrations.RunPython(import_files, migrations.RunPython.noop),
    ]
