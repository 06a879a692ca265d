"""The national roll-up at scale (issue 16, "Measured"): a national operation over N offices with
M checks, the roll-up page timed against the same queries replayed as raw SQL.

Built in bulk (bulk_create, not the services: this measures reading, not writing), inside a
transaction the caller rolls back. Reads only lower layers, like the rest of the app.
"""

from __future__ import annotations

import datetime
import random
import statistics
import time
import uuid

from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from silahap.accounts import services as accounts
from silahap.accounts.models import Membership, OrgUnit, User
from silahap.operations.models import Operation, OperationActivity, OperationTransition
from silahap.registry.models import ForeignNational, Place, Regency
from silahap.reports.models import Activity, Check, DailyReport, Finding, ViolationType
from silahap.supervision.models import FollowUp, FollowUpStep

NATIONALITIES = ["CN", "KR", "JP", "IN", "US", "AU", "MY", "SG", "NG", "RU", "FR", "DE"]
CHECKS_PER_ACTIVITY = 5
BATCH = 5000


def build(*, offices: int, checks: int, seed: int = 16) -> tuple[Operation, User]:
    """The organisation, the national operation and its records; returns (root, analyst)."""
    rng = random.Random(seed)
    now = timezone.now()
    stamp = uuid.uuid4().hex[:6]
    dg = OrgUnit.objects.filter(kind=OrgUnit.Kind.DIRECTORATE_GENERAL).first() or (
        accounts.orgunit_create(
            by=None, kind="directorate_general", code=f"B-DG-{stamp}", name="DG"
        )
    )
    regency = Regency.objects.order_by("code").first()
    regions = [
        accounts.orgunit_create(
            by=None, kind="regional_office", code=f"B-KW{n}-{stamp}", name=f"Kanwil {n}", parent=dg
        )
        for n in range(max(1, offices // 4))
    ]
    units = [
        accounts.orgunit_create(
            by=None,
            kind="immigration_office",
            code=f"B-KI{n}-{stamp}",
            name=f"Kanim {n:03d}",
            parent=regions[n % len(regions)],
            office_class="II",
            timezone_name="Asia/Jakarta",
            report_deadline=datetime.time(20, 0),
        )
        for n in range(offices)
    ]
    analyst = accounts.user_create(by=None, username=f"bench-{stamp}", full_name="B", password=None)
    accounts.membership_create(
        by=None, user=analyst, unit=dg, role="analyst", start_date=datetime.date(2024, 1, 1)
    )
    officers = User.objects.bulk_create(
        [User(username=f"bench-{stamp}-{n}", full_name=f"Petugas {n}") for n in range(offices)]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=user, unit=unit, role="officer", start_date=datetime.date(2024, 1, 1))
            for user, unit in zip(officers, units, strict=True)
        ]
    )
    root = Operation.objects.create(
        kind="national",
        number=f"JAG-{stamp}",
        name="Bench",
        unit=dg,
        starts_at=now - datetime.timedelta(days=2),
        ends_at=now + datetime.timedelta(days=1),
        created_by=analyst,
    )
    children = Operation.objects.bulk_create(
        [
            Operation(
                kind="national",
                number=f"JAG-{stamp}/{n}",
                name="Bench",
                unit=unit,
                parent=root,
                status="running",
                starts_at=root.starts_at,
                ends_at=root.ends_at,
                target_count=10,
                created_by=analyst,
            )
            for n, unit in enumerate(units)
        ]
    )
    OperationTransition.objects.bulk_create(
        [OperationTransition(operation=child, to_status="running") for child in children]
    )
    places = Place.objects.bulk_create(
        [
            Place(
                name=f"Tempat {n}", normalized_name=f"tempat {n}", kind="company", regency=regency
            )
            for n in range(offices * 8)
        ],
        batch_size=BATCH,
    )
    persons = ForeignNational.objects.bulk_create(
        [
            ForeignNational(
                full_name=f"Person {n}",
                normalized_name=f"person {n}",
                nationality=rng.choice(NATIONALITIES),
            )
            for n in range(checks // 2)
        ],
        batch_size=BATCH,
    )
    reports = DailyReport.objects.bulk_create(
        [
            DailyReport(officer=officer, unit=unit, report_date=now.date(), status="draft")
            for officer, unit in zip(officers, units, strict=True)
        ]
    )
    activity_count = max(1, checks // CHECKS_PER_ACTIVITY)
    chosen = [rng.randrange(offices) for _ in range(activity_count)]
    activities = Activity.objects.bulk_create(
        [
            Activity(
                report=reports[office],
                kind="field",
                source="national",
                started_at=now - datetime.timedelta(hours=rng.randint(1, 40)),
                place=places[office * 8 + rng.randrange(8)],
            )
            for office in chosen
        ],
        batch_size=BATCH,
    )
    OperationActivity.objects.bulk_create(
        [
            OperationActivity(operation=children[office], activity=activity, linked_by=analyst)
            for office, activity in zip(chosen, activities, strict=True)
        ],
        batch_size=BATCH,
    )
    rows = []
    for activity in activities:
        for person in rng.sample(persons, CHECKS_PER_ACTIVITY):
            rows.append(
                Check(
                    activity=activity,
                    person=person,
                    verification_method="physical_document",
                    result="compliant",
                )
            )
    Check.objects.bulk_create(rows, batch_size=BATCH)
    violation = ViolationType.objects.order_by("pk").first() or ViolationType.objects.create(
        code=f"bench-{stamp}", name="Bench", article="-"
    )
    findings = Finding.objects.bulk_create(
        [
            Finding(activity=activity, violation_type=violation, person=rng.choice(persons))
            for activity in activities[: len(activities) // 10]
        ],
        batch_size=BATCH,
    )
    followups = FollowUp.objects.bulk_create(
        [
            FollowUp(finding=finding, unit=finding.activity.report.unit, opened_by=analyst)
            for finding in findings
        ],
        batch_size=BATCH,
    )
    decided = followups[: len(followups) // 3]
    conferences = FollowUpStep.objects.bulk_create(
        [
            FollowUpStep(
                followup=followup,
                position=1,
                kind="case_conference",
                status="done",
                created_by=analyst,
            )
            for followup in decided
        ],
        batch_size=BATCH,
    )
    FollowUpStep.objects.bulk_create(
        [
            FollowUpStep(
                followup=followup,
                position=2,
                kind="administrative_action",
                action_kind=rng.choice(["deportation", "listing", "overstay_charge"]),
                status="done",
                basis_step=conference,
                created_by=analyst,
            )
            for followup, conference in zip(decided, conferences, strict=True)
        ],
        batch_size=BATCH,
    )
    return root, analyst


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) > 1 else samples[0]


def measure(root: Operation, analyst: User, *, runs: int = 20) -> dict:
    """p95 of the roll-up page and of its own queries replayed as raw SQL, in milliseconds."""
    client = Client()
    client.force_login(analyst)
    url = reverse("operations:national_rollup", args=[root.pk])
    client.get(url)  # warm: templates, session
    captured: list[tuple[str, tuple]] = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        response = client.get(url)
    assert response.status_code == 200
    page = []
    for _run in range(runs):
        started = time.perf_counter()
        client.get(url)
        page.append((time.perf_counter() - started) * 1000)
    raw = []
    for _run in range(runs):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql, params in captured:
                cursor.execute(sql, params)
                if cursor.description:
                    cursor.fetchall()
        raw.append((time.perf_counter() - started) * 1000)
    page_p95, raw_p95 = _p95(page), _p95(raw)
    return {
        "database": connection.vendor,
        "offices": root.children.count(),
        "checks": Check.objects.filter(activity__operation_link__operation__parent=root).count(),
        "queries": len(captured),
        "page_p95_ms": round(page_p95, 1),
        "raw_sql_p95_ms": round(raw_p95, 1),
        "budget_ms": round(1.5 * raw_p95 + 10, 1),
        "within_budget": page_p95 <= 1.5 * raw_p95 + 10,
    }
