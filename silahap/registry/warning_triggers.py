"""The triggers that keep the permit warnings' per-office counts (models_warnings: WarningDay
and WarningCount) in step with the persons, whoever writes them, on PostgreSQL and SQLite.

Django rebuilds a SQLite table to alter it, which drops the table's triggers: after every
migrate the missing ones are put back and the counts recounted (apps.py), as for the word index
(sqlite_words.py).
"""

from __future__ import annotations

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
SQLITE = {
    "registry_warning_tally_insert": "CREATE TRIGGER IF NOT EXISTS registry_warning_tally_insert"
    f" AFTER INSERT ON registry_foreignnational BEGIN {_side(_ADD, 'NEW')} END",
    "registry_warning_tally_delete": "CREATE TRIGGER IF NOT EXISTS registry_warning_tally_delete"
    f" AFTER DELETE ON registry_foreignnational BEGIN {_side(_REMOVE, 'OLD')} END",
    "registry_warning_tally_change": "CREATE TRIGGER IF NOT EXISTS registry_warning_tally_change"
    " AFTER UPDATE OF merged_into_id, regency_id, last_check_office_id, permit_valid_until"
    f" ON registry_foreignnational WHEN {_CHANGED}"
    f" BEGIN {_side(_REMOVE, 'OLD')} {_side(_ADD, 'NEW')} END",
}

COUNTS = ("registry_warningday", "registry_warningcount")


def install(connection) -> None:
    """Create the triggers (migration 0015; the counts are filled by warnings.rebuild_counts)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES)
        elif connection.vendor == "sqlite":
            for statement in SQLITE.values():
                cursor.execute(statement)
        else:  # pragma: no cover
            raise NotImplementedError(f"warning count triggers for {connection.vendor}")


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_DROP)
        elif connection.vendor == "sqlite":
            for name in SQLITE:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def repair(connection) -> bool:
    """SQLite: put back the triggers a rebuild of the persons table dropped and recount; True
    when something was fixed. Nothing where the counts' tables are not (yet) there."""
    if connection.vendor != "sqlite":
        return False
    names = [*COUNTS, *SQLITE]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT name FROM sqlite_master WHERE name IN ({', '.join(['%s'] * len(names))})",
            names,
        )
        existing = {name for (name,) in cursor.fetchall()}
        if not set(COUNTS) <= existing:
            return False
        missing = [name for name in SQLITE if name not in existing]
        for name in missing:
            cursor.execute(SQLITE[name])
    if missing:
        from silahap.registry.warnings import rebuild_counts  # noqa: PLC0415 -- warnings imports the models, loaded after apps.py

        rebuild_counts(connection=connection)
    return bool(missing)
