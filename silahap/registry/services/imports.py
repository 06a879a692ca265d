"""Every write of a registry import: upload (which starts the dry run), the dry run's result,
confirmation (which starts the import), and the import's result. One audit event each.

The rows themselves are written by the worker in chunks (silahap.registry.imports.engine), each
chunk committed on its own so the job page can show progress; the events here frame them.
"""

from __future__ import annotations

import uuid
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from silahap.accounts.models import OrgUnit, User
from silahap.audit import services as audit
from silahap.events import spine
from silahap.events.types import EventType
from silahap.idempotency.once import idempotent
from silahap.registry.imports.access import import_offices
from silahap.registry.imports.engine import Counts, file_digest
from silahap.registry.models_imports import ImportJob, ImportKind
from silahap.storage import discard_on_failure

Status = ImportJob.Status


def _require_importer(by: User, office: OrgUnit) -> None:
    if office.pk not in {unit.pk for unit in import_offices(by)}:
        raise PermissionDenied("imports are for the office's administrators and leaders")


def _start(task_name: str, job_id: int, size: int) -> None:
    """Small files are checked or imported at once; larger ones by the background worker."""
    from silahap.registry import tasks  # noqa: PLC0415 — registry.tasks imports this module

    job_task = getattr(tasks, task_name)
    if size <= settings.SILAHAP_IMPORT_BACKGROUND_BYTES:
        job_task.call(job_id)
    else:
        job_task.enqueue(job_id)


@idempotent(ImportJob, owner="uploaded_by")
@transaction.atomic
def import_upload(
    *,
    by: User,
    office: OrgUnit,
    kind: str,
    file_name: str,
    content: bytes,
    client_id: uuid.UUID | None = None,
) -> ImportJob:
    """Keep an uploaded file for its office and start its dry run; a repeated client_id returns
    the job its first upload started (one file sent twice is checked and imported once)."""
    _require_importer(by, office)
    if kind not in ImportKind.values:
        raise ValidationError({"kind": _("Choose what the file holds.")})
    limit = settings.SILAHAP_IMPORT_MAX_BYTES
    if len(content) > limit:
        raise ValidationError(
            {"file": _("The file is larger than %(limit)s MB.") % {"limit": limit // 2**20 or 1}}
        )
    if not content:
        raise ValidationError({"file": _("The file is empty.")})
    job = ImportJob(
        office=office,
        kind=kind,
        file_name=file_name[-200:],
        size=len(content),
        sha256=file_digest(content),
        uploaded_by=by,
        client_id=client_id,
    )
    # The bytes go to the file store; a write that fails afterwards removes them again.
    job.file.save("upload", ContentFile(content), save=False)
    with discard_on_failure(job.file):
        job.save(force_insert=True)
    audit.record(
        action="import.upload",
        actor=by,
        target=job,
        summary={"kind": kind, "bytes": len(content), "sha256": job.sha256},
    )
    transaction.on_commit(partial(_start, "import_check", job.pk, len(content)))
    return job


def _counts(job: ImportJob, counts: Counts | None, problem: list) -> dict:
    job.problem = problem
    if counts is not None:
        job.created_count = counts.created
        job.updated_count = counts.updated
        job.unchanged_count = counts.unchanged
        job.refused_count = counts.refused
        job.processed_rows = job.total_rows
    summary = {
        "created": job.created_count,
        "updated": job.updated_count,
        "unchanged": job.unchanged_count,
        "refused": job.refused_count,
        "rows": job.total_rows,
    }
    if counts is not None:
        summary.update(new_persons=counts.new_persons, new_places=counts.new_places)
    if problem:
        summary["problem"] = problem[0]
    return summary


@transaction.atomic
def import_check_finish(*, job: ImportJob, counts: Counts | None, problem: list) -> ImportJob:
    """Record what the dry run found: counts by outcome, or why the whole file was refused."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    summary = _counts(job, counts, problem)
    job.status = Status.FAILED if problem else Status.CHECKED
    job.checked_at = timezone.now()
    job.save()
    audit.record(action="import.dry_run", actor=job.uploaded_by, target=job, summary=summary)
    return job


@transaction.atomic
def import_confirm(*, by: User, job: ImportJob) -> ImportJob:
    """Import a checked file into the registry; a second confirmation does nothing."""
    job = ImportJob.objects.select_for_update().select_related("office").get(pk=job.pk)
    _require_importer(by, job.office)
    if job.status != Status.CHECKED:
        raise ValidationError(_("This file is not waiting for confirmation."))
    job.status = Status.APPLYING
    job.processed_rows = 0
    job.confirmed_by = by
    job.save(update_fields=["status", "processed_rows", "confirmed_by"])
    audit.record(
        action="import.confirm",
        actor=by,
        target=job,
        summary={"kind": job.kind, "rows": job.total_rows, "refused": job.refused_count},
    )
    transaction.on_commit(partial(_start, "import_apply", job.pk, job.size or len(job.content)))
    return job


@transaction.atomic
def import_apply_finish(*, job: ImportJob, counts: Counts | None, problem: list) -> ImportJob:
    """Record what the import wrote to the registry, or why it stopped."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    summary = _counts(job, counts, problem)
    job.status = Status.FAILED if problem else Status.APPLIED
    job.applied_at = timezone.now()
    job.save()
    audit.record(
        action="import.apply",
        actor=job.confirmed_by or job.uploaded_by,
        target=job,
        summary=summary,
    )
    spine.record(
        type=EventType.IMPORT_FINISHED,
        object_type="registry.importjob",
        object_id=job.pk,
        actor_id=(job.confirmed_by_id or job.uploaded_by_id),
        unit_path=job.office.path,
        payload={"status": job.status},
    )
    return job
