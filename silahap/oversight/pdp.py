"""What SiLAHAP holds about one person and every processing of it: the answer to a data subject's
request (UU 27/2022 Pasal 7 and 32: access to their data and to how it was processed)."""

from __future__ import annotations

import csv
import datetime
import io
import json
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from silahap.audit.models import AuditEvent
from silahap.registry.models import ForeignNational, StayPermit, TravelDocument
from silahap.reports.models import Check, Finding

COLUMNS = [
    "section",
    "when",
    "who",
    "who_nip",
    "what",
    "why",
    "target",
    "details",
    "ip_address",
]
# A spreadsheet runs a cell starting with these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class PersonDataExport:
    person: ForeignNational
    reference: str
    reason: str
    generated_at: datetime.datetime
    rows: list[dict[str, Any]] = field(default_factory=list)

    def filename(self, extension: str) -> str:
        safe = "".join(c if c.isalnum() else "-" for c in self.reference)[:40].strip("-")
        return f"pdp-{self.person.pk}-{safe or 'request'}.{extension}"

    def as_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
        writer.writeheader()
        for row in self.rows:
            writer.writerow({key: _cell(row.get(key, "")) for key in COLUMNS})
        return buffer.getvalue()

    def as_json(self) -> str:
        document = {
            "request": {
                "reference": self.reference,
                "reason": self.reason,
                "generated_at": _when(self.generated_at),
                "person_id": self.person.pk,
            },
            "rows": self.rows,
        }
        return json.dumps(document, ensure_ascii=False, indent=2, default=str)


def _cell(value: Any) -> str:
    if value is None or value == "":
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _when(moment: datetime.datetime | datetime.date | None) -> str:
    if moment is None:
        return ""
    if isinstance(moment, datetime.datetime):
        return timezone.localtime(moment).isoformat(timespec="seconds")
    return moment.isoformat()


def _who(user: Any) -> tuple[str, str]:
    if user is None:
        return "", ""
    return (user.full_name or user.get_username()), user.nip


def build(
    *, person: ForeignNational, reference: str, reason: str, now: datetime.datetime
) -> PersonDataExport:
    """The person's record, the checks and findings that name them, and every audit event
    about their record, documents, permits, checks and findings; in a bounded number of queries
    whatever their number."""
    export = PersonDataExport(person=person, reference=reference, reason=reason, generated_at=now)
    # Records merged into this one are the same person; their history is theirs too.
    person_ids = [person.pk, *person.merged_persons.values_list("pk", flat=True)]
    documents = list(TravelDocument.objects.filter(person_id__in=person_ids).order_by("pk"))
    permits = list(StayPermit.objects.filter(person_id__in=person_ids).order_by("pk"))
    checks = list(
        Check.objects.filter(person_id__in=person_ids)
        .select_related("activity__report__officer", "activity__place", "permit")
        .order_by("activity__started_at", "pk")
    )
    findings = list(
        Finding.objects.filter(person_id__in=person_ids)
        .select_related("activity__report__officer", "violation_type")
        .order_by("created_at", "pk")
    )
    # Closed (intelligence) activities show their details only to their author and the leaders
    # above (DESIGN.md §3), and UU 27/2022 Pasal 15 exempts them from the subject's rights: the
    # administrator sees that something is withheld, never what, who or where.
    rows: list[Check | Finding] = [*checks, *findings]
    withheld = [row for row in rows if row.activity.is_closed]
    checks = [check for check in checks if not check.activity.is_closed]
    findings = [finding for finding in findings if not finding.activity.is_closed]
    events = (
        AuditEvent.objects.about_persons(
            {
                ForeignNational._meta.label_lower: person_ids,
                TravelDocument._meta.label_lower: [d.pk for d in documents],
                StayPermit._meta.label_lower: [p.pk for p in permits],
                Check._meta.label_lower: [c.pk for c in checks],
                Finding._meta.label_lower: [f.pk for f in findings],
            }
        )
        .select_related("actor")
        .order_by("sequence")
    )
    export.rows.append(
        {
            "section": "record",
            "when": _when(person.created_at),
            "what": "person",
            "target": f"registry.foreignnational:{person.pk}",
            "details": {
                "full_name": person.full_name,
                "sex": person.sex,
                "birth_date": _when(person.birth_date),
                "birth_place": person.birth_place,
                "nationality": str(person.nationality),
                "occupation": person.occupation,
                "address": person.address,
            },
        }
    )
    for document in documents:
        export.rows.append(
            {
                "section": "record",
                "when": _when(document.created_at),
                "what": "travel_document",
                "target": f"registry.traveldocument:{document.pk}",
                "details": {
                    "kind": document.kind,
                    "number": document.number,
                    "issuing_country": str(document.issuing_country),
                    "expiry_date": _when(document.expiry_date),
                },
            }
        )
    for permit in permits:
        export.rows.append(
            {
                "section": "record",
                "when": _when(permit.created_at),
                "what": "stay_permit",
                "target": f"registry.staypermit:{permit.pk}",
                "details": {
                    "permit_type": permit.permit_type,
                    "number": permit.number,
                    "issued_on": _when(permit.issued_on),
                    "valid_until": _when(permit.valid_until),
                },
            }
        )
    for check in checks:
        who, nip = _who(check.activity.report.officer)
        export.rows.append(
            {
                "section": "check",
                "when": _when(check.activity.started_at),
                "who": who,
                "who_nip": nip,
                "what": check.result,
                "why": check.activity.source,
                "target": f"reports.check:{check.pk}",
                "details": {
                    "place": str(check.activity.place or ""),
                    "verification_method": check.verification_method,
                    "activity_observed": check.activity_observed,
                    "matches_permit": check.matches_permit,
                    "notes": check.notes,
                },
            }
        )
    for finding in findings:
        who, nip = _who(finding.activity.report.officer)
        export.rows.append(
            {
                "section": "finding",
                "when": _when(finding.created_at),
                "who": who,
                "who_nip": nip,
                "what": str(finding.violation_type),
                "why": finding.activity.source,
                "target": f"reports.finding:{finding.pk}",
                "details": {
                    "description": finding.description,
                    "overstay_days": finding.overstay_days,
                },
            }
        )
    for _row in withheld:
        export.rows.append(
            {
                "section": "withheld",
                "what": "closed_activity",
                "details": {"withheld": "closed (intelligence) activity; UU 27/2022 Pasal 15"},
            }
        )
    for event in events.iterator(chunk_size=2000):
        who, nip = _who(event.actor)
        export.rows.append(
            {
                "section": "processing",
                "when": _when(event.occurred_at),
                "who": who or event.actor_label,
                "who_nip": nip,
                "what": event.action,
                "why": event.purpose,
                "target": f"{event.object_type}:{event.object_id}",
                "details": event.summary,
                "ip_address": event.ip_address or "",
            }
        )
    return export
