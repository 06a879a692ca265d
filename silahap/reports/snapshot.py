"""The frozen form of a report that each submit stores, and what changed between two of them."""

from __future__ import annotations

from typing import Any

from silahap.reports.models import Activity, DailyReport


def _activity(activity: Activity) -> dict[str, Any]:
    return {
        "id": activity.pk,
        "kind": activity.kind,
        "source": activity.source,
        "classification": activity.classification,
        "warrant_number": activity.warrant_number,
        "warrant_date": activity.warrant_date.isoformat() if activity.warrant_date else None,
        "warrant_to_follow": activity.warrant_to_follow,
        "started_at": activity.started_at.isoformat(),
        "ended_at": activity.ended_at.isoformat() if activity.ended_at else None,
        "place": {"id": activity.place_id, "name": activity.place.name} if activity.place else None,
        "latitude": str(activity.latitude) if activity.latitude is not None else None,
        "longitude": str(activity.longitude) if activity.longitude is not None else None,
        "description": activity.description,
        "conclusion": activity.conclusion,
        "recommendation": activity.recommendation,
        "checks": [
            {
                "person": {"id": check.person_id, "name": check.person.full_name},
                "permit": check.permit_id,
                "verification_method": check.verification_method,
                "activity_observed": check.activity_observed,
                "matches_permit": check.matches_permit,
                "result": check.result,
                "notes": check.notes,
            }
            for check in activity.checks.all()
        ],
        "findings": [
            {
                "violation_type": finding.violation_type.code,
                "person": finding.person_id,
                "description": finding.description,
                "overstay_days": finding.overstay_days,
            }
            for finding in activity.findings.all()
        ],
        "evidence": [item.sha256 for item in activity.evidence.all()],
    }


def report_snapshot(report: DailyReport) -> dict[str, Any]:
    activities = (
        report.activities.select_related("place")
        .prefetch_related("checks__person", "findings__violation_type", "evidence")
        .order_by("started_at", "pk")
    )
    return {
        "report_date": report.report_date.isoformat(),
        "officer": report.officer_id,
        "unit": report.unit_id,
        "activities": [_activity(activity) for activity in activities],
    }
