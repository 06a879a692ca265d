"""The suite's test databases.

Each worker's test database is a copy of one migrated template instead of being migrated
itself. Migrating an empty database costs ~26 s of CPU (Django renders the model state of ~120
migrations), and `make test` did it once per xdist worker, on each database, in every run. Now
the first process that needs a test database migrates one, loads the test areas into it and
keeps it as a template named after a hash of every migration file and the lock files; every
other worker (and every later run, until a migration or a dependency changes) copies it:

- SQLite: the template is a file under `var/test-databases/`; a worker's in-memory test
  database is filled from it with SQLite's online backup (milliseconds).
- PostgreSQL: the template is a database `test_<name>_tpl_<hash>`; a worker's database is
  `CREATE DATABASE ... TEMPLATE` of it (a file copy inside the server).

Whoever builds a template holds a lock (a file lock for SQLite, an advisory lock on the server
for PostgreSQL, which two clones of the project may share), so it is built once; the others wait
for it. A template is only kept once complete (written aside and renamed, or created from the
finished database), so a run killed midway leaves nothing half-built behind.

Below that: copies of the test database for tests that start other processes on it (a replica,
a second scheduler), and dropping them after.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import sqlite3
import subprocess
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection, connections

# What decides a template's contents: the project's migrations and the modules whose SQL they
# run (the registry's triggers), the pinned packages (whose own migrations, e.g. django-otp's,
# are in the lock's versions), and what `fill` loads into it (the test areas: their files, their
# loader and the personas module naming the provinces).
KEY_GLOBS = (
    "silahap/*/migrations/*.py",
    "silahap/registry/sqlite_words.py",
    "silahap/registry/warning_triggers.py",
    "silahap/registry/name_triggers.py",
    "requirements*.lock",
    "silahap/areas/loading.py",
    "silahap/areas/data/*/*.csv",
    "silahap/testing/personas.py",
)


def template_key(base: Path | None = None) -> str:
    base = base or Path(settings.BASE_DIR)
    digest = hashlib.sha256(connection.vendor.encode())
    for pattern in KEY_GLOBS:
        for path in sorted(base.glob(pattern)):
            digest.update(str(path.relative_to(base)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _use(name: str) -> None:
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name


def set_up(fill: Callable[[], None]) -> str:
    """Give this process its test database; `fill` adds what every test database starts with
    (run once, into the template). Returns the configured name, for `tear_down`."""
    old_name = connection.settings_dict["NAME"]
    if connection.vendor == "postgresql":
        _set_up_postgresql(old_name, fill)
    else:
        _set_up_sqlite(fill)
    return old_name


def tear_down(old_name: str) -> None:
    if connection.vendor != "postgresql":
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=False)
        return
    # A live server's thread may still hold an idle session on it: FORCE ends it.
    test_name = connection.settings_dict["NAME"]
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{test_name}" WITH (FORCE)')
    _use(old_name)


def _migrate(fill: Callable[[], None]) -> None:
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    fill()


def _set_up_sqlite(fill: Callable[[], None]) -> None:
    test_name = connection.creation._get_test_db_name()
    if not connection.creation.is_in_memory_db(test_name):
        _migrate(fill)  # a test database on disk (TEST NAME set): migrated as before
        return
    folder = Path(settings.VAR_DIR) / "test-databases"
    key = template_key()
    template = folder / f"sqlite-{key}.sqlite3"
    with _file_lock(folder / f"sqlite-{key}.lock"):
        if not template.exists():
            _migrate(fill)
            partial = template.with_suffix(".partial")
            target = sqlite3.connect(partial)
            try:
                connection.ensure_connection()
                connection.connection.backup(target)
            finally:
                target.close()
            os.replace(partial, template)
            for old in folder.glob("sqlite-*"):
                if not old.name.startswith(f"sqlite-{key}"):
                    old.unlink(missing_ok=True)
            return
        _use(test_name)
        connection.ensure_connection()  # the in-memory database lives while this stays open
        source = sqlite3.connect(f"file:{template}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()


def _set_up_postgresql(old_name: str, fill: Callable[[], None]) -> None:
    test_name = connection.creation._get_test_db_name()
    template = f"test_{old_name}_tpl_{template_key()}"[:63]
    with connection._nodb_cursor() as cursor:
        # One builder per template on this server, whichever clone or worker asks first.
        cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [template])
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
        if cursor.fetchone() is None:
            _migrate(fill)
            connection.close()
            cursor.execute(f'CREATE DATABASE "{template}" TEMPLATE "{test_name}"')
            cursor.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
                [f"test_{old_name}_tpl_%", template],
            )
            for (stale,) in cursor.fetchall():
                cursor.execute(f'DROP DATABASE IF EXISTS "{stale}"')
        else:
            # A run killed midway may have left its database with a session still open.
            cursor.execute(f'DROP DATABASE IF EXISTS "{test_name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{test_name}" TEMPLATE "{template}"')
            _use(test_name)
        cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [template])


# ------------------------------------------------- copies for tests that start other processes

ROOT = Path(__file__).resolve().parents[2]
# A database nothing answers at: a replica that is down.
NOWHERE = "postgres://postgres@127.0.0.1:1/nothing"


def copy_database(label: str, tmp_path: Path) -> str:
    """A copy of the test database (its committed rows) under a new name; its URL."""
    if connection.vendor == "sqlite":
        target = tmp_path / f"{label}.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        connection.connection.backup(copy)
        copy.close()
        return f"sqlite:///{target}"
    settings = connection.settings_dict
    name = f"{settings['NAME']}_{label}_{uuid.uuid4().hex[:6]}"
    connections.close_all()
    env = {**os.environ, "PGHOST": settings.get("HOST") or "127.0.0.1"}
    env["PGPORT"] = str(settings.get("PORT") or 5432)
    env["PGUSER"] = settings.get("USER") or "postgres"
    # A template must have no other session: earlier live-server threads of this worker may
    # still hold idle connections to it.
    with psycopg.connect(
        dbname="postgres",
        host=env["PGHOST"],
        port=env["PGPORT"],
        user=env["PGUSER"],
        autocommit=True,
    ) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [settings["NAME"]],
        )
    subprocess.run(["createdb", "-T", settings["NAME"], name], env=env, check=True)
    return f"postgres://{env['PGUSER']}@{env['PGHOST']}:{env['PGPORT']}/{name}"


def drop(url: str) -> None:
    if url.startswith("postgres") and url != NOWHERE:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
