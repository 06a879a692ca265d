"""SQLite's index of the words of persons' normalised names: an FTS5 table kept in step by
triggers, whoever writes (services, bulk inserts, the admin, a shell).

PostgreSQL needs none of this (its GIN indexes are in migration 0005). Django rebuilds a SQLite
table to alter it, which drops the table's triggers: after every migrate the triggers are put
back and, if any was missing, the index is rebuilt from the table (see apps.py).
"""

from __future__ import annotations

TABLE = "registry_person_words"
PERSONS = "registry_foreignnational"
TRIGGERS = {
    f"{TABLE}_insert": f"""
        CREATE TRIGGER IF NOT EXISTS {TABLE}_insert AFTER INSERT ON {PERSONS} BEGIN
            INSERT INTO {TABLE}(rowid, normalized_name) VALUES (new.id, new.normalized_name);
        END""",
    f"{TABLE}_delete": f"""
        CREATE TRIGGER IF NOT EXISTS {TABLE}_delete AFTER DELETE ON {PERSONS} BEGIN
            INSERT INTO {TABLE}({TABLE}, rowid, normalized_name)
            VALUES ('delete', old.id, old.normalized_name);
        END""",
    f"{TABLE}_update": f"""
        CREATE TRIGGER IF NOT EXISTS {TABLE}_update AFTER UPDATE OF normalized_name ON {PERSONS}
        BEGIN
            INSERT INTO {TABLE}({TABLE}, rowid, normalized_name)
            VALUES ('delete', old.id, old.normalized_name);
            INSERT INTO {TABLE}(rowid, normalized_name) VALUES (new.id, new.normalized_name);
        END""",
}
# Words only (normalised names are lower-case ASCII words), no positions: the index is small.
CREATE_TABLE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(normalized_name, "
    f"content='{PERSONS}', content_rowid='id', tokenize='ascii', detail='none')"
)


def _existing(cursor) -> set[str]:
    names = [TABLE, PERSONS, *TRIGGERS]
    cursor.execute(
        f"SELECT name FROM sqlite_master WHERE name IN ({', '.join(['%s'] * len(names))})", names
    )
    return {name for (name,) in cursor.fetchall()}


def install(connection) -> None:
    """Create the word index and its triggers, and fill it (migration 0005)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(CREATE_TABLE)
        for statement in TRIGGERS.values():
            cursor.execute(statement)
        cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')")


def uninstall(connection) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def repair(connection) -> bool:
    """Put back triggers a table rebuild dropped, and re-index; True when something was fixed.
    Does nothing where the index was never installed (or was uninstalled)."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        existing = _existing(cursor)
        if TABLE not in existing or PERSONS not in existing:
            return False
        missing = [name for name in TRIGGERS if name not in existing]
        if not missing:
            return False
        for name in missing:
            cursor.execute(TRIGGERS[name])
        cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')")
    return True
