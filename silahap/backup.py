"""A consistent backup of SiLAHAP and its restore into an empty database and store.

The database and the list of stored files come from one snapshot: SQLite's online backup API
reading inside the transaction that lists the files; PostgreSQL's `pg_dump -Fc` on a snapshot
exported by the REPEATABLE READ transaction that lists them. The manifest names every stored
file with its SHA-256 and size; the files are copied beside it (`files/<key>`) or, for a store
that keeps its own copies (a versioned, replicated bucket), only listed by key.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction

from silahap.storage import CHUNK_BYTES, sha256_of, stored_files

MANIFEST = "manifest.json"
FORMAT = 1


class BackupError(Exception):
    """The backup or the restore cannot go on; the message says what to fix."""


@dataclass
class Result:
    files: int
    bytes: int
    problems: list[str]


def _pg_env(settings_dict: dict) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return env


def _file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return sha256_of(handle)[0]


def write_backup(target: Path, *, copy_files: bool = True) -> Result:
    """Write the database and the manifest (and the files) into the empty folder `target`."""
    target.mkdir(parents=True, exist_ok=True)
    if any(target.iterdir()):
        raise BackupError(f"{target} is not empty; give a new folder for each backup")
    vendor = connection.vendor
    if vendor == "postgresql":
        database_file = "database.dump"
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
            done = subprocess.run(
                ["pg_dump", "-Fc", f"--snapshot={snapshot}", "-f", str(target / database_file)]
                + ["--no-owner", "--no-privileges", connection.settings_dict["NAME"]],
                env=_pg_env(connection.settings_dict),
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                raise BackupError(f"pg_dump failed: {done.stderr.strip().splitlines()[-1:]}")
            # The same snapshot as the dump: exactly the files its rows name.
            listed = list(stored_files())
    elif vendor == "sqlite":
        database_file = "database.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(target / database_file)
        try:
            # The online backup API: a consistent copy while the office keeps writing (a write
            # during the copy restarts it).
            connection.connection.backup(destination)
        finally:
            destination.close()
        # Listed after the copy: every file its rows name (and perhaps a few newer ones).
        listed = list(stored_files())
    else:  # pragma: no cover — settings accept only these two
        raise BackupError(f"no backup for {vendor}")
    entries, problems, total = [], [], 0
    for label, name, recorded in listed:
        try:
            with default_storage.open(name, "rb") as handle:
                if copy_files:
                    path = target / "files" / name
                    path.parent.mkdir(parents=True, exist_ok=True)
                    digest, size = hashlib.sha256(), 0
                    with path.open("wb") as out:
                        while chunk := handle.read(CHUNK_BYTES):
                            digest.update(chunk)
                            out.write(chunk)
                            size += len(chunk)
                    sha = digest.hexdigest()
                else:
                    sha, size = sha256_of(handle)
        except (OSError, ValueError) as error:
            problems.append(f"{name} ({label}): cannot be read ({type(error).__name__})")
            continue
        if recorded and recorded != sha:
            problems.append(f"{name} ({label}): SHA-256 differs from the one recorded at upload")
        entries.append({"name": name, "sha256": sha, "size": size, "field": label})
        total += size
    manifest = {
        "format": FORMAT,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "database": vendor,
        "database_file": database_file,
        "database_sha256": _file_sha256(target / database_file),
        "files_copied": copy_files,
        "files": entries,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1))
    return Result(files=len(entries), bytes=total, problems=problems)


def _database_is_empty() -> bool:
    tables = connection.introspection.table_names()
    return not tables


def restore_backup(source: Path) -> Result:
    """Restore `source` into the configured database and store, both of which must be empty."""
    manifest_path = source / MANIFEST
    if not manifest_path.exists():
        raise BackupError(f"{source} holds no {MANIFEST}; is it a SiLAHAP backup?")
    manifest = json.loads(manifest_path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"backup format {manifest.get('format')} is not {FORMAT}")
    if manifest["database"] != connection.vendor:
        raise BackupError(
            f"the backup is of {manifest['database']}; DATABASE_URL names {connection.vendor}"
        )
    database_file = source / manifest["database_file"]
    if _file_sha256(database_file) != manifest["database_sha256"]:
        raise BackupError(f"{database_file.name} does not match the manifest's SHA-256")
    if not _database_is_empty():
        raise BackupError("the database is not empty; restore only into a new, empty database")
    if manifest["files_copied"]:
        taken = [e["name"] for e in manifest["files"] if default_storage.exists(e["name"])]
        if taken:
            raise BackupError(f"the store already holds {taken[0]}; restore into an empty store")
    if connection.vendor == "postgresql":
        done = subprocess.run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
            + ["--single-transaction", "-d", connection.settings_dict["NAME"], str(database_file)],
            env=_pg_env(connection.settings_dict),
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise BackupError(f"pg_restore failed: {done.stderr.strip().splitlines()[-1:]}")
    else:
        connection.ensure_connection()
        backup = sqlite3.connect(database_file)
        try:
            backup.backup(connection.connection)
        finally:
            backup.close()
    connection.close()
    problems, total = [], 0
    for entry in manifest["files"]:
        name = entry["name"]
        if manifest["files_copied"]:
            path = source / "files" / name
            if _file_sha256(path) != entry["sha256"]:
                problems.append(f"{name}: the backup's copy does not match the manifest")
                continue
            with path.open("rb") as handle:
                stored = default_storage.save(name, File(handle, name=name))
            if stored != name:
                problems.append(f"{name}: the store named it {stored}")
                continue
        try:
            with default_storage.open(name, "rb") as handle:
                sha, size = sha256_of(handle)
        except (OSError, ValueError):
            problems.append(f"{name}: missing from the store")
            continue
        if (sha, size) != (entry["sha256"], entry["size"]):
            problems.append(f"{name}: the stored file does not match the manifest")
        total += size
    return Result(files=len(manifest["files"]), bytes=total, problems=problems)
