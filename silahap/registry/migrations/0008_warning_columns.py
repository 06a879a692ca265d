# The permit warnings read two facts kept on the person, backfilled here set-based (one UPDATE,
# SQLite and PostgreSQL alike) before their indexes are built.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def backfill(apps, schema_editor) -> None:
    """Every person's warning columns from their permits and checks, by the rule the services
    keep (silahap.registry.warnings.refresh_columns, the check's office as
    silahap/reports/registry_links.py says), applied to the historical models."""
    from silahap.registry.warnings import refresh_columns

    latest_check_office = (
        apps.get_model("reports", "Check")
        ._base_manager.filter(
            person=models.OuterRef("pk"), activity__report__unit__office__isnull=False
        )
        .order_by("-activity__started_at", "-pk")
        .values("activity__report__unit__office")[:1]
    )
    refresh_columns(
        apps.get_model("registry", "ForeignNational"),
        apps.get_model("registry", "StayPermit"),
        check_office=latest_check_office,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_session_epoch"),
        ("registry", "0007_imports"),
        # The backfill reads checks (through activities and reports) as they are now.
        ("reports", "0004_point_needs_both_coordinates"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="foreignnational",
            name="last_check_office",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.orgunit",
            ),
        ),
        migrations.AddField(
            model_name="foreignnational",
            name="permit_valid_until",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="foreignnational",
            index=models.Index(
                condition=models.Q(
                    ("last_check_office__isnull", False),
                    ("merged_into__isnull", True),
                    ("permit_valid_until__isnull", False),
                ),
                fields=["last_check_office", "permit_valid_until"],
                name="person_warning_by_check",
            ),
        ),
        migrations.AddIndex(
            model_name="foreignnational",
            index=models.Index(
                condition=models.Q(
                    ("last_check_office__isnull", True),
                    ("merged_into__isnull", True),
                    ("permit_valid_until__isnull", False),
                ),
                fields=["regency", "permit_valid_until"],
                name="person_warning_by_address",
            ),
        ),
    ]
