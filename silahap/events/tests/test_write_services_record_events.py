"""Every write service of reports, registry and supervision records its business event, so the
apps above (rollups, the API's feed, webhooks, operation results) hear every write without the
lower layers knowing them. An event carries ids and codes only, never personal data."""

from __future__ import annotations

import datetime
import json
import uuid

import pytest

from silahap.events import spine
from silahap.events.models import BusinessEvent
from silahap.events.types import EventType as E
from silahap.registry import services as registry
from silahap.reports import services as reports
from silahap.reports.tests.factories import DAY, at, field_activity, person, place, violation_type
from silahap.supervision import services as supervision
from silahap.supervision.models import StepKind
from silahap.testing.worker import run_queued


@pytest.fixture
def since():
    """The id after which this test's events start (personas are built once and committed)."""
    return BusinessEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def recorded(since: int) -> list[tuple[str, str, str]]:
    return list(
        BusinessEvent.objects.filter(id__gt=since)
        .order_by("id")
        .values_list("type", "object_type", "object_id")
    )


def test_the_day_of_an_officer_records_each_step(people, since):
    hotel = place(by=people.officer_a)
    activity = field_activity(by=people.officer_a, started_at=at(9), place=hotel)
    reports.activity_update(by=people.officer_a, activity=activity, conclusion="Tertib.")
    guest = person(by=people.officer_a, name="Maria Ortiz", document="P7654321")
    check = reports.check_create(
        by=people.officer_a,
        client_id=uuid.uuid4(),
        activity=activity,
        person=guest,
        verification_method="physical_document",
        result="finding",
    )
    finding = reports.finding_create(
        by=people.officer_a,
        client_id=uuid.uuid4(),
        activity=activity,
        check=check,
        violation_type=violation_type(),
        description="Izin tinggal habis.",
    )
    comment = reports.comment_create(
        by=people.leader_a, client_id=uuid.uuid4(), report=activity.report, body="Cek lagi."
    )
    report = reports.report_submit(report=activity.report, by=people.officer_a, now=at(17))
    reports.report_approve(report=report, by=people.leader_a)
    reports.report_revise(report=report, by=people.officer_a, reason="Jam salah.")

    events = recorded(since)
    assert [kind for kind, _type, _id in events] == [
        E.PLACE_CREATED,
        E.REPORT_OPENED,
        E.ACTIVITY_CREATED,
        E.ACTIVITY_UPDATED,
        E.PERSON_CREATED,
        E.CHECK_RECORDED,
        E.FINDING_RECORDED,
        E.COMMENT_POSTED,
        E.REPORT_SUBMITTED,
        E.REPORT_APPROVED,
        E.REPORT_CORRECTED,
    ]
    assert ("check.recorded", "reports.check", str(check.pk)) in events
    assert ("finding.recorded", "reports.finding", str(finding.pk)) in events
    assert ("comment.posted", "reports.comment", str(comment.pk)) in events
    unit_paths = set(
        BusinessEvent.objects.filter(id__gt=since, object_type__startswith="reports.").values_list(
            "unit_path", flat=True
        )
    )
    assert unit_paths == {activity.report.unit.path}
    payloads = json.dumps(list(BusinessEvent.objects.filter(id__gt=since).values("payload")))
    for personal in ("Maria", "P7654321", "Tertib"):
        assert personal not in payloads


def test_registry_writes_and_merges_are_recorded_with_a_tombstone(people, since):
    first = person(by=people.officer_a, name="Li Wei", document="E1111111")
    second = person(by=people.officer_a, name="Li Wei", document="E2222222")
    registry.person_update(by=people.officer_a, person=first, occupation="Engineer")
    registry.permit_add(
        by=people.officer_a,
        person=first,
        permit_type="ITAS",
        issued_on=DAY,
        valid_until=DAY + datetime.timedelta(days=365),
    )
    sponsor = registry.sponsor_create(
        by=people.officer_a,
        kind="corporation",
        name="PT Maju Jaya",
        identity_number="8120000000001",
    ).sponsor
    registry.person_merge(by=people.leader_a, survivor=first, merged=second)

    kinds = [kind for kind, _type, _id in recorded(since)]
    assert kinds == [
        E.PERSON_CREATED,
        E.PERSON_CREATED,
        E.PERSON_UPDATED,
        E.PERMIT_ADDED,
        E.SPONSOR_CREATED,
        E.PERSON_MERGED,
    ]
    merged = BusinessEvent.objects.get(id__gt=since, type=E.PERSON_MERGED)
    assert merged.object_id == str(second.pk)
    assert merged.payload["survivor"] == first.pk
    assert BusinessEvent.objects.get(id__gt=since, type=E.SPONSOR_CREATED).object_id == str(
        sponsor.pk
    )


def test_a_follow_up_records_its_steps_and_the_decided_action(people, since):
    activity = field_activity(
        by=people.officer_a, started_at=at(9), place=place(by=people.officer_a)
    )
    finding = reports.finding_create(
        by=people.officer_a,
        client_id=uuid.uuid4(),
        activity=activity,
        violation_type=violation_type(),
        person=person(by=people.officer_a),
        description="Bekerja tanpa izin.",
    )
    case = supervision.followup_open(finding=finding, by=people.officer_a)
    conference = supervision.followup_step_add(
        by=people.leader_a, followup=case, kind=StepKind.CASE_CONFERENCE
    )
    supervision.followup_step_update(
        by=people.leader_a, step=conference, status="done", decision_number="GK-1/2025"
    )
    action = supervision.followup_step_add(
        by=people.leader_a,
        followup=case,
        kind=StepKind.ADMINISTRATIVE_ACTION,
        action_kind="deportation",
    )
    supervision.followup_step_update(by=people.leader_a, step=action, notes="Tiket dipesan.")
    supervision.followup_step_update(
        by=people.leader_a, step=action, status="done", decision_number="TAK-9/2025"
    )
    supervision.followup_close(by=people.leader_a, followup=case)

    kinds = [kind for kind, _type, _id in recorded(since)]
    after_finding = kinds[kinds.index(E.FINDING_RECORDED) + 1 :]
    assert after_finding == [
        E.FOLLOWUP_OPENED,
        E.FOLLOWUP_STEP_ADDED,
        E.FOLLOWUP_STEP_DONE,
        E.FOLLOWUP_STEP_ADDED,
        E.FOLLOWUP_STEP_UPDATED,
        E.FOLLOWUP_STEP_DONE,
        E.TAK_DECIDED,
        E.FOLLOWUP_CLOSED,
    ]
    decided = BusinessEvent.objects.get(id__gt=since, type=E.TAK_DECIDED)
    assert decided.object_id == str(action.pk)
    assert decided.payload["action_kind"] == "deportation"
    assert decided.unit_path == case.unit.path


def test_an_event_nobody_hears_queues_no_job_and_the_sweep_still_numbers_it(
    people, since, django_capture_on_commit_callbacks, settings
):
    settings.SILAHAP_AUDIT_SEAL_ON_COMMIT = False  # the audit sealer's own after-commit call
    spine._subscribers.pop(E.PLACE_CREATED, None)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        place(by=people.officer_a, name="Apartemen Sunyi")
    assert callbacks == []
    event = BusinessEvent.objects.get(id__gt=since, type=E.PLACE_CREATED)
    spine.sweep(now=event.occurred_at + datetime.timedelta(hours=1))
    event.refresh_from_db()
    assert event.position is not None
    assert event.handled_at is not None
    assert run_queued() == 0
