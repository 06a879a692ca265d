# The permit warnings' per-office counts (silahap/registry/models_warnings.py): two tables kept
# by triggers on the person table, on SQLite and PostgreSQL alike, and filled here from the
# persons as they are.

from django.db import migrations, models


# 30: EXPIRING_WITHIN_DAYS (silahap.registry.models); the tests compare these counts with a
# recount by that constant, so a change of it without a new trigger fails them.
POSTGRES = """
CREATE OR REPLACE FUNCTION registry_warning_add(
    key_office bigint, key_regency varchar, ends date, persons bigint
) RETURNS void AS $$
BEGIN
    INSERT INTO registry_warningday (office, regency, day, persons)
    VALUES (key_office, key_regency, ends, persons)
    ON CONFLICT (office, regency, day)
    DO UPDATE SET persons = registry_warningday.persons + EXCLUDED.persons;
    INSERT INTO registry_warningcount (office, regency, as_of, expiring, overstay)
    VALUES (
        key_office, key_regency, CURRENT_DATE,
        CASE WHEN ends >= CURRENT_DATE AND ends <= CURRENT_DATE + 30 THEN persons ELSE 0 END,
        CASE WHEN ends < CURRENT_DATE THEN persons ELSE 0 END
    )
    ON CONFLICT (office, regency) DO UPDATE SET
        expiring = registry_warningcount.expiring + CASE
            WHEN ends >= registry_warningcount.as_of AND ends <= registry_warningcount.as_of + 30
            THEN persons ELSE 0 END,
        overstay = registry_warningcount.overstay + CASE
            WHEN ends < registry_warningcount.as_of THEN persons ELSE 0 END;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION registry_warning_tally() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.merged_into_id IS NULL
        AND OLD.permit_valid_until IS NOT NULL
        AND (OLD.last_check_office_id IS NOT NULL OR OLD.regency_id IS NOT NULL) THEN
        PERFORM registry_warning_add(
            COALESCE(OLD.last_check_office_id, 0),
            CASE WHEN OLD.last_check_office_id IS NULL THEN OLD.regency_id ELSE '' END,
            OLD.permit_valid_until, -1
        );
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.merged_into_id IS NULL
        AND NEW.permit_valid_until IS NOT NULL
        AND (NEW.last_check_office_id IS NOT NULL OR NEW.regency_id IS NOT NULL) THEN
        PERFORM registry_warning_add(
            COALESCE(NEW.last_check_office_id, 0),
            CASE WHEN NEW.last_check_office_id IS NULL THEN NEW.regency_id ELSE '' END,
            NEW.permit_valid_until, 1
        );
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER registry_warning_tally_rows AFTER INSERT OR DELETE ON registry_foreignnational
    FOR EACH ROW EXECUTE FUNCTION registry_warning_tally();
CREATE TRIGGER registry_warning_tally_change
    AFTER UPDATE OF merged_into_id, regency_id, last_check_office_id, permit_valid_until
    ON registry_foreignnational FOR EACH ROW
    WHEN (
        OLD.merged_into_id IS DISTINCT FROM NEW.merged_into_id
        OR OLD.regency_id IS DISTINCT FROM NEW.regency_id
        OR OLD.last_check_office_id IS DISTINCT FROM NEW.last_check_office_id
        OR OLD.permit_valid_until IS DISTINCT FROM NEW.permit_valid_until
    )
    EXECUTE FUNCTION registry_warning_tally();
"""

POSTGRES_DROP = """
DROP TRIGGER IF EXISTS registry_warning_tally_rows ON registry_foreignnational;
DROP TRIGGER IF EXISTS registry_warning_tally_change ON registry_foreignnational;
DROP FUNCTION IF EXISTS registry_warning_tally();
DROP FUNCTION IF EXISTS registry_warning_add(bigint, varchar, date, bigint);
"""

# SQLite: no procedures, so each side is a statement pair; a person leaving the counts only
# lowers rows that exist (a table emptied before the persons, as a test flush does, stays empty).
_COUNTED = (
    "{row}.merged_into_id IS NULL AND {row}.permit_valid_until IS NOT NULL"
    " AND ({row}.last_check_office_id IS NOT NULL OR {row}.regency_id IS NOT NULL)"
)
_KEY = (
    "COALESCE({row}.last_check_office_id, 0)",
    "CASE WHEN {row}.last_check_office_id IS NULL THEN {row}.regency_id ELSE '' END",
)
_ADD = """
    INSERT INTO registry_warningday (office, regency, day, persons)
    SELECT {office}, {regency}, NEW.permit_valid_until, 1 WHERE {counted}
    ON CONFLICT (office, regency, day) DO UPDATE SET persons = persons + 1;
    INSERT INTO registry_warningcount (office, regency, as_of, expiring, overstay)
    SELECT {office}, {regency}, date('now'),
        NEW.permit_valid_until >= date('now')
            AND NEW.permit_valid_until <= date('now', '+30 days'),
        NEW.permit_valid_until < date('now')
    WHERE {counted}
    ON CONFLICT (office, regency) DO UPDATE SET
        expiring = expiring + (
            NEW.permit_valid_until >= as_of AND NEW.permit_valid_until <= date(as_of, '+30 days')
        ),
        overstay = overstay + (NEW.permit_valid_until < as_of);
"""
_REMOVE = """
    UPDATE registry_warningday SET persons = persons - 1
    WHERE {counted} AND office = {office} AND regency = {regency}
        AND day = OLD.permit_valid_until;
    UPDATE registry_warningcount SET
        expiring = expiring - (
            OLD.permit_valid_until >= as_of AND OLD.permit_valid_until <= date(as_of, '+30 days')
        ),
        overstay = overstay - (OLD.permit_valid_until < as_of)
    WHERE {counted} AND office = {office} AND regency = {regency};
"""


def _side(template: str, row: str) -> str:
    office, regency = (part.format(row=row) for part in _KEY)
    return template.format(office=office, regency=regency, counted=_COUNTED.format(row=row))


_CHANGED = " OR ".join(
    f"OLD.{column} IS NOT NEW.{column}"
    for column in ("merged_into_id", "regency_id", "last_check_office_id", "permit_valid_until")
)
SQLITE = [
    "CREATE TRIGGER registry_warning_tally_insert AFTER INSERT ON registry_foreignnational"
    f" BEGIN {_side(_ADD, 'NEW')} END",
    "CREATE TRIGGER registry_warning_tally_delete AFTER DELETE ON registry_foreignnational"
    f" BEGIN {_side(_REMOVE, 'OLD')} END",
    "CREATE TRIGGER registry_warning_tally_change AFTER UPDATE OF merged_into_id, regency_id,"
    " last_check_office_id, permit_valid_until ON registry_foreignnational"
    f" WHEN {_CHANGED} BEGIN {_side(_REMOVE, 'OLD')} {_side(_ADD, 'NEW')} END",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS registry_warning_tally_{name}"
    for name in ("insert", "delete", "change")
]


def create_triggers(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement, params=None)
    else:  # pragma: no cover
        raise NotImplementedError(f"warning count triggers for {vendor}")


def drop_triggers(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement, params=None)


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
