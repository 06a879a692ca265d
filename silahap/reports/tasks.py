"""Background work of reports: the shown copies of an uploaded photo.

The task reads the photo's current state and does nothing when its copies are made already or
the photo is gone, so running it twice is harmless; one that fails stays in the queue's results
(FAILED, counted on /metrics) and the scheduler's sweep queues it again.
"""

from __future__ import annotations

from django_tasks import task

from silahap.reports.services.evidence_copies import copies_due
from silahap.reports.services.evidence_copies import evidence_copies_make as make


@task()
def evidence_copies_make(evidence_id: int) -> str:
    return make(evidence_id=evidence_id)


def evidence_copies_sweep() -> int:
    """Queue again the copies no task made in time; returns how many were queued."""
    due = copies_due()
    for pk in due:
        evidence_copies_make.enqueue(pk)
    return len(due)
