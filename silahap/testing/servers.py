"""Starting the application's own processes in tests: a free port, waiting until a server
answers, a plain HTTP GET, and `manage.py` run with a given environment."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http_get(port: int, path: str) -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
        )
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data.split(b"\r\n\r\n", 1)[1]


def wait_until_serving(port: int, process: subprocess.Popen, seconds: float = 600) -> None:
    # Generous: on a busy machine a node that migrates a fresh database first takes minutes;
    # a node that never answers still fails here, and one that died fails at once.
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read().decode(errors="replace")[-3000:]
        try:
            if http_get(port, "/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"nothing answered on {port}")


def run_manage(env_overrides: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SILAHAP_", "DATABASE_URL"))}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *(args or ("check",))],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
