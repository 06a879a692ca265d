"""Backup and restore round trip: demo-like data (people, a report with a photo, a person in the
registry) written by backup_write, restored by backup_restore into an empty database and an empty
store, then the audit chain verifies, every file matches the manifest, and the report, the person
and the photo open for the right users and for no one else."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from silahap.reports import services
from silahap.reports.tests import factories
from silahap.reports.tests.factories import photo_bytes
from silahap.testing.worker import run_queued

ROOT = Path(__file__).resolve().parents[3]

CHECK = """
import hashlib, io, sys
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from silahap.accounts.models import User
from silahap.reports.models import DailyReport, Evidence
from silahap.registry.models import ForeignNational
report, photo = DailyReport.objects.get(pk={report}), Evidence.objects.get(pk={photo})
person = ForeignNational.objects.get(pk={person})
pages = [
    reverse("reports:report_detail", args=[report.pk]),
    reverse("registry:person_detail", args=[person.pk]),
    reverse("reports:evidence_file", args=[photo.pk, "original"]),
]
seen = {{"anonymous": [Client().get(page) for page in pages]}}
for name in ("officer_a", "officer_b"):
    client = Client()
    client.force_login(User.objects.get(username=name))
    seen[name] = [client.get(page) for page in pages]
assert [r.status_code for r in seen["officer_a"]] == [200, 200, 200], seen
# Another office's officer: not the report nor its photo; the registry is shared nationally.
assert [r.status_code for r in seen["officer_b"]] == [404, 200, 404], seen
assert [r.status_code for r in seen["anonymous"]] == [302, 302, 302], seen
body = b"".join(seen["officer_a"][2].streaming_content)
assert hashlib.sha256(body).hexdigest() == photo.sha256
print("opened as expected")
out = io.StringIO()
call_command("audit_verify", stdout=out)
print(out.getvalue())
# A second restore over the restored data is refused: only into an empty database.
try:
    call_command("backup_restore", "{backup}", stdout=io.StringIO())
except CommandError as error:
    print(f"second restore: {{error}}")
"""


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SILAHAP_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "SILAHAP_ENV": "test", **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def empty_database_url(tmp_path: Path) -> str:
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    settings = connection.settings_dict
    name = f"{settings['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    user = settings.get("USER") or "postgres"
    host, port = settings.get("HOST") or "127.0.0.1", settings.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{name}"


def drop_database(url: str) -> None:
    if url.startswith("postgres"):
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_database_and_store(people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    officer = people.officer_a
    place = factories.place(by=officer)
    person = factories.person(by=officer)
    activity = factories.field_activity(by=officer, started_at=factories.at(10), place=place)
    photo = services.evidence_add(
        by=officer, client_id=uuid.uuid4(), activity=activity, data=photo_bytes()
    )
    run_queued()  # the worker makes the photo's copies
    photo.refresh_from_db()

    backup = tmp_path / "backup"
    out = io.StringIO()
    call_command("backup_write", str(backup), stdout=out)
    manifest = json.loads((backup / "manifest.json").read_text())
    names = {photo.original.name, photo.display.name, photo.thumbnail.name}
    assert {entry["name"] for entry in manifest["files"]} == names
    original = next(e for e in manifest["files"] if e["name"] == photo.original.name)
    assert original["sha256"] == photo.sha256
    assert original["size"] == photo.size_bytes
    assert f"database and {len(names)} files" in out.getvalue()
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup_write", str(backup), stdout=io.StringIO())

    database_url = empty_database_url(tmp_path)
    store = tmp_path / "restored-media"
    store.mkdir()
    env = {"DATABASE_URL": database_url, "SILAHAP_MEDIA_ROOT": str(store)}
    try:
        restored = manage(env, "backup_restore", str(backup))
        assert restored.returncode == 0, restored.stderr
        assert "restored and verified" in restored.stdout
        for entry in manifest["files"]:
            assert (
                hashlib.sha256((store / entry["name"]).read_bytes()).hexdigest()
                == (entry["sha256"])
            )
        check = CHECK.format(
            report=activity.report_id, photo=photo.pk, person=person.pk, backup=backup
        )
        opened = manage(env, "shell", "-c", check)
        assert opened.returncode == 0, opened.stderr
        assert "opened as expected" in opened.stdout
        assert "audit trail intact" in opened.stdout
        assert "second restore: the database is not empty" in opened.stdout
    finally:
        drop_database(database_url)
