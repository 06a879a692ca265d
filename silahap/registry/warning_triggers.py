"""The triggers that keep the permit warnings' per-office counts (models_warnings: WarningDay
and WarningCount) in step with the persons, whoever writes them, on PostgreSQL and SQLite.

Django rebuilds a SQLite table to alter it, which drops the table's triggers: after every
migrate the missing ones are put back and the counts recounted (apps.py), as for the word index
(sqlite_words.py).
"""

from __future__ import annotations

# 30: EXPIRING_WITHIN_DAYS (silahap.registry.models); the tests compare these counts with a
# recount by that constant, so a change of it without a new trigger fails them.
#
# PostgreSQL: one trigger per statement, over the rows it changed (transition tables): a bulk
# update is one aggregated change, and each statement takes the row locks of the counts it
# moves in key order (day rows, then count rows), so two writers never wait on each other
# crosswise within a statement.
_PERSON = """
    COALESCE({row}.last_check_office_id, 0) AS office,
    CASE WHEN {row}.last_check_office_id IS NULL THEN {row}.regency_id ELSE '' END AS regency,
    {row}.permit_valid_until AS day
"""
_COUNTED_PG = (
    "{row}.merged_into_id IS NULL AND {row}.permit_valid_until IS NOT NULL"
    " AND ({row}.last_check_office_id IS NOT NULL OR {row}.regency_id IS NOT NULL)"
)


def _changes(row: str, table: str, sign: int) -> str:
    return f"SELECT {_PERSON.format(row=row)}, {sign} AS n FROM {table}" + (
        f" WHERE {_COUNTED_PG.format(row=row)}"
    )


# An update counts every row it wrote out and back in: the rows whose warning columns it left
# as they were cancel out in the sums (no join of the two transition tables, which have no
# index: a nested loop over them took minutes for 20,000 rows).
_BY_BRANCH = {
    "INSERT": _changes("n", "new_rows n", 1),
    "DELETE": _changes("o", "old_rows o", -1),
    "UPDATE": _changes("o", "old_rows o", -1) + " UNION ALL " + _changes("n", "new_rows n", 1),
}


def _apply(changes: str, months: bool) -> str:
    """The statements moving the counts by these changes (office, regency, day, n)."""
    net = (
        f"SELECT office, regency, day, SUM(n) AS n FROM ({changes}) c"
        " GROUP BY office, regency, day HAVING SUM(n) <> 0"
    )
    by_month = (
        f"""
        INSERT INTO registry_warningmonth AS m (office, regency, month, persons)
        SELECT office, regency, date_trunc('month', day)::date, SUM(n) FROM ({net}) net
        GROUP BY 1, 2, 3 HAVING SUM(n) <> 0 ORDER BY 1, 2, 3
        ON CONFLICT (office, regency, month)
            DO UPDATE SET persons = m.persons + EXCLUDED.persons;"""
        if months
        else ""
    )
    return f"""
        IF NOT EXISTS ({net}) THEN
            RETURN NULL;
        END IF;
        INSERT INTO registry_warningday AS d (office, regency, day, persons)
        SELECT office, regency, day, n FROM ({net}) net ORDER BY office, regency, day
        ON CONFLICT (office, regency, day) DO UPDATE SET persons = d.persons + EXCLUDED.persons;
        {by_month}
        INSERT INTO registry_warningcount (office, regency, as_of, expiring, overstay)
        SELECT DISTINCT office, regency, CURRENT_DATE, 0, 0 FROM ({net}) net
        ORDER BY office, regency
        ON CONFLICT (office, regency) DO NOTHING;
        PERFORM 1 FROM registry_warningcount t
        WHERE (t.office, t.regency) IN (SELECT office, regency FROM ({net}) net)
        ORDER BY t.office, t.regency FOR UPDATE;
        -- Each day's change counted against the row's own as_of.
        UPDATE registry_warningcount t
        SET expiring = t.expiring + m.expiring, overstay = t.overstay + m.overstay
        FROM (
            SELECT c.id,
                SUM(CASE WHEN net.day >= c.as_of AND net.day <= c.as_of + 30
                    THEN net.n ELSE 0 END) AS expiring,
                SUM(CASE WHEN net.day < c.as_of THEN net.n ELSE 0 END) AS overstay
            FROM ({net}) net
            JOIN registry_warningcount c ON c.office = net.office AND c.regency = net.regency
            GROUP BY c.id
        ) m
        WHERE t.id = m.id;"""


