"""Each database constraint of reports, broken on purpose with a direct ORM write.

The services refuse these rows first; the tests bypass them so that the database is shown to
refuse them too, whatever writes next (an import, the admin, a shell, a future service).
"""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction

from silahap.registry.models import ForeignNational
from silahap.reports.models import (
    Activity,
    Check,
    Comment,
    DailyReport,
    Evidence,
    ReportDecision,
    ReportRevision,
    ViolationType,
)
from silahap.testing.personas import Personas

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 3, 3)
NINE = datetime.datetime(2025, 3, 3, 2, 0, tzinfo=datetime.UTC)  # 09:00 WIB
SHA256 = "0" * 64
# What reports need to know about the seeded reference table (reports.queries, forms, imports).
VIOLATION_CODES = {
    "overstay_lt_60",
    "overstay_gte_60",
    "permit_misuse",
    "unauthorized_work",
    "no_document",
    "unreported_change",
    "illegal_entry",
    "sponsor_absent",
    "other",
}


@dataclass
class Rows:
    people: Personas
    report: DailyReport
    activity: Activity
    person: ForeignNational


@pytest.fixture
def rows(people) -> Rows:
    report = DailyReport.objects.create(
        officer=people.officer_a, unit=people.team_a, report_date=DAY
    )
    activity = Activity.objects.create(
        report=report, kind="field", source="patrol", started_at=NINE
    )
    person = ForeignNational.objects.create(full_name="Anna Schmidt", nationality="DE")
    return Rows(people, report, activity, person)


def _report(rows: Rows, **fields) -> DailyReport:
    values = {"officer": rows.people.officer_a2, "unit": rows.people.team_a, "report_date": DAY}
    return DailyReport.objects.create(**{**values, **fields})


def _activity(rows: Rows, **fields) -> Activity:
    values = {"report": rows.report, "kind": "field", "source": "patrol", "started_at": NINE}
    return Activity.objects.create(**{**values, **fields})


def _check(rows: Rows, **fields) -> Check:
    values = {
        "activity": rows.activity,
        "person": rows.person,
        "verification_method": "physical_document",
        "result": "compliant",
    }
    return Check.objects.create(**{**values, **fields})


def _revision(rows: Rows, **fields) -> ReportRevision:
    values = {
        "report": rows.report,
        "number": 1,
        "snapshot": {},
        "submitted_at": NINE,
        "submitted_by": rows.people.officer_a,
    }
    return ReportRevision.objects.create(**{**values, **fields})


def _evidence(rows: Rows, **fields) -> Evidence:
    values = {
        "activity": rows.activity,
        "original": "evidence/00/0",
        "sha256": SHA256,
        "content_type": "image/jpeg",
        "size_bytes": 1,
        "uploaded_by": rows.people.officer_a,
    }
    return Evidence.objects.create(**{**values, **fields})


def _decision(rows: Rows, **fields) -> ReportDecision:
    values = {
        "report": rows.report,
        "revision_number": 1,
        "outcome": "approved",
        "decided_by": rows.people.leader_a,
        "decided_at": NINE,
    }
    return ReportDecision.objects.create(**{**values, **fields})


def _comment(rows: Rows, **fields) -> Comment:
    values = {"report": rows.report, "author": rows.people.leader_a, "body": "Lengkapi foto."}
    return Comment.objects.create(**{**values, **fields})


def _second_decision_on_the_same_revision(rows: Rows) -> None:
    _decision(rows, outcome="returned", reason="Foto kurang.")
    _decision(rows)


def _second_report_same_day(rows: Rows) -> None:
    _report(rows, officer=rows.people.officer_a)


def _second_check_of_the_same_person(rows: Rows) -> None:
    _check(rows)
    _check(rows)


def _second_revision_with_the_same_number(rows: Rows) -> None:
    _revision(rows)
    _revision(rows)


VIOLATIONS: dict[str, tuple[type[models.Model], Callable[[Rows], object]]] = {
    "report_one_per_day": (DailyReport, _second_report_same_day),
    "report_status_valid": (DailyReport, lambda r: _report(r, status="pending")),
    "report_returned_has_reason": (
        DailyReport,
        lambda r: _report(r, status="returned", first_submitted_at=NINE, return_reason=""),
    ),
    "report_approved_has_decider": (
        DailyReport,
        lambda r: _report(r, status="approved", first_submitted_at=NINE, decided_at=NINE),
    ),
    "report_not_decided_by_author": (
        DailyReport,
        lambda r: _report(r, decided_by=r.people.officer_a2),
    ),
    "report_submitted_has_time": (DailyReport, lambda r: _report(r, status="submitted")),
    "revision_number_unique": (ReportRevision, _second_revision_with_the_same_number),
    "revision_number_positive": (ReportRevision, lambda r: _revision(r, number=0)),
    "activity_kind_valid": (Activity, lambda r: _activity(r, kind="desk")),
    "activity_source_valid": (Activity, lambda r: _activity(r, source="rumour")),
    "activity_classification_valid": (Activity, lambda r: _activity(r, classification="secret")),
    "activity_ends_after_start": (
        Activity,
        lambda r: _activity(r, ended_at=NINE - datetime.timedelta(minutes=1)),
    ),
    "activity_point_valid": (
        Activity,
        lambda r: _activity(r, latitude=Decimal("-6.2"), longitude=Decimal("180.5")),
    ),
    "activity_warrant_either_number_or_to_follow": (
        Activity,
        lambda r: _activity(r, warrant_number="SP-12/2025", warrant_to_follow=True),
    ),
    "check_person_once_per_activity": (Check, _second_check_of_the_same_person),
    "check_result_valid": (Check, lambda r: _check(r, result="arrested")),
    "check_verification_method_valid": (Check, lambda r: _check(r, verification_method="guess")),
    "evidence_sha256_format": (Evidence, lambda r: _evidence(r, sha256="ABC")),
    "evidence_flag_valid": (Evidence, lambda r: _evidence(r, flag="blurry")),
    "evidence_original_state_valid": (Evidence, lambda r: _evidence(r, original_state="lost")),
    "evidence_original_present_unless_pending": (
        Evidence,
        lambda r: _evidence(r, original="", original_state="verified"),
    ),
    "decision_once_per_revision": (ReportDecision, _second_decision_on_the_same_revision),
    "decision_outcome_valid": (ReportDecision, lambda r: _decision(r, outcome="pending")),
    "decision_return_has_reason": (
        ReportDecision,
        lambda r: _decision(r, outcome="returned", reason=""),
    ),
    "comment_not_empty": (Comment, lambda r: _comment(r, body="")),
}


