"""Every business event's name, in one place: what a write service records and subscribers hear.

Names are `<thing>.<past participle>`, the same words as the service that records them
(`report_submit` records `report.submitted`). Add a name here before recording or subscribing to it,
with `makemigrations events`: the database checks the column against this list.
"""

from __future__ import annotations

from django.db import models


class EventType(models.TextChoices):
    REPORT_SUBMITTED = "report.submitted"
    REPORT_APPROVED = "report.approved"
    REPORT_RETURNED = "report.returned"
    TASK_ASSIGNED = "task.assigned"
    FINDING_RECORDED = "finding.recorded"
    IMPORT_FINISHED = "import.finished"
    PERMIT_WARNINGS_DUE = "permit_warnings.due"
    UNUSUAL_ACCESS_DETECTED = "unusual_access.detected"
    MEMBERSHIP_GRANTED = "membership.granted"
