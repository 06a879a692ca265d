# The permit warnings' per-office counts (silahap/registry/models_warnings.py): two tables kept
# by triggers on the person table (silahap/registry/warning_triggers.py), on SQLite and
# PostgreSQL alike, and filled here from the persons as they are.

from django.db import migrations, models

from silahap.registry import warning_triggers


def create_triggers(apps, schema_editor) -> None:
    warning_triggers.install(schema_editor.connection)


def drop_triggers(apps, schema_editor) -> None:
    warning_triggers.uninstall(schema_editor.connection)


def backfill(apps, schema_editor) -> None:
    from silahap.registry.warnings import rebuild_counts

    rebuild_counts(connection=schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0014_list_order_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="WarningCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("office", models.BigIntegerField()),
                ("regency", models.CharField(blank=True, max_length=5)),
                ("as_of", models.DateField()),
                ("expiring", models.BigIntegerField()),
                ("overstay", models.BigIntegerField()),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("office", "regency"), name="warning_count_once")
                ],
            },
        ),
        migrations.CreateModel(
            name="WarningDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("office", models.BigIntegerField()),
                ("regency", models.CharField(blank=True, max_length=5)),
                ("day", models.DateField()),
                ("persons", models.BigIntegerField()),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("office", "regency", "day"), name="warning_day_once"
                    )
                ],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
