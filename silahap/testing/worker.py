"""What `manage.py db_worker` does, for tests: run each queued task once, oldest first."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.test import TestCase
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult


def run_queued() -> int:
    """Run every task waiting in the queue once, oldest first; returns how many ran."""
    ran = 0
    for queued in DBTaskResult.objects.filter(status="READY").order_by("enqueued_at"):
        job = import_string(queued.task_path)
        job.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
        queued.delete()
        ran += 1
    return ran


@contextlib.contextmanager
def then_the_worker() -> Iterator[None]:
    """Run the block as if it committed (its after-commit callbacks queue their tasks), then
    the worker's queue: what follows a real request a moment later."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield
    run_queued()
