"""Each rule once: for every model users read, `visible_to(user)` (the lists and the 404s) and
`can(user, "read", obj)` (the services' checks) answer the same for any persona and object."""

from __future__ import annotations

import datetime
import io
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from silahap.accounts import access
from silahap.reports import services as reports
from silahap.reports.models import Activity, Check, DailyReport, Evidence, Finding
from silahap.supervision import services
from silahap.supervision.models import FollowUp, FollowUpStep, Task, Warrant
from silahap.supervision.tests.helpers import (
    DAY,
    WIB,
    WITA,
    at,
    field_activity,
    finding_for,
    person,
    place,
)
from silahap.testing.personas import USERNAMES

MODELS = [DailyReport, Activity, Check, Finding, Evidence, Warrant, Task, FollowUp, FollowUpStep]


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (120, 60, 30)).save(buffer, format="JPEG")
    return buffer.getvalue()


def build(people) -> None:
    """Records of two offices, each kind reachable by some personas and not by others."""
    finding = finding_for(
        by=people.officer_a,
        started_at=at(9, day=DAY, zone=WIB),
        at_place=place(by=people.officer_a),
    )
    reports.evidence_add(
        by=people.officer_a, client_id=uuid.uuid4(), activity=finding.activity, data=jpeg()
    )
    reports.report_submit(
        report=finding.activity.report, by=people.officer_a, now=at(17, day=DAY, zone=WIB)
    )
    other = field_activity(
        by=people.officer_b,
        started_at=at(10, day=DAY, zone=WITA),
        place=place(by=people.officer_b, name="Villa Kuta"),
    )
    reports.evidence_add(by=people.officer_b, client_id=uuid.uuid4(), activity=other, data=jpeg())
    reports.check_create(
        by=people.officer_b,
        client_id=uuid.uuid4(),
        activity=other,
        person=person(by=people.officer_b, name="Jane Doe", document="P7654321"),
        verification_method="physical_document",
        result="compliant",
    )
    case = services.followup_open(finding=finding, by=people.officer_a)
    services.followup_step_add(
        by=people.leader_a,
        followup=case,
        kind="summons",
        assignee=people.officer_a2,
        due_date=DAY + datetime.timedelta(days=3),
    )
    warrant = services.warrant_create(
        by=people.leader_a,
        unit=people.section_a,
        number="SP-09/INTEL/2025",
        issued_on=DAY,
        signer="Kepala Seksi Inteldakim",
        basis="Permenimipas 2/2025",
        targets="Hotel di Tangerang",
        period_start=DAY,
        period_end=DAY + datetime.timedelta(days=6),
        members=[people.officer_a],
    )
    services.task_create(
        by=people.leader_a,
        warrant=warrant,
        assignee=people.officer_a2,
        instructions="Periksa daftar tamu.",
        due_date=DAY + datetime.timedelta(days=1),
        target_area="Kecamatan Cikokol",
    )


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_visible_to_and_can_read_agree_for_every_persona_and_object(people, data):
    if not Warrant.objects.exists():
        build(people)
    model = data.draw(st.sampled_from(MODELS), label="model")
    pks = sorted(model.objects.values_list("pk", flat=True))
    assert pks, f"the data has no {model.__name__}"
    obj = model.objects.get(pk=data.draw(st.sampled_from(pks), label="object"))
    user = people.by_name(data.draw(st.sampled_from(USERNAMES), label="persona"))
    listed = model.objects.visible_to(user).filter(pk=obj.pk).exists()
    assert listed == access.can(user, "read", obj), (model.__name__, obj.pk, user.username)


@pytest.mark.django_db
def test_the_data_makes_both_answers_occur_for_every_model(people):
    build(people)
    for model in MODELS:
        answers = {
            access.can(people.by_name(name), "read", obj)
            for name in USERNAMES
            for obj in model.objects.all()
        }
        assert answers == {True, False}, model.__name__
