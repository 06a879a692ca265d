"""Follow-ups: opened once per finding, ordered steps, TAK only on a case conference's decision."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from silahap.events import spine
from silahap.events.models import BusinessEvent, Delivery
from silahap.supervision import queries, services
from silahap.supervision.models import FollowUp, FollowUpStep
from silahap.supervision.tests.helpers import DAY, WIB, WITA, at, audit_records, finding_for, place

pytestmark = pytest.mark.django_db
Kind = FollowUpStep.Kind


@pytest.fixture
def finding(people):
    return finding_for(
        by=people.officer_a,
        started_at=at(9, day=DAY, zone=WIB),
        at_place=place(by=people.officer_a),
    )


@pytest.fixture
def case(people, finding):
    return services.followup_open(finding=finding, by=people.officer_a)


def step(people, case, kind, **extra):
    return services.followup_step_add(by=people.leader_a, followup=case, kind=kind, **extra)


def test_a_finding_opens_one_follow_up_however_often_it_is_asked(people, finding):
    with audit_records("followup.open"):
        first = services.followup_open(finding=finding, by=people.officer_a)
    with audit_records():
        again = services.followup_open(finding=finding, by=people.leader_a)
    assert first == again
    assert FollowUp.objects.count() == 1
    assert first.unit == people.team_a


def test_a_recorded_finding_opens_its_follow_up_through_the_event_spine(
    people, finding, django_capture_on_commit_callbacks
):
    event = BusinessEvent.objects.get(type="finding.recorded", object_id=str(finding.pk))
    assert event.actor_id == people.officer_a.pk
    assert not FollowUp.objects.exists()  # not inside the finding's own transaction
    assert spine.dispatch(event.pk) == len(spine.subscribers(event.type))
    assert Delivery.objects.get(event=event, subscriber="supervision.open_followup").done_at
    case = FollowUp.objects.get(finding=finding)
    assert (case.opened_by, case.unit) == (people.officer_a, people.team_a)
    assert spine.dispatch(event.pk) == 0
    assert FollowUp.objects.count() == 1


def test_other_units_cannot_open_a_follow_up(people, finding):
    for outsider in (people.leader_b, people.officer_a2):
        with pytest.raises(PermissionDenied):
            services.followup_open(finding=finding, by=outsider)


def test_steps_are_numbered_in_order(people, case):
    with audit_records("followup.step_add", "followup.step_add"):
        first = step(people, case, Kind.GUIDANCE, assignee=people.officer_a)
        second = step(people, case, Kind.SUMMONS, due_date=DAY)
    assert (first.position, second.position) == (1, 2)


def test_an_administrative_action_needs_a_recorded_case_conference_decision(people, case):
    with pytest.raises(ValidationError) as error:
        step(people, case, Kind.ADMINISTRATIVE_ACTION, action_kind="deportation")
    assert "kind" in error.value.message_dict
    conference = step(people, case, Kind.CASE_CONFERENCE)
    with pytest.raises(ValidationError):  # held but not yet decided
        step(people, case, Kind.ADMINISTRATIVE_ACTION, action_kind="deportation")
    with pytest.raises(ValidationError):  # done needs the decision's number
        services.followup_step_update(by=people.leader_a, step=conference, status="done")
    services.followup_step_update(
        by=people.leader_a, step=conference, status="done", decision_number="GK-7/2025"
    )
    action = step(people, case, Kind.ADMINISTRATIVE_ACTION, action_kind="deportation")
    assert action.basis_step == conference


def test_an_administrative_action_must_say_which_of_the_six(people, case):
    conference = step(people, case, Kind.CASE_CONFERENCE)
    services.followup_step_update(
        by=people.leader_a, step=conference, status="done", decision_number="GK-8"
    )
    with pytest.raises(ValidationError):
        step(people, case, Kind.ADMINISTRATIVE_ACTION)
    with pytest.raises(ValidationError):
        step(people, case, Kind.SUMMONS, action_kind="deportation")


def test_the_database_refuses_a_tak_without_a_case_conference(people, case):
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUpStep.objects.create(
            followup=case,
            position=9,
            kind=Kind.ADMINISTRATIVE_ACTION,
            action_kind="deportation",
            created_by=people.leader_a,
        )


def test_only_leaders_add_steps_and_the_assignee_may_update_theirs(people, case):
    with pytest.raises(PermissionDenied):
        services.followup_step_add(by=people.officer_a, followup=case, kind=Kind.GUIDANCE)
    own = step(people, case, Kind.SUMMONS, assignee=people.officer_a)
    services.followup_step_update(by=people.officer_a, step=own, notes="Surat panggilan dikirim.")
    with pytest.raises(PermissionDenied):
        services.followup_step_update(by=people.officer_a2, step=own, notes="x")


def test_a_case_closes_only_when_no_step_is_open(people, case):
    guidance = step(people, case, Kind.GUIDANCE)
    with pytest.raises(ValidationError):
        services.followup_close(by=people.leader_a, followup=case)
    services.followup_step_update(by=people.leader_a, step=guidance, status="done")
    with audit_records("followup.close"):
        assert services.followup_close(by=people.leader_a, followup=case).status == "closed"


def test_the_list_filters_by_status_kind_overdue_and_unit(people, case):
    other = services.followup_open(
        finding=finding_for(
            by=people.officer_b,
            started_at=at(9, day=DAY, zone=WITA),
            at_place=place(by=people.officer_b),
        ),
        by=people.officer_b,
    )
    step(people, case, Kind.SUMMONS, due_date=DAY)
    later = DAY + datetime.timedelta(days=3)
    ids = lambda user, **f: [c.pk for c in queries.followup_list(user, today=later, **f)]  # noqa: E731
    assert ids(people.leader_a) == [case.pk]
    assert ids(people.leader_b) == [other.pk]
    assert ids(people.analyst_national, overdue=True) == [case.pk]
    assert ids(people.leader_a, kind=Kind.SUMMONS) == [case.pk]
    assert ids(people.leader_a, kind=Kind.REFERRAL) == []
    assert ids(people.leader_a, status="closed") == []
    assert ids(people.head_a, unit=people.section_b) == []


def test_lists_cost_a_fixed_number_of_queries(client, people, case, django_assert_max_num_queries):
    for number in range(5):
        services.followup_open(
            finding=finding_for(
                by=people.officer_a,
                started_at=at(10 + number, day=DAY, zone=WIB),
                at_place=place(by=people.officer_a, name=f"Hotel {number}"),
            ),
            by=people.officer_a,
        )
        step(people, case, Kind.GUIDANCE, due_date=DAY)
    client.force_login(people.leader_a)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("supervision:followup_list") + "?overdue=on")
    assert response.status_code == 200
    assert len(response.context["followups"]) == 1


def test_other_units_get_404_for_a_follow_up(client, people, case):
    client.force_login(people.leader_b)
    assert client.get(reverse("supervision:followup_detail", args=[case.pk])).status_code == 404
    client.force_login(people.leader_a)
    response = client.get(reverse("supervision:followup_detail", args=[case.pk]))
    assert response.status_code == 200
