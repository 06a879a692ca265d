"""What is due each minute: django-tasks has no periodic tasks, so `run_scheduler` calls tick().

Each job is enqueued once, keyed in SchedulerMark, so a restart, a late start (it catches up on
the same day) or a second scheduler enqueues nothing twice; delivery itself is also once per
(kind, object, day).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from silahap.accounts.models import OrgUnit
from silahap.events import spine
from silahap.events.types import EventType
from silahap.supervision import tasks, workdays
from silahap.supervision.models import SchedulerMark

KEEP_MARKS_DAYS = 14
# Local hour at which each office's leaders hear of expiring permits and overstays: the start of
# the working day, so the list is read before the field teams go out.
PERMIT_WARNINGS_HOUR = 7
# The kinds of mark an office's day can hold: "<kind>:<office>:<day>".
MARK_KINDS = ("missing:officer", "missing:leader", "deadline", "followup", "permit-warnings")


def _once(key: str, job, *args, marked: frozenset[str] = frozenset()) -> bool:
    """Enqueue `job` unless `key` is marked: by the marks read at the start of the tick, or by
    the unique key when another scheduler marked it since."""
    if key in marked:
        return False
    try:
        with transaction.atomic():
            SchedulerMark.objects.create(key=key)
            transaction.on_commit(lambda: job.enqueue(*args))
    except IntegrityError:
        return False
    return True


def _deadline_passed(office: OrgUnit, day: datetime.date, marked: frozenset[str]) -> bool:
    """Record, once per office and working day, that its report deadline has passed.

    The passing of a deadline is not anybody's write, yet it makes reports missing: readers that
    count them (insights' rollups) subscribe to this event instead of recounting every day."""
    if f"deadline:{office.pk}:{day}" in marked:
        return False
    try:
        with transaction.atomic():
            SchedulerMark.objects.create(key=f"deadline:{office.pk}:{day}")
            spine.record_about(
                office,
                type=EventType.DEADLINE_PASSED,
                unit=office,
                payload={"day": day.isoformat()},
            )
    except IntegrityError:
        return False
    return True


def tick(now: datetime.datetime | None = None) -> list[str]:
    """Enqueue what is due at `now` in each office's own zone; returns the keys enqueued."""
    now = now or timezone.now()
    escalation = datetime.timedelta(minutes=settings.SILAHAP_MISSING_ESCALATION_MINUTES)
    working: dict[datetime.date, bool] = {}
    enqueued = []
    # The office's deadline settings are its own (an office is its own `office`).
    offices = list(
        OrgUnit.objects.filter(kind=OrgUnit.Kind.IMMIGRATION_OFFICE, is_active=True)
        .select_related("office")
        .order_by("pk")
    )
    # The marks of each office's day, read at once: a minute in which nothing new is due (nearly
    # every minute) then writes nothing, where trying each key and failing on the unique index
    # cost ~7 statements per office a minute in each scheduler, and an ERROR line per key in the
    # database's log.
    local_times = {office.pk: timezone.localtime(now, office.zone) for office in offices}
    marked = frozenset(
        SchedulerMark.objects.filter(
            key__in=[
                f"{kind}:{pk}:{local.date()}"
                for pk, local in local_times.items()
                for kind in MARK_KINDS
            ]
        ).values_list("key", flat=True)
    )
    for office in offices:
        local = local_times[office.pk]
        day = local.date()
        if day not in working:
            working[day] = workdays.is_working_day(day)
        if not working[day]:
            continue
        deadline = workdays.deadline(office, day)
        jobs = []
        if now >= deadline:
            jobs.append(
                (f"missing:officer:{office.pk}:{day}", tasks.notify_missing_reports, "officer")
            )
        if now >= deadline + escalation:
            jobs.append(
                (f"missing:leader:{office.pk}:{day}", tasks.notify_missing_reports, "leader")
            )
        for key, job, stage in jobs:
            if _once(key, job, office.pk, day.isoformat(), stage, marked=marked):
                enqueued.append(key)
        if now >= deadline and _deadline_passed(office, day, marked):
            enqueued.append(f"deadline:{office.pk}:{day}")
        if local.hour >= settings.SILAHAP_FOLLOWUP_REMINDER_HOUR:
            key = f"followup:{office.pk}:{day}"
            if _once(key, tasks.notify_followup_steps, office.pk, day.isoformat(), marked=marked):
                enqueued.append(key)
        if local.hour >= PERMIT_WARNINGS_HOUR:
            key = f"permit-warnings:{office.pk}:{day}"
            if _once(key, tasks.notify_permit_warnings, office.pk, day.isoformat(), marked=marked):
                enqueued.append(key)
    SchedulerMark.objects.filter(
        created_at__lt=now - datetime.timedelta(days=KEEP_MARKS_DAYS)
    ).delete()
    return enqueued
