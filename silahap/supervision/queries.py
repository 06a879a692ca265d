"""Reads for the board, the lists and the scheduler: rule-encoding queries, not in views."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from silahap.accounts import access
from silahap.accounts.models import Membership, OrgUnit, User
from silahap.reports.models import Activity, DailyReport, ReportStatus
from silahap.supervision import workdays
from silahap.supervision.models import Absence, FollowUp, FollowUpStep, Task

FILED = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


def team_members(team: OrgUnit, on: datetime.date | None = None) -> list[User]:
    memberships = (
        Membership.objects.current(on)
        .filter(unit=team, role__in=[Membership.Role.OFFICER, Membership.Role.LEADER])
        .select_related("user")
    )
    return list({m.user_id: m.user for m in memberships if m.user.is_active}.values())


def leader_units(user) -> list[OrgUnit]:
    """The units whose board a user watches: where they lead, acting (Plh/Plt) included."""
    return access.units_with_role(user, [Membership.Role.LEADER])


def local_today_q(prefix: str = "report__") -> Q:
    """Rows of "today", where today is each office's own date (WIB, WITA and WIT differ).

    The dates also stand alone (`report_date IN (…)`, at most two days), so an index on a
    report's date bounds the scan to today's rows instead of a unit's or officer's history."""
    query = Q(pk__in=[])
    days: set[datetime.date] = set()
    now = timezone.now()
    for zone in OrgUnit.TimeZone:
        local_day = timezone.localtime(now, OrgUnit(timezone=zone.value).zone).date()
        days.add(local_day)
        query |= Q(
            **{f"{prefix}unit__office__timezone": zone.value, f"{prefix}report_date": local_day}
        )
    return Q(**{f"{prefix}report_date__in": sorted(days)}) & query


# ---------------------------------------------------------------------------- late and missing


@dataclass(frozen=True)
class Roster:
    """The officers of some units over a span of days, read once for the pages that ask several
    questions of them (the live board: today's states and the missing reports)."""

    start: datetime.date
    end: datetime.date
    # Officer memberships in force on any day of the span, by name, user and start.
    memberships: list[Membership]
    # Their absences touching the span or the day on either side (office zones differ).
    absences: dict[int, list[Absence]]
    # Holidays and collective leave from the day before the span to the day after.
    off: dict[datetime.date, str]

    def working(self, day: datetime.date) -> bool:
        return day.weekday() < 5 and day not in self.off

    def working_days(self, start: datetime.date, end: datetime.date) -> list[datetime.date]:
        span = (end - start).days + 1
        days = [start + datetime.timedelta(days=n) for n in range(max(span, 0))]
        return [day for day in days if self.working(day)]


def roster(units: list[OrgUnit], start: datetime.date, end: datetime.date) -> Roster:
    """Three queries: the officers' memberships, their absences, the holidays."""
    memberships = list(
        Membership.objects.filter(role=Membership.Role.OFFICER, user__is_active=True)
        .filter(access.subtree_q(units))
        .filter(start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .select_related("user", "unit__office")
        .order_by("user__full_name", "user_id", "start_date")
    )
    absences: dict[int, list[Absence]] = {}
    before, after = start - datetime.timedelta(days=1), end + datetime.timedelta(days=1)
    for absence in Absence.objects.filter(
        user_id__in={m.user_id for m in memberships}, start_date__lte=after, end_date__gte=before
    ):
        absences.setdefault(absence.user_id, []).append(absence)
    return Roster(start, end, memberships, absences, workdays.holidays_between(before, after))


@dataclass(frozen=True)
class MissingReport:
    officer: User
    unit: OrgUnit
    day: datetime.date
    deadline: datetime.datetime


def missing_reports(
    *,
    units: list[OrgUnit],
    start: datetime.date,
    end: datetime.date,
    now: datetime.datetime | None = None,
    given: Roster | None = None,
) -> list[MissingReport]:
    """Working days whose deadline has passed with no report filed by an officer on duty.

    Filed means submitted at least once (a returned report is being corrected, not missing);
    leave, sickness and duty travel (Absence) excuse the day. Four queries; one when given a
    roster of the units that covers start to end.
    """
    now = now or timezone.now()
    if not units:
        return []
    given = given or roster(units, start, end)
    days = given.working_days(start, end)
    if not days:
        return []
    memberships = given.memberships
    officer_ids = {m.user_id for m in memberships}
    filed = set(
        DailyReport.objects.filter(
            officer_id__in=officer_ids,
            report_date__gte=start,
            report_date__lte=end,
            first_submitted_at__isnull=False,
        )
        # Without the model's ordering, which would join the officers to sort pairs for a set.
        .order_by()
        .values_list("officer_id", "report_date")
    )
    absences = given.absences
    missing: dict[tuple[int, datetime.date], MissingReport] = {}
    for membership in memberships:
        for day in days:
            if day < membership.start_date or (membership.end_date and day > membership.end_date):
                continue
            key = (membership.user_id, day)
            if key in missing or key in filed:
                continue
            if any(a.start_date <= day <= a.end_date for a in absences.get(membership.user_id, [])):
                continue
            deadline = workdays.deadline(membership.unit, day)
            if now < deadline:
                continue
            missing[key] = MissingReport(
                officer=membership.user, unit=membership.unit, day=day, deadline=deadline
            )
    return sorted(missing.values(), key=lambda row: (row.day, str(row.officer)), reverse=False)


def late_reports(units: list[OrgUnit], start: datetime.date, end: datetime.date) -> QuerySet:
    """Reports first submitted after their office's deadline (judged at the first submit), with
    what the live board shows of them: the day and the officer's names."""
    return (
        DailyReport.objects.filter(access.subtree_q(units), is_late=True)
        .filter(report_date__gte=start, report_date__lte=end)
        .select_related("officer")
        .only("report_date", "officer__username", "officer__full_name")
        .order_by("-report_date", "officer__full_name")
    )


# ---------------------------------------------------------------------------- the live board


def todays_reports(user, units: list[OrgUnit]) -> list[int]:
    """Ids of today's reports in the units (and below) that the user may read: one query over
    the index on (unit, report_date), bounded by today's officers, not by history."""
    return list(
        DailyReport.objects.visible_to(user)
        .filter(access.subtree_q(units))
        .filter(local_today_q(prefix=""))
        .order_by()
        .values_list("pk", flat=True)
    )


# What a row of the board shows (supervision/templatetags/board_tables.py), and what deciding
# whether it may show a closed activity's details reads (reports/rules.py): the rest of an
# activity, its report, officer, unit and place costs more to load than the rows take to write.
BOARD_ROW_FIELDS = (
    "kind",
    "classification",
    "started_at",
    "latitude",
    "longitude",
    "report__officer__username",
    "report__officer__full_name",
    "report__unit__path",
    "place__name",
)


def board_activities(user, units: list[OrgUnit], after: int = 0, limit: int = 200) -> QuerySet:
    """Today's activities in the leader's units, newest first, from id `after` on; two queries.

    Today's reports are read first, so the activities come from the index on their report
    instead of a walk down the activity ids through older days."""
    return (
        Activity.objects.filter(report_id__in=todays_reports(user, units))
        .filter(pk__gt=after)
        .select_related("report__officer", "report__unit", "place")
        .only(*BOARD_ROW_FIELDS)
        .order_by("-pk")[:limit]
    )


def board_feed(units: list[OrgUnit], after: int, limit: int = 50) -> QuerySet:
    """Today's activities under the leader's `units` from id `after` on, newest first.

    One query. The units must be the leader's current ones, read in the same request (the
    poll reads them afresh, so a leadership that ended since the board was opened is a 403
    before this runs); no check of the leadership is repeated inside the query, which made
    every poll dearer to plan and to build."""
    todays = DailyReport.objects.filter(_paths_q([unit.path for unit in units], "unit__path"))
    return (
        Activity.objects.filter(report__in=todays.filter(local_today_q(prefix="")).values("pk"))
        .filter(pk__gt=after)
        .select_related("report__officer", "report__unit", "place")
        .only(*BOARD_ROW_FIELDS)
        .order_by("-pk")[:limit]
    )


def _paths_q(paths: list[str], field: str = "report__unit__path") -> Q:
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(**{f"{field}__startswith": path})
    return query


@dataclass
class OfficerDay:
    officer: User
    unit: OrgUnit
    report: DailyReport | None = None
    absence: Absence | None = None
    activity_count: int = 0
    deadline: datetime.datetime | None = None
    flags: list[str] = field(default_factory=list)

    @property
    def state(self) -> str:
        if self.report is not None and self.report.first_submitted_at is not None:
            return "filed"
        if self.absence is not None:
            return "absent"
        if self.deadline is not None and timezone.now() >= self.deadline:
            return "missing"
        return "not_yet"


def officers_today(units: list[OrgUnit], given: Roster | None = None) -> list[OfficerDay]:
    """Each officer in the units: today's report (in their office's zone), absence, activities.

    Four queries; one when given a roster of the units that covers today."""
    if not units:
        return []
    today = timezone.localdate()
    if given is None:
        given = roster(units, today, today)
    memberships = [
        m
        for m in given.memberships
        if m.start_date <= today and (m.end_date is None or m.end_date >= today)
    ]
    rows: dict[int, OfficerDay] = {}
    for membership in memberships:
        if membership.user_id not in rows:
            local = workdays.office_of(membership.unit).local_today()
            rows[membership.user_id] = OfficerDay(
                officer=membership.user,
                unit=membership.unit,
                deadline=workdays.deadline(membership.unit, local)
                if given.working(local)
                else None,
            )
    if not rows:
        return []
    reports = (
        DailyReport.objects.filter(officer_id__in=rows)
        .filter(local_today_q(prefix=""))
        # What an officer's row shows of the report: its state and badges (and the poll's).
        .only("officer_id", "status", "is_late", "first_submitted_at")
        .annotate(activity_count=Count("activities"))
    )
    for report in reports:
        rows[report.officer_id].report = report
        rows[report.officer_id].activity_count = report.activity_count
    for user_id, row in rows.items():
        local = workdays.office_of(row.unit).local_today()
        for absence in given.absences.get(user_id, []):
            if absence.start_date <= local <= absence.end_date:
                row.absence = absence
    return list(rows.values())


# ---------------------------------------------------------------------------- tasks


def tasks_for_officer(user, today: datetime.date | None = None) -> QuerySet:
    """The officer's tasks not yet done, soonest due first, with done and overdue computed."""
    today = today or timezone.localdate()
    return (
        Task.objects.assigned_to(user)
        .with_state(today)
        .filter(is_done=False)
        .select_related("warrant", "target_place", "target_person", "team")
        .order_by("due_date", "pk")
    )


# ---------------------------------------------------------------------------- follow-ups


def open_steps() -> QuerySet:
    return FollowUpStep.objects.filter(status=FollowUpStep.Status.OPEN)


def overdue_steps(user, units: list[OrgUnit], today: datetime.date | None = None) -> QuerySet:
    """Open follow-up steps past their due date, with what the live board shows of them."""
    today = today or timezone.localdate()
    return (
        open_steps()
        .filter(due_date__lt=today)
        .filter(followup__in=FollowUp.objects.visible_to(user))
        .filter(access.subtree_q(units, "followup__unit"))
        .select_related("assignee")
        .only("followup_id", "kind", "due_date", "assignee__username", "assignee__full_name")
        .order_by("due_date", "pk")
    )


def followup_list(
    user,
    *,
    status: str = "",
    kind: str = "",
    overdue: bool = False,
    unit: OrgUnit | None = None,
    today: datetime.date | None = None,
) -> QuerySet:
    """Follow-ups the user may see, filtered, with their step counts and next due date."""
    today = today or timezone.localdate()
    open_step = Q(steps__status=FollowUpStep.Status.OPEN)
    overdue_exists = Exists(open_steps().filter(followup=OuterRef("pk"), due_date__lt=today))
    queryset = (
        FollowUp.objects.visible_to(user)
        .select_related(
            "unit",
            "finding__violation_type",
            "finding__person",
            "finding__activity__report__officer",
        )
        .annotate(
            step_count=Count("steps", distinct=True),
            open_step_count=Count("steps", filter=open_step, distinct=True),
            next_due=Min("steps__due_date", filter=open_step),
            has_overdue=overdue_exists,
        )
        .order_by("-opened_at", "-pk")
    )
    if status:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(
            Exists(FollowUpStep.objects.filter(followup=OuterRef("pk"), kind=kind))
        )
    if overdue:
        queryset = queryset.filter(has_overdue=True)
    if unit is not None:
        queryset = queryset.filter(unit__path__startswith=unit.path)
    return queryset
