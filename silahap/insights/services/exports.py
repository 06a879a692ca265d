"""Long exports go to the worker: asking is audited here, the file is built by
`insights.tasks.build_export`, and its download is audited again (what and how many rows)."""

from __future__ import annotations

import datetime
import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from silahap.accounts import access
from silahap.accounts.models import OrgUnit, User
from silahap.audit import services as audit
from silahap.insights import tasks
from silahap.insights.models import ExportJob

logger = logging.getLogger(__name__)
PENDING = (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING)
# A built file holds personal data (names, documents): kept long enough to be downloaded,
# then deleted (PDP minimisation), after SILAHAP_EXPORT_RETENTION_HOURS (72 by default).


def retention() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.SILAHAP_EXPORT_RETENTION_HOURS)


@transaction.atomic
def export_job_start(*, by: User, unit: OrgUnit, kind: str, period: str) -> ExportJob:
    """Queue the XLSX of `kind` rows of `unit` over `period` for `by`; asking again while the
    same export is still being prepared returns that one (a double submit queues nothing twice)."""
    access.require(by, "export_rows", unit)
    pending = (
        ExportJob.objects.select_for_update()
        .filter(user=by, unit=unit, kind=kind, period=period, status__in=PENDING)
        .first()
    )
    if pending is not None:
        return pending
    job = ExportJob.objects.create(user=by, unit=unit, kind=kind, period=period)
    audit.record(
        action="insights.export_queued",
        actor=by,
        target=job,
        summary={"unit": unit.code, "kind": kind, "period": period, "format": "xlsx"},
    )

    transaction.on_commit(partial(tasks.build_export.enqueue, job.pk), robust=True)
    return job


def export_jobs_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of exports finished before the retention period; keep their rows,
    marked expired. Each job is its own transaction: a storage failure leaves that one done for
    the next run and the others expired."""
    now = now or timezone.now()
    due = ExportJob.objects.filter(
        status=ExportJob.Status.DONE, finished_at__lt=now - retention()
    ).values_list("pk", flat=True)
    expired = 0
    for pk in list(due):
        try:
            expired += _expire(pk)
        except Exception:
            # Any store's failure (a disk's OSError, an object store's client error): the row
            # stays done and the next run retries; the other jobs go on.
            logger.warning("export %s: file not deleted, will retry", pk, exc_info=True)
    return expired


@transaction.atomic
def _expire(pk: int) -> int:
    job = ExportJob.objects.select_for_update().filter(pk=pk, status=ExportJob.Status.DONE).first()
    if job is None:
        return 0
    name = job.file.name
    ExportJob.objects.filter(pk=pk).update(status=ExportJob.Status.EXPIRED, file="")
    audit.record(
        action="insights.export_expired",
        actor=None,
        target=job,
        summary={"file": name.rsplit("/", 1)[-1] if name else "", "kind": job.kind},
    )
    if name:
        # Last, through the storage API (local disk or object store alike): a failure rolls
        # the row back to done.
        job.file.storage.delete(name)
    return 1
