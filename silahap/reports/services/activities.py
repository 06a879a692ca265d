"""Activities of a day: create (also at a new place), change, remove."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from silahap.accounts.models import User
from silahap.audit import services as audit
from silahap.events import spine
from silahap.events.types import EventType
from silahap.idempotency.once import derived_key, idempotent
from silahap.registry import services as registry
from silahap.registry import warnings
from silahap.registry.models import ForeignNational, Place
from silahap.reports.models import (
    Activity,
    Check,
    Comment,
    DailyReport,
    Evidence,
)
from silahap.reports.services.daily import (
    _editable,
    _editable_locked,
    _linked_elsewhere,
    _report_for_day,
    _still_there,
    local_date,
    reporting_unit,
)
from silahap.reports.services.findings import _followup_of, _remove_finding


def _point(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value)).quantize(Decimal("0.000001"))


ACTIVITY_FIELDS = (
    "kind",
    "source",
    "classification",
    "warrant_number",
    "warrant_date",
    "warrant_to_follow",
    "started_at",
    "ended_at",
    "place",
    "latitude",
    "longitude",
    "location_accuracy_m",
    "location_source",
    "description",
    "conclusion",
    "recommendation",
)


# What the database says when a constraint refuses an activity the form let through (the form
# and the service check these first; the database is the last word, and it is not asked twice).
ACTIVITY_CONSTRAINTS = {
    "activity_kind_valid": ("kind", gettext_lazy("Choose a kind of activity.")),
    "activity_source_valid": ("source", gettext_lazy("Choose where the activity came from.")),
    "activity_classification_valid": ("classification", gettext_lazy("Choose open or closed.")),
    "activity_ends_after_start": ("ended_at", gettext_lazy("The end cannot be before the start.")),
    "activity_point_valid": ("latitude", gettext_lazy("The location is not a point on the map.")),
    "activity_warrant_either_number_or_to_follow": (
        "warrant_number",
        gettext_lazy("Give a warrant number or mark the warrant to follow, not both."),
    ),
}


def _refused_by_constraint(error: IntegrityError, constraints: dict) -> ValidationError | None:
    """The ValidationError for a CHECK constraint named in a database error, or None (e.g. a
    unique key, which the idempotent decorator answers)."""
    text = str(error)
    for name, (field, message) in constraints.items():
        if name in text:
            return ValidationError({field: [str(message)]}, code=name)
    return None


# No lookup first: a repeated client_id is answered when the database refuses the key.
@idempotent(Activity, owner="report__officer", look_first=False)
@transaction.atomic(savepoint=False)
def activity_create(
    *,
    by: User,
    client_id: uuid.UUID,
    kind: str,
    source: str,
    started_at: datetime.datetime,
    classification: str = Activity.Classification.OPEN,
    ended_at: datetime.datetime | None = None,
    warrant_number: str = "",
    warrant_date: datetime.date | None = None,
    warrant_to_follow: bool = False,
    place: Place | None = None,
    latitude=None,
    longitude=None,
    location_accuracy_m: int | None = None,
    location_source: str = "none",
    description: str = "",
    conclusion: str = "",
    recommendation: str = "",
    then: Callable[[Activity], None] | None = None,
) -> Activity:
    """Add an activity to the report of the day it started; a repeated client_id finds the first.

    Lean on purpose (the officer's most frequent write): the report is found and locked in one
    query, the fields are checked in Python, and the database's constraints are asked once, by
    the INSERT itself, not probed one by one by full_clean(). `then(activity)` runs in the same
    transaction once the activity is saved (the form's extensions: a task or an operation it is
    linked to), so a refusal there undoes the activity, without a transaction of the caller's
    around this one (whose savepoint would cost two queries more)."""
    if ended_at is not None and ended_at < started_at:
        raise ValidationError({"ended_at": _("The end cannot be before the start.")})
    unit = reporting_unit(by)
    # The report it opens is named in this call's one audit event, not given an event of its own.
    report, report_opened = _report_for_day(
        officer=by, unit=unit, day=local_date(unit, started_at), lock=True
    )
    if report_opened:
        spine.record_about(
            report,
            type=EventType.REPORT_OPENED,
            by=by,
            unit=unit,
            payload={"date": report.report_date.isoformat()},
        )
    report = _editable_locked(report, by)
    activity = Activity(
        report=report,
        client_id=client_id,
        kind=kind,
        source=source,
        classification=classification,
        warrant_number="" if warrant_to_follow else warrant_number.strip(),
        warrant_date=None if warrant_to_follow else warrant_date,
        warrant_to_follow=warrant_to_follow,
        started_at=started_at,
        ended_at=ended_at,
        place=place,
        latitude=_point(latitude),
        longitude=_point(longitude),
        location_accuracy_m=location_accuracy_m,
        location_source=location_source,
        description=description.strip(),
        conclusion=conclusion.strip(),
        recommendation=recommendation.strip(),
    )
    # Field by field, without the database: choices, lengths, blanks (the FKs were read by the
    # caller: the report under its lock, the place through the form's visible_to).
    activity.clean_fields(exclude=["report", "place", "client_id"])
    try:
        activity.save(force_insert=True)
    except IntegrityError as error:
        refused = _refused_by_constraint(error, ACTIVITY_CONSTRAINTS)
        if refused is None:
            raise  # the client_id's unique key: the idempotent decorator answers it
        raise refused from error
    audit.record(
        action="activity.create",
        actor=by,
        target=activity,
        summary={
            "report": report.pk,
            "report_opened": report_opened,
            "kind": kind,
            "source": source,
        },
    )
    spine.record_about(
        activity,
        type=EventType.ACTIVITY_CREATED,
        by=by,
        unit=report.unit,
        payload={"report": report.pk, "kind": kind, "classification": classification},
    )
    if then is not None:
        then(activity)
    return activity


@transaction.atomic
def activity_update(*, by: User, activity: Activity, **changes) -> Activity:
    """Change an activity of an editable report; it stays on the report it was filed under."""
    unknown = set(changes) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"activity_update got unknown fields: {sorted(unknown)}")
    report = _editable(activity.report, by)
    if "started_at" in changes and local_date(report.unit, changes["started_at"]) != (
        report.report_date
    ):
        # An activity belongs to the report of the day it started (DESIGN.md §2).
        raise ValidationError(
            {"started_at": _("An activity cannot move to another day; add it to that day instead.")}
        )
    if changes.get("warrant_to_follow"):
        changes["warrant_number"], changes["warrant_date"] = "", None
    for point_field in ("latitude", "longitude"):
        if point_field in changes:
            changes[point_field] = _point(changes[point_field])
    for name, value in changes.items():
        setattr(activity, name, value.strip() if isinstance(value, str) else value)
    if activity.ended_at is not None and activity.ended_at < activity.started_at:
        raise ValidationError({"ended_at": _("The end cannot be before the start.")})
    activity.full_clean(exclude=["report"])
    activity.save()
    if "started_at" in changes:
        # Which check of a person is the latest (their office for the permit warnings) may change.
        warnings.refresh_warning_columns(ForeignNational.objects.filter(checks__activity=activity))
    audit.record(
        action="activity.update", actor=by, target=activity, summary={"fields": sorted(changes)}
    )
    spine.record_about(
        activity,
        type=EventType.ACTIVITY_UPDATED,
        by=by,
        unit=report.unit,
        payload={"report": report.pk, "fields": sorted(changes)},
    )
    return activity


@transaction.atomic
def activity_create_at_new_place(*, by: User, client_id: uuid.UUID, place: dict, **activity):
    """Create a place on the spot and the activity there, both or neither; a retry adds nothing."""
    existing = Activity.objects.filter(client_id=client_id).first()
    if existing is not None:
        return activity_create(by=by, client_id=client_id, **activity)

    # Its own key derived from the activity's: a concurrent resend finds this place, not a twin.
    new_place = registry.place_create(by=by, client_id=derived_key(client_id, "place"), **place)
    return activity_create(by=by, client_id=client_id, place=new_place, **activity)


@transaction.atomic
def activity_delete(*, by: User, activity: Activity) -> DailyReport:
    """Remove an activity with its checks, findings and photos; its comments move to the report."""
    report = _editable(activity.report, by)
    activity = _still_there(Activity, activity.pk)
    if activity is None:
        return report
    checks = list(activity.checks.values_list("pk", "person_id"))
    findings = list(activity.findings.select_related("violation_type"))
    photos = list(activity.evidence.all())
    audit.record(
        action="activity.delete",
        actor=by,
        target=activity,
        summary={
            "report": report.pk,
            "kind": activity.kind,
            "started_at": activity.started_at.isoformat(),
            "place": activity.place_id,
            "checks": [{"check": pk, "person": person} for pk, person in checks],
            "findings": [
                {
                    "finding": finding.pk,
                    "violation": finding.violation_type.code,
                    "followup": _followup_of(finding),
                }
                for finding in findings
            ],
            "evidence": [
                {"sha256": photo.sha256, "files": [photo.original.name, photo.display.name]}
                for photo in photos
            ],
        },
    )
    spine.record_about(
        activity,
        type=EventType.ACTIVITY_DELETED,
        by=by,
        unit=report.unit,
        payload={"report": report.pk, "kind": activity.kind},
    )
    try:
        with transaction.atomic():
            for finding in findings:
                _remove_finding(finding)
            Evidence.objects.filter(activity=activity).delete()
            Check.objects.filter(activity=activity).delete()
            # A leader's remark on the activity is kept, as a remark on the report.
            Comment.objects.filter(activity=activity).update(activity=None)
            activity.delete()
    except ProtectedError:
        raise _linked_elsewhere() from None
    warnings.refresh_warning_columns([person for _pk, person in checks])
    return report
