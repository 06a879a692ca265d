"""The production server as `bin/run-prod` starts it: two nodes started at once migrate one
database once (the other waits on the lock), both serve, a SIGTERM lets a request in flight
finish; `/readyz` names the dependency that is down."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from silahap.testing.servers import ROOT, free_port, http_get, wait_until_serving


@pytest.fixture
def fresh_database(tmp_path):
    """A database no node has migrated yet, on the engine the suite runs on."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'node.sqlite3'}"
        return
    name = f"silahap_nodes_{uuid.uuid4().hex[:8]}"
    config = settings.DATABASES["default"]
    admin = {
        "dbname": "postgres",
        "user": config.get("USER") or "postgres",
        "host": config.get("HOST") or "127.0.0.1",
        "port": config.get("PORT") or 5432,
    }
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://{admin['user']}@{admin['host']}:{admin['port']}/{name}"
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_node(database_url: str, port: int, var_dir: Path) -> subprocess.Popen:
    environment = {
        **os.environ,
        "SILAHAP_ENV": "test",
        "DATABASE_URL": database_url,
        "SILAHAP_VAR_DIR": str(var_dir),
        "SILAHAP_WEB_WORKERS": "1",
        "SILAHAP_WEB_THREADS": "2",
        "SILAHAP_GRACEFUL_SECONDS": "20",
        "PY": sys.executable,
    }
    return subprocess.Popen(
        ["bin/run-prod", "web", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def test_two_nodes_migrate_once_serve_and_finish_a_request_in_flight_on_sigterm(
    fresh_database, tmp_path
):
    ports = [free_port(), free_port()]
    nodes = [
        start_node(fresh_database, port, tmp_path / f"var{index}")
        for index, port in enumerate(ports)
    ]
    try:
        for port, node in zip(ports, nodes, strict=True):
            wait_until_serving(port, node)
            status, body = http_get(port, "/readyz")
            assert status == 200, body
            assert b'"database": "ok"' in body

        # A request whose body is still arriving when the node is told to stop.
        body = b"username=someone&password=not-the-right-one"
        sock = socket.create_connection(("127.0.0.1", ports[0]), timeout=30)
        sock.sendall(
            b"POST /login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body[:10]
        )
        time.sleep(1.0)
        nodes[0].send_signal(signal.SIGTERM)
        time.sleep(1.0)
        sock.sendall(body[10:])
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
        sock.close()
        assert answer.startswith(b"HTTP/1.1 "), answer[:200]
        assert nodes[0].wait(timeout=30) == 0
        # The other node is still up and serving.
        assert http_get(ports[1], "/healthz")[0] == 200
    finally:
        for node in nodes:
            if node.poll() is None:
                node.send_signal(signal.SIGTERM)
                node.wait(timeout=30)
    outputs = [node.stdout.read().decode(errors="replace") for node in nodes]
    # Each node ran migrate_locked; the lock made the second find nothing left to apply.
    assert all("migrations applied" in output for output in outputs), outputs
    assert sum("Applying " in output for output in outputs) <= 1
    # The access log names paths without query strings.
    assert '"GET /readyz" 200' in outputs[1]


@pytest.mark.django_db
def test_readyz_answers_200_when_everything_is_up(client):
    response = client.get(reverse("readyz"))
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok", "storage": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_names_a_cache_that_cannot_keep_values(client, tmp_path):
    unwritable = tmp_path / "file-not-dir"
    unwritable.write_text("x")
    broken = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(unwritable / "cache"),
        }
    }
    with override_settings(CACHES=broken):
        response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["cache"].startswith("down")
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_readyz_names_a_file_store_that_is_not_there(client, tmp_path):
    # A volume that did not mount: the store's directory is missing, nothing could be written.
    storages = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "not-mounted")},
        },
    }
    with override_settings(STORAGES=storages):
        response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["storage"].startswith("down")
    assert response.json()["cache"] == "ok"


def test_a_served_process_has_its_views_loaded_and_frozen_out_of_the_collector():
    """silahap.wsgi (what gunicorn loads) imports every view and freezes what is loaded, so a
    full garbage collection no longer walks the application's own objects."""
    probe = (
        "import gc, sys\n"
        "before = gc.get_freeze_count()\n"
        "import silahap.wsgi\n"
        "print(before, gc.get_freeze_count(), 'silahap.reports.views' in sys.modules,"
        " 'silahap.integration.api.reports' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={**os.environ, "SILAHAP_ENV": "test"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    before, after, views, api = result.stdout.split()
    assert before == "0"
    assert int(after) > 100_000  # the loaded application, tens of thousands of objects at least
    assert views == "True"
    assert api == "True"
