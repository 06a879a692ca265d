# Import jobs for persons and lodging reports (APOA), and the lodging stays they record.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("registry", "0006_duplicates"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ImportJob",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("persons", "Persons with documents and permits"),
                            ("lodging", "Lodging guest reports (APOA)"),
                        ],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                ("file_name", models.CharField(max_length=200, verbose_name="file")),
                ("content", models.BinaryField()),
                ("sha256", models.CharField(max_length=64)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("checking", "Checking"),
                            ("checked", "Checked, waiting for confirmation"),
                            ("applying", "Importing"),
                            ("applied", "Imported"),
                            ("failed", "Refused"),
                        ],
                        default="checking",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("problem", models.JSONField(blank=True, default=list)),
                ("total_rows", models.PositiveIntegerField(default=0)),
                ("processed_rows", models.PositiveIntegerField(default=0)),
                ("created_count", models.PositiveIntegerField(default=0)),
                ("updated_count", models.PositiveIntegerField(default=0)),
                ("unchanged_count", models.PositiveIntegerField(default=0)),
                ("refused_count", models.PositiveIntegerField(default=0)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("checked_at", models.DateTimeField(blank=True, null=True)),
                ("applied_at", models.DateTimeField(blank=True, null=True)),
                (
                    "confirmed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "office",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="import_jobs",
                        to="accounts.orgunit",
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "import",
                "verbose_name_plural": "imports",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="ImportRow",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("line", models.PositiveIntegerField(verbose_name="line")),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("created", "Created"),
                            ("updated", "Updated"),
                            ("unchanged", "Unchanged"),
                            ("refused", "Refused"),
                        ],
                        max_length=10,
                        verbose_name="outcome",
                    ),
                ),
                ("label", models.CharField(blank=True, max_length=200, verbose_name="row")),
                ("notes", models.JSONField(blank=True, default=list)),
                (
                    "job",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="rows",
                        to="registry.importjob",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="registry.foreignnational",
                    ),
                ),
            ],
            options={
                "ordering": ["job", "line"],
            },
        ),
        migrations.CreateModel(
            name="LodgingStay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("check_in", models.DateField(verbose_name="check-in")),
                ("check_out", models.DateField(blank=True, null=True, verbose_name="check-out")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="lodging_stays",
                        to="registry.foreignnational",
                    ),
                ),
                (
                    "place",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="stays",
                        to="registry.place",
                    ),
                ),
                (
                    "source_job",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="stays",
                        to="registry.importjob",
                    ),
                ),
            ],
            options={
                "verbose_name": "lodging stay",
                "verbose_name_plural": "lodging stays",
                "ordering": ["-check_in"],
            },
        ),
        migrations.AddConstraint(
            model_name="importjob",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind__in", ["persons", "lodging"])),
                name="import_job_kind_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="importjob",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status__in", ["checking", "checked", "applying", "applied", "failed"])
                ),
                name="import_job_status_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="importjob",
            constraint=models.CheckConstraint(
                condition=models.Q(("processed_rows__lte", models.F("total_rows"))),
                name="import_job_progress_within_total",
            ),
        ),
        migrations.AddConstraint(
            model_name="importrow",
            constraint=models.UniqueConstraint(
                fields=("job", "line"), name="import_row_line_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="importrow",
            constraint=models.CheckConstraint(
                condition=models.Q(("outcome__in", ["created", "updated", "unchanged", "refused"])),
                name="import_row_outcome_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="lodgingstay",
            constraint=models.UniqueConstraint(
                fields=("person", "place", "check_in"), name="lodging_stay_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="lodgingstay",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("check_out__isnull", True),
                    ("check_out__gte", models.F("check_in")),
                    _connector="OR",
                ),
                name="lodging_stay_out_after_in",
            ),
        ),
    ]
