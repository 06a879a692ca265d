"""The triggers that keep the table of distinct current names (models_names: PersonName) in step
with the persons, whoever writes them, on PostgreSQL and SQLite; and its recount.

Django rebuilds a SQLite table to alter it, which drops the table's triggers: after every
migrate the missing ones are put back and the names recounted (apps.py), as for the word index
(sqlite_words.py) and the warning counts (warning_triggers.py).
"""

from __future__ import annotations

from django.db import transaction

TABLE = "registry_personname"
PERSONS = "registry_foreignnational"

# PostgreSQL: one trigger per statement, over the rows it changed (transition tables): a bulk
# insert, update or delete is one aggregated change per name, applied in name order (so two
# writers take the rows' locks in the same order). An update that moved no name and merged
# nobody (the warning columns' refreshes) nets to nothing and returns at once. A name whose
# count falls to 0 is deleted: a writer adding a person of it meanwhile waits on the row and then
# inserts it anew (INSERT ... ON CONFLICT retries after a concurrent delete).
_SIDE = "SELECT {row}.normalized_name AS name, {sign} AS n FROM {table} {row}" + (
    " WHERE {row}.merged_into_id IS NULL"
)
_BY_BRANCH = {
    "INSERT": _SIDE.format(row="n", table="new_rows", sign=1),
    "DELETE": _SIDE.format(row="o", table="old_rows", sign=-1),
    "UPDATE": _SIDE.format(row="o", table="old_rows", sign=-1)
    + " UNION ALL "
    + _SIDE.format(row="n", table="new_rows", sign=1),
}


def _apply(changes: str) -> str:
    net = f"SELECT name, SUM(n) AS n FROM ({changes}) c GROUP BY name HAVING SUM(n) <> 0"
    return f"""
        IF NOT EXISTS ({net}) THEN
            RETURN NULL;
        END IF;
        INSERT INTO {TABLE} AS t (normalized_name, persons)
        SELECT name, n FROM ({net}) net ORDER BY name
        ON CONFLICT (normalized_name) DO UPDATE SET persons = t.persons + EXCLUDED.persons;
        DELETE FROM {TABLE}
        WHERE persons <= 0 AND normalized_name IN (SELECT name FROM ({net}) net WHERE n < 0);"""


POSTGRES = f"""
CREATE OR REPLACE FUNCTION registry_person_names_tally() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN {_apply(_BY_BRANCH["INSERT"])}
    ELSIF TG_OP = 'DELETE' THEN {_apply(_BY_BRANCH["DELETE"])}
    ELSE {_apply(_BY_BRANCH["UPDATE"])}
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER registry_person_names_insert AFTER INSERT ON {PERSONS}
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registry_person_names_tally();
CREATE TRIGGER registry_person_names_delete AFTER DELETE ON {PERSONS}
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registry_person_names_tally();
CREATE TRIGGER registry_person_names_update AFTER UPDATE ON {PERSONS}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registry_person_names_tally();
"""

POSTGRES_TRIGGERS = (
    "registry_person_names_insert",
    "registry_person_names_delete",
    "registry_person_names_update",
)
POSTGRES_DROP = (
    "\n".join(f"DROP TRIGGER IF EXISTS {name} ON {PERSONS};" for name in POSTGRES_TRIGGERS)
    + "\nDROP FUNCTION IF EXISTS registry_person_names_tally();"
)

# PostgreSQL's indexes of the names, as migration 0005 has them on the persons: the word keys
# (GIN, silahap_name_keys) the lookup asks first, and trigrams, its last resort. Without GIN's
# pending list (fastupdate): every write of a name's count is a new row version, and until a
# vacuum merged them every lookup read the list through (2.7 ms became 3.5 at 100,000
# activities, 7 ms became 17 at a million persons).
POSTGRES_INDEXES = (
    f"CREATE INDEX IF NOT EXISTS person_name_table_keys "
    f"ON {TABLE} USING gin (silahap_name_keys(normalized_name)) WITH (fastupdate = off)",
    f"CREATE INDEX IF NOT EXISTS person_name_table_trgm "
    f"ON {TABLE} USING gin (normalized_name gin_trgm_ops) WITH (fastupdate = off)",
)
POSTGRES_INDEXES_DROP = (
    "DROP INDEX IF EXISTS person_name_table_keys",
    "DROP INDEX IF EXISTS person_name_table_trgm",
)

