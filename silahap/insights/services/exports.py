"""Long exports go to the worker: asking is audited here, the file is built by
`insights.tasks.build_export`, and its download is audited again (what and how many rows)."""

from __future__ import annotations

from functools import partial

from django.db import transaction

from silahap.accounts import access
from silahap.accounts.models import OrgUnit, User
from silahap.audit import services as audit
from silahap.insights.models import ExportJob

PENDING = (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING)


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
    from silahap.insights import tasks

    transaction.on_commit(partial(tasks.build_export.enqueue, job.pk), robust=True)
    return job