def _postgres(months: bool) -> str:
    return f"""
CREATE OR REPLACE FUNCTION registry_warning_tally() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN {_apply(_BY_BRANCH["INSERT"], months)}
    ELSIF TG_OP = 'DELETE' THEN {_apply(_BY_BRANCH["DELETE"], months)}
    ELSE {_apply(_BY_BRANCH["UPDATE"], months)}
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER registry_warning_tally_insert AFTER INSERT ON registry_foreignnational
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registry_warning_tally();
CREATE TRIGGER registry_warning_tally_delete AFTER DELETE ON registry_foreignnational
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registry_warning_tally();
CREATE TRIGGER registry_warning_tally_update AFTER UPDATE ON registry_foreignnational
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registry_warning_tally();
"""


POSTGRES_TRIGGERS = (
    "registry_warning_tally_insert",
    "registry_warning_tally_delete",
    "registry_warning_tally_update",
)
POSTGRES_DROP = (
    "\n".join(
        f"DROP TRIGGER IF EXISTS {name} ON registry_foreignnational;" for name in POSTGRES_TRIGGERS
    )
    + """
DROP FUNCTION IF EXISTS registry_warning_tally();
"""
)

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
_ADD_MONTH = """
    INSERT INTO registry_warningmonth (office, regency, month, persons)
    SELECT {office}, {regency}, date(NEW.permit_valid_until, 'start of month'), 1
    WHERE {counted}
    ON CONFLICT (office, regency, month) DO UPDATE SET persons = persons + 1;
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
_REMOVE_MONTH = """
    UPDATE registry_warningmonth SET persons = persons - 1
    WHERE {counted} AND office = {office} AND regency = {regency}
        AND month = date(OLD.permit_valid_until, 'start of month');
"""


def _side(template: str, row: str) -> str:
    office, regency = (part.format(row=row) for part in _KEY)
    return template.format(office=office, regency=regency, counted=_COUNTED.format(row=row))


_CHANGED = " OR ".join(
    f"OLD.{column} IS NOT NEW.{column}"
    for column in ("merged_into_id", "regency_id", "last_check_office_id", "permit_valid_until")
)


def _sqlite(months: bool) -> dict[str, str]:
    add = _ADD + (_ADD_MONTH if months else "")
    remove = _REMOVE + (_REMOVE_MONTH if months else "")
    return {
        "registry_warning_tally_insert": "CREATE TRIGGER IF NOT EXISTS"
        " registry_warning_tally_insert"
        f" AFTER INSERT ON registry_foreignnational BEGIN {_side(add, 'NEW')} END",
        "registry_warning_tally_delete": "CREATE TRIGGER IF NOT EXISTS"
        " registry_warning_tally_delete"
        f" AFTER DELETE ON registry_foreignnational BEGIN {_side(remove, 'OLD')} END",
        "registry_warning_tally_change": "CREATE TRIGGER IF NOT EXISTS"
        " registry_warning_tally_change"
        " AFTER UPDATE OF merged_into_id, regency_id, last_check_office_id, permit_valid_until"
        f" ON registry_foreignnational WHEN {_CHANGED}"
        f" BEGIN {_side(remove, 'OLD')} {_side(add, 'NEW')} END",
    }


SQLITE_TRIGGERS = tuple(_sqlite(months=False))

COUNTS = ("registry_warningday", "registry_warningcount")
MONTHS = "registry_warningmonth"


def has_months(connection) -> bool:
    """Whether the month counts' table is there: migration 0015 installs the triggers and
    counts before migration 0017 creates it, so both leave the months out until then."""
    with connection.cursor() as cursor:
        return MONTHS in connection.introspection.table_names(cursor)


def install(connection, *, months: bool | None = None) -> None:
    """Create the triggers (migrations 0015 and 0017; the counts are filled by
    warnings.rebuild_counts), with the month counts' statements when that table is there
    (or as `months` says: 0017 undone, before the table goes)."""
    months = has_months(connection) if months is None else months
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_postgres(months))
        elif connection.vendor == "sqlite":
            for statement in _sqlite(months).values():
                cursor.execute(statement)
        else:  # pragma: no cover
            raise NotImplementedError(f"warning count triggers for {connection.vendor}")


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_DROP)
        elif connection.vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def repair(connection) -> bool:
    """SQLite: put back the triggers a rebuild of the persons table dropped and recount; True
    when something was fixed. Nothing where the counts' tables are not (yet) there."""
    if connection.vendor != "sqlite":
        return False
    names = [*COUNTS, MONTHS, *SQLITE_TRIGGERS]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT name FROM sqlite_master WHERE name IN ({', '.join(['%s'] * len(names))})",
            names,
        )
        existing = {name for (name,) in cursor.fetchall()}
        if not set(COUNTS) <= existing:
            return False
        missing = [name for name in SQLITE_TRIGGERS if name not in existing]
        statements = _sqlite(months=MONTHS in existing)
        for name in missing:
            cursor.execute(statements[name])
    if missing:
        from silahap.registry.warnings import rebuild_counts  # noqa: PLC0415 -- warnings imports the models, loaded after apps.py

        rebuild_counts(connection=connection)
    return bool(missing)
