"""`make run`'s server (bin/run-dev) answers pages with the static files it collected, hashed and
compressed as production serves them: a page's stylesheet link names a file that is there."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

import pytest

from silahap.testing.servers import ROOT, free_port, http_get, wait_until_serving

# The server runs on a SQLite file of its own, as `make run` does, whatever the suite's database.
pytestmark = pytest.mark.one_database("sqlite")


def test_make_runs_server_serves_the_login_page_and_its_collected_files(tmp_path):
    port = free_port()
    environment = {
        **os.environ,
        "SILAHAP_ENV": "test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
        "SILAHAP_VAR_DIR": str(tmp_path),
        "PY": sys.executable,
    }
    environment.pop("SILAHAP_STATIC_COLLECTED", None)
    server = subprocess.Popen(
        ["bin/run-dev", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_until_serving(port, server)
        status, body = http_get(port, "/login/")
        assert status == 200, body[-2000:]
        stylesheets = re.findall(rb'href="(/static/[^"]+\.css)"', body)
        assert stylesheets
        for stylesheet in stylesheets:
            # Hashed by the manifest storage (name.0123abcd.css), and served.
            assert re.search(rb"\.[0-9a-f]{12}\.css$", stylesheet), stylesheet
            assert http_get(port, stylesheet.decode())[0] == 200
        assert (tmp_path / "staticfiles" / "staticfiles.json").exists()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
