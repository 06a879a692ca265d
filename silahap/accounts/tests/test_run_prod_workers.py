"""`bin/run-prod worker` runs SILAHAP_TASK_WORKERS task workers side by side: a SIGTERM reaches
each (so each finishes its job), and one that ends stops the others, for the supervisor to
start them all again. The workers are a stand-in for `manage.py db_worker` that notes what it
was asked and told, so only the script's own part is under test here."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from silahap.testing.servers import ROOT

STAND_IN = """#!/bin/sh
# Stands in for python: "manage.py db_worker ..." notes its start, then waits for a signal.
echo "start $$ $*" >>"{log}"
trap 'echo "stop $$" >>"{log}"; exit 0' TERM
# With DIE set, the first to make the folder (one, atomically) ends at once, as a crash.
if [ -n "${{DIE:-}}" ] && mkdir "{log}.died" 2>/dev/null; then exit 3; fi
while :; do sleep 0.1; done
"""


@pytest.fixture
def stand_in(tmp_path):
    log = tmp_path / "workers.log"
    log.touch()
    python = tmp_path / "python"
    python.write_text(STAND_IN.format(log=log))
    python.chmod(0o755)
    return python, log


def run_prod_worker(python: Path, **environment: str) -> subprocess.Popen:
    return subprocess.Popen(
        ["bin/run-prod", "worker"],
        cwd=ROOT,
        env={**os.environ, "PY": str(python), **environment},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def lines(log: Path, word: str) -> list[str]:
    return [line for line in log.read_text().splitlines() if line.startswith(word)]


def wait_for(condition, seconds: float = 15) -> None:
    limit = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < limit, "not within the time"
        time.sleep(0.05)


def test_the_workers_start_side_by_side_and_each_hears_sigterm(stand_in):
    python, log = stand_in
    process = run_prod_worker(python, SILAHAP_TASK_WORKERS="3")
    wait_for(lambda: len(lines(log, "start")) == 3)
    assert all(
        line.endswith("manage.py db_worker --no-startup-delay --no-reload")
        for line in lines(log, "start")
    )
    process.send_signal(signal.SIGTERM)
    assert process.wait(15) == 0
    started = {line.split()[1] for line in lines(log, "start")}
    assert {line.split()[1] for line in lines(log, "stop")} == started


def test_one_worker_that_ends_stops_the_others(stand_in):
    python, log = stand_in
    process = run_prod_worker(python, SILAHAP_TASK_WORKERS="2", DIE="1")
    assert process.wait(15) == 1
    assert "task worker" in process.stdout.read()
    assert len(lines(log, "start")) == 2
    assert len(lines(log, "stop")) == 1  # the one still running was told to stop


@pytest.mark.parametrize("value", ["0", "two", "-1"])
def test_a_count_that_is_not_a_whole_number_of_at_least_one_is_refused(stand_in, value):
    python, log = stand_in
    process = run_prod_worker(python, SILAHAP_TASK_WORKERS=value)
    assert process.wait(15) == 2
    assert "SILAHAP_TASK_WORKERS" in process.stdout.read()
    assert lines(log, "start") == []
