"""Background work of registry imports: the dry run and the import, chunk by chunk.

Each task takes the job's primary key, reads the job's current state and does nothing when the
job is no longer at the step it was queued for, so running one twice is harmless.
"""

from __future__ import annotations

import logging

from django_tasks import task

from silahap.registry.imports import engine
from silahap.registry.imports.reading import FileProblem
from silahap.registry.models_imports import ImportJob
from silahap.registry.services import imports as services

logger = logging.getLogger(__name__)
Status = ImportJob.Status


def _progress(job: ImportJob):
    def report(processed: int, counts: engine.Counts, total: int | None = None) -> None:
        fields = {"processed_rows": processed}
        if total is not None:
            fields["total_rows"] = total
        ImportJob.objects.filter(pk=job.pk).update(**fields)
        if total is not None:
            job.total_rows = total

    return report


def _run(job: ImportJob, *, apply: bool) -> tuple[engine.Counts | None, list]:
    try:
        return engine.run(job, apply=apply, on_chunk=_progress(job)), []
    except FileProblem as problem:
        return None, [problem.code, problem.params]
    except Exception:
        # The job must not stay "running" forever; the traceback goes to the operators' log.
        logger.exception("import job %s failed", job.pk)
        return None, ["worker_failed", {}]


@task()
def import_check(job_id: int) -> str:
    job = ImportJob.objects.filter(pk=job_id, status=Status.CHECKING).first()
    if job is None:
        return "skipped"
    counts, problem = _run(job, apply=False)
    return services.import_check_finish(job=job, counts=counts, problem=problem).status


@task()
def import_apply(job_id: int) -> str:
    job = (
        ImportJob.objects.filter(pk=job_id, status=Status.APPLYING).select_related("office").first()
    )
    if job is None:
        return "skipped"
    counts, problem = _run(job, apply=True)
    job = services.import_apply_finish(job=job, counts=counts, problem=problem)
    return job.status