# SQLite: a trigger per row; the person's name leaves the table before its new name comes in.
_ADD = f"""
    INSERT INTO {TABLE} (normalized_name, persons)
    SELECT NEW.normalized_name, 1 WHERE NEW.merged_into_id IS NULL
    ON CONFLICT (normalized_name) DO UPDATE SET persons = persons + 1;"""
_REMOVE = f"""
    UPDATE {TABLE} SET persons = persons - 1
    WHERE OLD.merged_into_id IS NULL AND normalized_name = OLD.normalized_name;
    DELETE FROM {TABLE}
    WHERE OLD.merged_into_id IS NULL AND normalized_name = OLD.normalized_name
        AND persons <= 0;"""
SQLITE = {
    "registry_person_names_insert": "CREATE TRIGGER IF NOT EXISTS registry_person_names_insert"
    f" AFTER INSERT ON {PERSONS} BEGIN {_ADD} END",
    "registry_person_names_delete": "CREATE TRIGGER IF NOT EXISTS registry_person_names_delete"
    f" AFTER DELETE ON {PERSONS} BEGIN {_REMOVE} END",
    "registry_person_names_change": "CREATE TRIGGER IF NOT EXISTS registry_person_names_change"
    f" AFTER UPDATE OF normalized_name, merged_into_id ON {PERSONS}"
    " WHEN OLD.normalized_name IS NOT NEW.normalized_name"
    " OR OLD.merged_into_id IS NOT NEW.merged_into_id"
    f" BEGIN {_REMOVE} {_ADD} END",
}

REBUILD = [
    f"DELETE FROM {TABLE}",
    f"""INSERT INTO {TABLE} (normalized_name, persons)
    SELECT normalized_name, COUNT(*) FROM {PERSONS} WHERE merged_into_id IS NULL
    GROUP BY normalized_name""",
]


def install(connection) -> None:
    """Create the triggers (migration 0016; the names are filled by rebuild_names, then
    indexed by `index`)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES)
        elif connection.vendor == "sqlite":
            for statement in SQLITE.values():
                cursor.execute(statement)
        else:  # pragma: no cover
            raise NotImplementedError(f"person name triggers for {connection.vendor}")


def index(connection) -> None:
    """PostgreSQL: the names' indexes (built once the names are in: faster than row by row)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for statement in POSTGRES_INDEXES:
            cursor.execute(statement)


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_DROP)
            for statement in POSTGRES_INDEXES_DROP:
                cursor.execute(statement)
        elif connection.vendor == "sqlite":
            for name in SQLITE:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def rebuild_names(connection) -> None:
    """Recount the names from the persons, set-based; writers of persons wait meanwhile on
    PostgreSQL."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {PERSONS} IN SHARE MODE")
        for statement in REBUILD:
            cursor.execute(statement)


def repair(connection) -> bool:
    """SQLite: put back the triggers a rebuild of the persons table dropped and recount; True
    when something was fixed. Nothing where the names' table is not (yet) there."""
    if connection.vendor != "sqlite":
        return False
    names = [TABLE, *SQLITE]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT name FROM sqlite_master WHERE name IN ({', '.join(['%s'] * len(names))})",
            names,
        )
        existing = {name for (name,) in cursor.fetchall()}
        if TABLE not in existing:
            return False
        missing = [name for name in SQLITE if name not in existing]
        for name in missing:
            cursor.execute(SQLITE[name])
    if missing:
        rebuild_names(connection)
    return bool(missing)