def _names_the_constraint(error: IntegrityError, model: type[models.Model], name: str) -> bool:
    """Whether the error came from this constraint rather than another (NOT NULL, a foreign key)."""
    message = str(error)
    if name in message:
        return True
    constraint = next(c for c in model._meta.constraints if c.name == name)
    if isinstance(constraint, models.UniqueConstraint):
        # SQLite names the columns of a unique index, not the index.
        table = model._meta.db_table
        columns = [model._meta.get_field(field).column for field in constraint.fields]
        return ", ".join(f"{table}.{column}" for column in columns) in message
    return False


def test_every_reports_constraint_has_a_case():
    declared = {
        constraint.name
        for model in apps.get_app_config("reports").get_models()
        for constraint in model._meta.constraints
    }
    assert declared == set(VIOLATIONS)


@pytest.mark.parametrize("name", sorted(VIOLATIONS))
def test_database_rejects_a_row_that_breaks(rows, name):
    model, write = VIOLATIONS[name]
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        write(rows)
    assert _names_the_constraint(caught.value, model, name), str(caught.value)


def test_reports_in_every_state_are_accepted_when_well_formed(rows):
    next_day = datetime.timedelta(days=1)
    _report(rows, status="draft", report_date=DAY)
    _report(rows, status="submitted", first_submitted_at=NINE, report_date=DAY + next_day)
    _report(
        rows,
        status="returned",
        first_submitted_at=NINE,
        return_reason="Foto kegiatan belum dilampirkan.",
        report_date=DAY + 2 * next_day,
    )
    _report(
        rows,
        status="approved",
        first_submitted_at=NINE,
        decided_by=rows.people.leader_a,
        decided_at=NINE,
        report_date=DAY + 3 * next_day,
    )
    assert DailyReport.objects.filter(officer=rows.people.officer_a2).count() == 4


def test_revisions_numbered_from_one_are_accepted(rows):
    _revision(rows, number=1)
    _revision(rows, number=2)


def test_activities_with_a_warrant_or_one_to_follow_are_accepted(rows):
    _activity(rows, ended_at=NINE, warrant_number="SP-12/2025", classification="closed")
    _activity(rows, warrant_to_follow=True, kind="administrative", source="intelligence")
    _activity(rows, latitude=Decimal("-90"), longitude=Decimal("180"))


def test_activity_point_needs_both_coordinates_or_neither(rows):
    with pytest.raises(IntegrityError), transaction.atomic():
        _activity(rows, latitude=Decimal("-6.2"))


def test_the_same_person_checked_in_two_activities_is_accepted(rows):
    _check(rows)
    _check(rows, activity=_activity(rows), result="finding", verification_method="permit_qr")


def test_evidence_with_a_lowercase_sha256_and_any_known_flag_is_accepted(rows):
    for flag in ("none", "time", "place", "time_place", "no_metadata"):
        _evidence(rows, sha256="ab" * 32, flag=flag)


def test_evidence_whose_original_is_pending_may_lack_its_file(rows):
    _evidence(rows, original="", original_state="pending")
    _evidence(rows, original="evidence/00/1", original_state="verified")


def test_decisions_on_successive_revisions_are_accepted(rows):
    _decision(rows, revision_number=1, outcome="returned", reason="Lokasi belum sesuai.")
    _decision(rows, revision_number=2, outcome="approved")


def test_comments_on_a_report_and_on_an_activity_are_accepted(rows):
    _comment(rows)
    _comment(rows, activity=rows.activity, author=rows.people.officer_a, body="Sudah dilengkapi.")


def _seed_violation_types() -> None:
    # Run the migration's own function: a transactional test elsewhere in the session flushes
    # the tables, taking the rows the migration wrote with them.
    migration = importlib.import_module("silahap.reports.migrations.0002_violation_types")
    migration.seed_violation_types(apps, schema_editor=None)


def test_violation_types_are_seeded_with_the_codes_services_rely_on():
    _seed_violation_types()
    seeded = ViolationType.objects.filter(is_active=True)
    assert set(seeded.values_list("code", flat=True)) == VIOLATION_CODES
    assert all(row.article.startswith("UU 6/2011 Pasal ") for row in seeded)
    assert list(seeded.values_list("code", flat=True))[-1] == "other"


def test_seeding_violation_types_again_changes_nothing():
    _seed_violation_types()
    before = list(ViolationType.objects.order_by("code").values())
    _seed_violation_types()
    assert list(ViolationType.objects.order_by("code").values()) == before
