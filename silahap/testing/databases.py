"""Copies of the test database for tests that start other processes on it (a replica, a second
scheduler), and dropping them after."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import uuid
from pathlib import Path

import psycopg
from django.db import connection, connections

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
