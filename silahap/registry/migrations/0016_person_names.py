# The registry lookup's table of distinct current names (silahap/registry/models_names.py): kept
# by triggers on the person table (silahap/registry/name_triggers.py), on SQLite and PostgreSQL
# alike, indexed on PostgreSQL by word keys and trigrams as the persons are (0005), and filled
# here from the persons as they are. The persons of a name are then read a few at a time, in pk
# order, by person_by_normalized_name (within a nationality or a birth year, by
# person_by_name_scope).

from django.db import migrations, models

from silahap.registry import name_triggers


def create_triggers(apps, schema_editor) -> None:
    name_triggers.install(schema_editor.connection)


def drop_triggers(apps, schema_editor) -> None:
    name_triggers.uninstall(schema_editor.connection)


def backfill(apps, schema_editor) -> None:
    name_triggers.rebuild_names(schema_editor.connection)


def create_indexes(apps, schema_editor) -> None:
    name_triggers.index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0015_warning_counts"),
    ]

    operations = [
        migrations.CreateModel(
            name="PersonName",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("normalized_name", models.CharField(max_length=200, unique=True)),
                ("persons", models.BigIntegerField()),
            ],
            options={
                "verbose_name": "person name",
            },
        ),
        migrations.AddIndex(
            model_name="foreignnational",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", True)),
                fields=["normalized_name", "id"],
                name="person_by_normalized_name",
            ),
        ),
        migrations.AddIndex(
            model_name="foreignnational",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", True)),
                fields=["normalized_name", "nationality", "birth_date"],
                name="person_by_name_scope",
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_indexes, migrations.RunPython.noop),
    ]
