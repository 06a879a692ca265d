"""What `manage.py db_worker` does, for tests: run each queued task once, oldest first."""

from __future__ import annotations

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
