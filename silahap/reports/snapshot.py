"""The frozen form of a report that each submit stores, and what changed between two of them."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from silahap.reports.models import Activity, CheckResult, DailyReport


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


ACTIVITY_TEXT_FIELDS = {
    "kind": _("kind"),
    "source": _("source"),
    "classification": _("classification"),
    "warrant_number": _("warrant number"),
    "warrant_date": _("warrant date"),
    "started_at": _("start"),
    "ended_at": _("end"),
    "place": _("place"),
    "description": _("what was observed"),
    "conclusion": _("conclusion"),
    "recommendation": _("recommendation"),
}


def _local_time(iso: str) -> str:
    return timezone.localtime(datetime.datetime.fromisoformat(iso)).strftime("%H:%M")


def snapshot_changes(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """What changed between two revisions, activity by activity, for the reviewer."""
    before = {activity["id"]: activity for activity in old.get("activities", [])}
    after = {activity["id"]: activity for activity in new.get("activities", [])}
    changes: list[dict[str, Any]] = []
    for activity_id, activity in after.items():
        label = _local_time(activity["started_at"])
        if activity_id not in before:
            changes.append({"activity": label, "change": "added"})
            continue
        previous = before[activity_id]
        fields = [
            name
            for key, name in ACTIVITY_TEXT_FIELDS.items()
            if previous.get(key) != activity.get(key)
        ]
        if fields:
            changes.append({"activity": label, "change": "changed", "fields": fields})
        for key, name in PARTS.items():
            old_items, new_items = _parts(previous, key), _parts(activity, key)
            added = [item for item in new_items if item not in old_items]
            removed = [item for item in old_items if item not in new_items]
            if added or removed:
                changes.append(
                    {
                        "activity": label,
                        "change": "parts",
                        "part": name,
                        "added": added,
                        "removed": removed,
                    }
                )
    for activity_id, activity in before.items():
        if activity_id not in after:
            place = (activity.get("place") or {}).get("name", "")
            changes.append(
                {
                    "activity": _local_time(activity["started_at"]),
                    "change": "removed",
                    "place": place,
                    "checks": [check["person"]["name"] for check in activity.get("checks", [])],
                }
            )
    return changes


def _finding_label(finding: dict[str, Any]) -> str:
    label = finding["violation_type"]
    if finding.get("overstay_days") is not None:
        label += " · " + ngettext(
            "%(days)d day of overstay", "%(days)d days of overstay", finding["overstay_days"]
        ) % {"days": finding["overstay_days"]}
    description = (finding.get("description") or "").strip()
    if description:
        label += f" — {description[:80]}" + ("…" if len(description) > 80 else "")
    return label


# What a reviewer is told was added or removed under an activity, by a readable label each:
# the person's name for a check (with its result), the violation for a finding (with its days
# and description), the start of a photo's SHA-256 (the same hash the audit trail keeps for a
# removed photo).
PARTS = {
    "checks": _("foreigners checked"),
    "findings": _("findings"),
    "evidence": _("photos"),
}


def _parts(activity: dict[str, Any], key: str) -> list[str]:
    items = activity.get(key, [])
    if key == "checks":
        results = dict(CheckResult.choices)
        return [
            f"{check['person']['name']} ({results.get(check['result'], check['result'])})"
            for check in items
        ]
    if key == "findings":
        # The violation with what was said of it: a corrected finding shows as its old wording
        # removed and its new one added.
        return [_finding_label(finding) for finding in items]
    return [f"#{sha256[:12]}" for sha256 in items]
