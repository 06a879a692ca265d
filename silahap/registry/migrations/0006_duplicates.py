# Duplicate persons and places: 'not a duplicate' decisions, and the indexes that block
# candidates (merge pointers, merged_into, came with 0001/0002).
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def pair_decision(name: str, to: str, prefix: str, verbose: str) -> list:
    return [
        migrations.CreateModel(
            name=name,
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("decided_at", models.DateTimeField(auto_now_add=True)),
                (
                    "decided_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "first",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=to
                    ),
                ),
                (
                    "second",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=to
                    ),
                ),
            ],
            options={
                "verbose_name": f"not-a-duplicate decision ({verbose})",
                "verbose_name_plural": f"not-a-duplicate decisions ({verbose})",
                "indexes": [models.Index(fields=["second"], name=f"{prefix}_pair_second")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("first__lt", models.F("second"))),
                        name=f"{prefix}_pair_ordered",
                    ),
                    models.UniqueConstraint(
                        fields=("first", "second"), name=f"{prefix}_pair_unique"
                    ),
                ],
            },
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_person_search_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        *pair_decision("PersonPairDecision", "registry.foreignnational", "person", "persons"),
        *pair_decision("PlacePairDecision", "registry.place", "place", "places"),
        migrations.AddIndex(
            model_name="foreignnational",
            index=models.Index(
                condition=models.Q(("birth_date__isnull", False), ("merged_into__isnull", True)),
                fields=["nationality", "birth_date", "normalized_name"],
                name="person_duplicate_block",
            ),
        ),
        migrations.AddIndex(
            model_name="place",
            index=models.Index(
                condition=models.Q(("latitude__isnull", False), ("merged_into__isnull", True)),
                fields=["normalized_name"],
                name="place_duplicate_block",
            ),
        ),
    ]
