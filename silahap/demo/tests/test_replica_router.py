"""The read replica's routing, on a stand-in replica (a copy of the test database under another
name on the same server, or another SQLite file): heavy pages read reports from it, never access
checks, sessions or the audit trail; a person who just wrote reads the primary; a replica that
does not answer leaves the primary answering and is named in /readyz."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from silahap.testing.databases import NOWHERE, ROOT, copy_database, drop

ROUTING = """
import contextlib
import json
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from silahap.accounts.models import OrgUnit, User
client = Client()
client.force_login(User.objects.get(username="analyst"))
office = OrgUnit.objects.get(code="KI-TNG")
def visit(url, method="get", **data):
    try:
        connections["replica"].ensure_connection()
        replica = CaptureQueriesContext(connections["replica"])
    except Exception:  # a replica that is down: nothing to count there
        replica = None
    with CaptureQueriesContext(connections["default"]) as primary:
        with replica if replica is not None else contextlib.nullcontext():
            response = getattr(client, method)(url, data)
    on_replica = [q["sql"] for q in replica.captured_queries] if replica is not None else []
    return response.status_code, [q["sql"] for q in primary], on_replica
result = {{}}
result["heavy"] = visit(f"/insights/unit/{{office.pk}}/")
result["light"] = visit("/")
result["write"] = visit("/i18n/setlang/", "post", language="id")
result["after_write"] = visit(f"/insights/unit/{{office.pk}}/")
result["readyz"] = Client().get("/readyz").json()
print(json.dumps(result))
"""


def route(primary: str, replica: str) -> dict:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SILAHAP_", "DATABASE_URL"))}
    env = {"SILAHAP_ENV": "test", "DATABASE_URL": primary, "SILAHAP_REPLICA_DATABASE_URL": replica}
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", ROUTING.format()],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def touches(queries: list[str], *tables: str) -> bool:
    return any(table in query for query in queries for table in tables)


@pytest.mark.django_db(transaction=True)
def test_heavy_pages_read_the_replica_but_never_access_checks_or_a_writers_next_page(
    people, tmp_path
):
    primary, replica = copy_database("primary", tmp_path), copy_database("replica", tmp_path)
    try:
        seen = route(primary, replica)
        status, on_primary, on_replica = seen["heavy"]
        assert status == 200
        assert touches(on_replica, "reports_")  # the heavy reads
        assert touches(on_primary, "accounts_membership")  # the access check
        assert not touches(on_replica, "accounts_", "django_session", "audit_", "axes_")
        assert seen["light"][0] in (200, 302)
        assert seen["light"][2] == []  # an ordinary page never reads the replica
        assert seen["write"][2] == []
        status, _on_primary, on_replica = seen["after_write"]
        assert status == 200
        assert on_replica == []  # pinned to the primary right after a write
        assert seen["readyz"]["replica"].startswith("ok (lag ")

        down = route(primary, NOWHERE)
        assert down["heavy"][0] == 200  # the primary answered
        assert down["readyz"]["replica"] == "down (OperationalError)"
        assert down["readyz"]["database"] == "ok"
    finally:
        drop(primary)
        drop(replica)
