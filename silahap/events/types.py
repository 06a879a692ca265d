"""Every business event's name, in one place: what a write service records and subscribers hear.

Names are `<thing>.<past participle>`, the same words as the service that records them
(`report_submit` records `report.submitted`). Add a name here before recording or subscribing to it,
with `makemigrations events`: the database checks the column against this list.
"""

from __future__ import annotations

from django.db import models


class EventType(models.TextChoices):
    # reports: one officer's day
    REPORT_OPENED = "report.opened"
    REPORT_SUBMITTED = "report.submitted"
    REPORT_APPROVED = "report.approved"
    REPORT_RETURNED = "report.returned"
    REPORT_CORRECTED = "report.corrected"
    ACTIVITY_CREATED = "activity.created"
    ACTIVITY_UPDATED = "activity.updated"
    ACTIVITY_DELETED = "activity.deleted"
    CHECK_RECORDED = "check.recorded"
    CHECK_UPDATED = "check.updated"
    CHECK_DELETED = "check.deleted"
    FINDING_RECORDED = "finding.recorded"
    FINDING_UPDATED = "finding.updated"
    FINDING_DELETED = "finding.deleted"
    EVIDENCE_ADDED = "evidence.added"
    # The original of a photo sent as a display copy arrived and matched its declared SHA-256.
    EVIDENCE_ORIGINAL_VERIFIED = "evidence.original_verified"
    EVIDENCE_DELETED = "evidence.deleted"
    COMMENT_POSTED = "comment.posted"
    # registry: the national registry
    PERSON_CREATED = "person.created"
    PERSON_UPDATED = "person.updated"
    PERSON_MERGED = "person.merged"
    DOCUMENT_ADDED = "document.added"
    PERMIT_ADDED = "permit.added"
    PERMIT_UPDATED = "permit.updated"
    PLACE_CREATED = "place.created"
    PLACE_UPDATED = "place.updated"
    PLACE_MERGED = "place.merged"
    SPONSOR_CREATED = "sponsor.created"
    SPONSOR_UPDATED = "sponsor.updated"
    IMPORT_FINISHED = "import.finished"
    # supervision: a unit's work
    ABSENCE_RECORDED = "absence.recorded"
    WARRANT_CREATED = "warrant.created"
    TASK_ASSIGNED = "task.assigned"
    TASK_DONE = "task.done"
    FOLLOWUP_OPENED = "followup.opened"
    FOLLOWUP_STEP_ADDED = "followup_step.added"
    FOLLOWUP_STEP_UPDATED = "followup_step.updated"
    FOLLOWUP_STEP_DONE = "followup_step.done"
    TAK_DECIDED = "tak.decided"
    FOLLOWUP_CLOSED = "followup.closed"
    PERMIT_WARNINGS_DUE = "permit_warnings.due"
    # An office's report deadline of a working day has passed (the scheduler, once per office-day).
    DEADLINE_PASSED = "deadline.passed"
    # operations: Timpora teams and operations
    TEAM_CREATED = "team.created"
    TEAM_UPDATED = "team.updated"
    MEETING_RECORDED = "meeting.recorded"
    OPERATION_CREATED = "operation.created"
    OPERATION_UPDATED = "operation.updated"
    OPERATION_APPROVED = "operation.approved"
    OPERATION_STARTED = "operation.started"
    OPERATION_FINISHED = "operation.finished"
    OPERATION_REPORTED = "operation.reported"
    OPERATION_POSTPONED = "operation.postponed"
    OPERATION_CANCELLED = "operation.cancelled"
    OPERATION_ACTIVITY_LINKED = "operation_activity.linked"
    PARTNER_ACTION_RECORDED = "partner_action.recorded"
    # guidance: directions, SOPs, tutorials
    DIRECTION_SENT = "direction.sent"
    DIRECTION_ACKNOWLEDGED = "direction.acknowledged"
    DIRECTION_DONE = "direction.done"
    DIRECTION_REMINDED = "direction.reminded"
    SOP_PUBLISHED = "sop.published"
    SOP_ACKNOWLEDGED = "sop.acknowledged"
    TUTORIAL_PUBLISHED = "tutorial.published"
    TUTORIAL_COMPLETED = "tutorial.completed"
    TRAINING_REMINDED = "training.reminded"
    # accounts and audit
    MEMBERSHIP_GRANTED = "membership.granted"
    UNUSUAL_ACCESS_DETECTED = "unusual_access.detected"
    # insights: the leader's comment on a unit's monthly recap
    RECAP_COMMENT_SAVED = "recap_comment.saved"
    # integration: a webhook subscription the sender disabled after failing past its retries
    SUBSCRIPTION_DISABLED = "subscription.disabled"
