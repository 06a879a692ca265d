"""The worker's side of long exports: build the XLSX, telling the progress page how far it got."""

from __future__ import annotations

import tempfile

from django.core.files import File
from django.utils import timezone
from django_tasks import task

from silahap.insights import exports, periods, scope
from silahap.insights.models import ExportJob

Status = ExportJob.Status


@task()
def build_export(job_id: int) -> int:
    """Build a queued export once (a second run finds it taken and does nothing)."""
    taken = ExportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(status=Status.RUNNING)
    if not taken:
        return 0
    job = ExportJob.objects.select_related("user", "unit").get(pk=job_id)
    try:
        period = periods.parse(job.period, today=scope.today_for(job.unit))
        rows = exports.rows_of(job.user, job.unit, period, job.kind)
        ExportJob.objects.filter(pk=job_id).update(rows_total=rows.count())

        def progress(done: int) -> None:
            ExportJob.objects.filter(pk=job_id).update(rows_done=done)

        with tempfile.TemporaryFile() as target:
            written = exports.rows_xlsx(job.kind, rows, target, progress=progress)
            target.seek(0)
            name = exports.file_name(f"{job.unit.code}-{job.kind}-{job.period}", "xlsx")
            job.file.save(name, File(target), save=False)
        ExportJob.objects.filter(pk=job_id).update(
            file=job.file.name,
            rows_done=written,
            rows_total=written,
            status=Status.DONE,
            finished_at=timezone.now(),
        )
        return written
    except Exception:
        ExportJob.objects.filter(pk=job_id).update(status=Status.FAILED, finished_at=timezone.now())
        raise
