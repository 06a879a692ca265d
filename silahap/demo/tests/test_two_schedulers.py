"""Two schedulers on two processes tick the same minute against one database: each job is
enqueued once (the scheduler's marks are unique in the database, whichever node writes first)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from silahap.testing.databases import ROOT, copy_database, drop

# A Monday 18:30 in Jakarta: past the report deadline and the morning jobs of every office.
TICK = """
import datetime, json
from silahap.supervision import scheduler
now = datetime.datetime(2026, 11, 30, 11, 30, tzinfo=datetime.UTC)
print(json.dumps(scheduler.tick(now=now)))
"""
COUNT = """
import json
from django_tasks_db.models import DBTaskResult
rows = list(DBTaskResult.objects.values_list("task_path", "args_kwargs"))
print(json.dumps([[path, json.dumps(args, sort_keys=True)] for path, args in rows]))
"""


def shell(url: str, code: str) -> subprocess.Popen:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SILAHAP_", "DATABASE_URL"))}
    return subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={**base, "SILAHAP_ENV": "test", "DATABASE_URL": url},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def output(process: subprocess.Popen):
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_enqueue_each_job_once(people, tmp_path):
    url = copy_database("schedulers", tmp_path)
    try:
        first, second = shell(url, TICK), shell(url, TICK)
        keys = output(first) + output(second)
        assert keys, "nothing was due: the test's moment must be a working day"
        assert len(keys) == len(set(keys))  # no key enqueued by both
        tasks = output(shell(url, COUNT))
        assert len(tasks) == len(keys)
        assert len({tuple(task) for task in tasks}) == len(tasks)
    finally:
        drop(url)
