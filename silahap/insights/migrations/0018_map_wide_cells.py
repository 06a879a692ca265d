from django.db import migrations

from silahap.insights import supervision_map as peta
from silahap.insights.bulk_rollups import wide_cells_sql
from silahap.insights.rollups import count_cells, count_rows, write_batches


def fill_wide_cells(apps, schema_editor):
    """Each subtree's map counts by wide cell (supervision_map.WIDE), added up from the
    unit-months' fine cells already there (what rollups.rebuild_subtree_counts also writes).
    Those a migration before this one may have written are counted again, not twice.
    PostgreSQL: set-based, as the bulk fill counts them (seconds, not minutes, at millions of
    unit-month rows)."""
    subtree_count = apps.get_model("insights", "SubtreeCount")
    subtree_count.objects.filter(kind__in=list(peta.WIDE.values())).delete()
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            for statement in wide_cells_sql():
                cursor.execute(statement)
        return
    cells = count_cells(apps.get_model("insights", "MonthlyCount"), tuple(peta.WIDE))
    write_batches(subtree_count, count_rows(subtree_count, cells))


def drop_wide_cells(apps, schema_editor):
    apps.get_model("insights", "SubtreeCount").objects.filter(
        kind__in=list(peta.WIDE.values())
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0017_officer_month_count"),
    ]

    operations = [
        migrations.RunPython(fill_wide_cells, drop_wide_cells),
    ]
