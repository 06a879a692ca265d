"""Keep the rollups current: each write event rebuilds the officer-days it touched.

Rebuilding a whole officer-day (one report) from the reports, rather than adding +1 or -1, makes
a replayed, late or out-of-order event harmless and keeps every row equal to a from-scratch
count. Each subscriber runs once per event after the write's commit (silahap.events.spine).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Q

from silahap.accounts.models import Membership, OrgUnit
from silahap.events import spine
from silahap.events.models import BusinessEvent
from silahap.events.types import EventType
from silahap.insights import rollups
from silahap.insights.models import DailyValue
from silahap.reports.models import Activity, Check, DailyReport, Evidence, Finding
from silahap.supervision.models import Absence, FollowUp, FollowUpStep

# How to reach the report from each object an event names.
REPORT_OF = {
    "reports.dailyreport": (DailyReport, "pk"),
    "reports.activity": (Activity, "report_id"),
    "reports.check": (Check, "activity__report_id"),
    "reports.finding": (Finding, "activity__report_id"),
    "reports.evidence": (Evidence, "activity__report_id"),
    "supervision.followup": (FollowUp, "finding__activity__report_id"),
    "supervision.followupstep": (FollowUpStep, "followup__finding__activity__report_id"),
}

REPORT_EVENTS = [
    EventType.REPORT_SUBMITTED,
    EventType.REPORT_APPROVED,
    EventType.REPORT_RETURNED,
    EventType.REPORT_CORRECTED,
    EventType.ACTIVITY_CREATED,
    EventType.ACTIVITY_UPDATED,
    EventType.ACTIVITY_DELETED,
    EventType.CHECK_RECORDED,
    EventType.CHECK_UPDATED,
    EventType.CHECK_DELETED,
    EventType.FINDING_RECORDED,
    EventType.FINDING_UPDATED,
    EventType.FINDING_DELETED,
    EventType.EVIDENCE_ADDED,
    EventType.EVIDENCE_DELETED,
    EventType.FOLLOWUP_OPENED,
    EventType.FOLLOWUP_CLOSED,
    EventType.FOLLOWUP_STEP_ADDED,
    EventType.FOLLOWUP_STEP_UPDATED,
    EventType.FOLLOWUP_STEP_DONE,
    EventType.TAK_DECIDED,
]


def _ints(*candidates) -> set[int]:
    found = set()
    for value in candidates:
        try:
            found.add(int(value))
        except (TypeError, ValueError):
            continue
    return found


def reports_of(*events: BusinessEvent) -> set[int]:
    """The reports events concern: through their objects, or their payloads once the objects
    are gone (one query per kind of object, however many events)."""
    found: set[int] = set()
    objects: dict[str, set[int]] = defaultdict(set)
    activities: set[int] = set()
    for event in events:
        payload = event.payload or {}
        found |= _ints(payload.get("report"), payload.get("report_id"))
        if event.object_type in REPORT_OF:
            objects[event.object_type] |= _ints(event.object_id)
        activities |= _ints(payload.get("activity"), payload.get("activity_id"))
    for object_type, object_ids in objects.items():
        if object_ids:
            model, path = REPORT_OF[object_type]
            found |= set(
                model._default_manager.filter(pk__in=object_ids).values_list(path, flat=True)
            )
    if activities:
        found |= set(Activity.objects.filter(pk__in=activities).values_list("report_id", flat=True))
    found.discard(None)
    return found


def refresh_for(event: BusinessEvent) -> None:
    rollups.refresh_reports(reports_of(event))


def refresh_for_many(events: list[BusinessEvent]) -> None:
    """A drain's batch: each officer-day the events touched, rebuilt once."""
    rollups.refresh_reports(reports_of(*events))


for _event_type in REPORT_EVENTS:
    spine.subscribe(_event_type, name=f"insights.rollup.{_event_type}", many=refresh_for_many)(
        refresh_for
    )


def _merged_ids(event: BusinessEvent) -> set[int]:
    payload = event.payload or {}
    return _ints(
        event.object_id, *[value for value in payload.values() if not isinstance(value, dict)]
    )


@spine.subscribe(EventType.PERSON_MERGED, name="insights.rollup.person_merged")
def person_merged(event: BusinessEvent) -> None:
    """Checks moved to the surviving person: distinct persons must count them once."""
    ids = _merged_ids(event)
    reports = set(
        Check.objects.filter(person_id__in=ids).values_list("activity__report_id", flat=True)
    )
    reports |= _reports_with_values("person", ids)
    rollups.refresh_reports(reports)


@spine.subscribe(EventType.PLACE_MERGED, name="insights.rollup.place_merged")
def place_merged(event: BusinessEvent) -> None:
    ids = _merged_ids(event)
    reports = set(Activity.objects.filter(place_id__in=ids).values_list("report_id", flat=True))
    reports |= _reports_with_values("place", ids)
    rollups.refresh_reports(reports)


def _reports_with_values(kind: str, ids: set[int]) -> set[int]:
    pairs = set(
        DailyValue.objects.filter(kind=kind, value__in=ids).values_list("officer_id", "day")
    )
    if not pairs:
        return set()
    query = Q(pk__in=[])
    for officer_id, day in pairs:
        query |= Q(officer_id=officer_id, report_date=day)
    return set(DailyReport.objects.filter(query).values_list("pk", flat=True))


@spine.subscribe(EventType.ABSENCE_RECORDED, name="insights.rollup.absence_recorded")
def absence_recorded(event: BusinessEvent) -> None:
    """Leave, sickness or duty travel excuses days that may have been counted missing."""
    absence = Absence.objects.filter(pk=event.object_id).first()
    if absence is None:
        return
    refresh_missing_of(absence.user_id, absence.start_date, absence.end_date)


def refresh_missing_of(officer_id: int, start: datetime.date, end: datetime.date) -> None:
    units = list(
        OrgUnit.objects.filter(
            pk__in=Membership.objects.filter(user_id=officer_id, role=Membership.Role.OFFICER)
            .filter(start_date__lte=end)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
            .values("unit_id")
        )
    )
    if units:
        rollups.refresh_missing(units=units, start=start, end=end, officer_ids=[officer_id])


# How far back a deadline's refresh looks: a scheduler that was down for a few days (it only
# catches up on the current day) leaves no missing day uncounted once it runs again.
DEADLINE_LOOKBACK_DAYS = 7


@spine.subscribe(EventType.DEADLINE_PASSED, name="insights.rollup.deadline_passed")
def deadline_passed(event: BusinessEvent) -> None:
    """An office's deadline passed: the reports not filed by then become missing in the rollups."""
    office = OrgUnit.objects.filter(pk__in=_ints(event.object_id)).first()
    try:
        day = datetime.date.fromisoformat((event.payload or {}).get("day", ""))
    except (TypeError, ValueError):
        return
    if office is None:
        return
    start = day - datetime.timedelta(days=DEADLINE_LOOKBACK_DAYS)
    rollups.refresh_missing(units=[office], start=start, end=day)
