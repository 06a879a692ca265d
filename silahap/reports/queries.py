"""Reads the field screens share: rule-encoding queries live here, not in views."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from silahap.accounts import access
from silahap.registry.models import ForeignNational, StayPermit
from silahap.reports.models import Activity, Check, DailyReport, Finding, ViolationType

# UU 6/2011 Pasal 78: under 60 days an overstay is charged; 60 days or more leads to deportation.
OVERSTAY_THRESHOLD_DAYS = 60


@dataclass(frozen=True)
class OverstayProposal:
    violation_type: ViolationType
    days: int
    permit: StayPermit
    valid_until: datetime.date  # the permit's last day (never empty here)


def overstay_proposal(person: ForeignNational, on: datetime.date) -> OverstayProposal | None:
    """Propose an overstay finding when the person's latest permit has expired."""
    permit = person.permits.exclude(valid_until__isnull=True).order_by("-valid_until").first()
    valid_until = permit.valid_until if permit is not None else None
    if permit is None or valid_until is None or valid_until >= on:
        return None
    days = (on - valid_until).days
    code = "overstay_gte_60" if days >= OVERSTAY_THRESHOLD_DAYS else "overstay_lt_60"
    violation_type = ViolationType.objects.filter(code=code, is_active=True).first()
    if violation_type is None:
        return None
    return OverstayProposal(
        violation_type=violation_type, days=days, permit=permit, valid_until=valid_until
    )


def activities_for_report(report: DailyReport):
    """A report's activities with what each card shows, in a fixed number of queries."""
    return (
        report.activities.select_related("place", "place__regency")
        .annotate(
            check_count=Count("checks", distinct=True),
            finding_count=Count("findings", distinct=True),
            # Checks saved offline whose identity read from a photo is not confirmed (#22).
            identity_pending_count=Count(
                "checks", filter=Q(checks__identity_pending=True), distinct=True
            ),
        )
        .order_by("started_at", "pk")
    )


def activity_with_details(queryset):
    return queryset.select_related(
        "report__officer", "report__unit", "place__regency"
    ).prefetch_related(
        Prefetch(
            "checks",
            queryset=Check.objects.select_related("person", "permit").prefetch_related(
                "person__documents", "person__permits"
            ),
        ),
        Prefetch(
            "findings",
            queryset=Finding.objects.select_related("violation_type", "person", "followup"),
        ),
        "evidence",
    )


def pending_reviews(user):
    """Submitted reports a leader decides on: their units and below, not their own.

    No annotation, so counting it is an index-only count over the partial index
    report_pending_by_unit (submitted reports of a unit), whatever the size of the history."""
    units = access.units_with_role(user, ["leader"])
    return DailyReport.objects.submitted().filter(access.subtree_q(units)).exclude(officer=user)


def _count_per_report(queryset, report_path: str):
    """A correlated count for one report, evaluated for the rows of the page only."""
    counted = (
        queryset.filter(**{report_path: OuterRef("pk")})
        .order_by()
        .values(report_path)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0, output_field=IntegerField())


# What the queue's lists show of a report and its officer: the rows are read for a page of up
# to 200 cards, and a whole report and account (texts, times, password hash) cost more to load
# than to show.
SHOWN_IN_QUEUE = (
    "report_date",
    "is_late",
    "revision_number",
    "submitted_at",
    "officer__username",
    "officer__full_name",
)


def review_queue_heads(user):
    """The review queue, oldest first, each report with its officer and its activities only:
    what the live board lists (one correlated count, not three, to build and to run)."""
    return (
        pending_reviews(user)
        .select_related("officer")
        .only(*SHOWN_IN_QUEUE)
        .annotate(activity_count=_count_per_report(Activity.objects.all(), "report"))
        .order_by("submitted_at", "pk")
    )


def review_queue(user):
    """The review queue, oldest first, each report with its activities, findings and overstays.

    The counts are correlated subqueries, computed for the rows of the page only (PostgreSQL
    evaluates them after the sort and LIMIT), not a GROUP BY over every submitted report."""
    findings = Finding.objects.all()
    return (
        review_queue_heads(user)
        .select_related("unit")
        .only(*SHOWN_IN_QUEUE, "unit__name")
        .annotate(
            # What a leader looks at first: how many suspected violations, and the overstays.
            finding_count=_count_per_report(findings, "activity__report"),
            overstay_count=_count_per_report(
                findings.filter(violation_type__code__startswith="overstay"), "activity__report"
            ),
        )
    )
