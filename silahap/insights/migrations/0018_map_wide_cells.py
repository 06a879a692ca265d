from django.db import migrations

from silahap.insights import supervision_map as peta
from silahap.insights.bulk_rollups import refill_wide_cells


def fill_wide_cells(apps, schema_editor):
    """Each subtree's map counts by wide cell (supervision_map.WIDE), added up from the
    unit-months' fine cells already there (what rollups.rebuild_subtree_counts also writes).
    Those a migration before this one may have written are counted again, not twice."""
    refill_wide_cells(
        apps.get_model("insights", "SubtreeCount"), apps.get_model("insights", "MonthlyCount")
    )


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
