"""Role × URL rows for operations, standing teams and national operations; merged into
url_matrix.MATRIX.

The data: section A's joint operation (running, approved by office A's head) with officer_a
leading team A and the Polri partner on it, a photo of Polri's action; office A's Timpora with
the partner as member and an item the partner owns; a national operation over offices A and B
that has started. officer_b and the office administrator see none of it (404)."""

from __future__ import annotations

import datetime
import uuid

from django.urls import reverse
from django.utils import timezone

from silahap.accounts.models import Agency, User
from silahap.operations.services import national as services
from silahap.operations.services import operations as ops
from silahap.operations.services import teams
from silahap.operations.services.running import partner_action_record
from silahap.registry.models import Regency
from silahap.registry.services import place_create
from silahap.testing.url_matrix import Row, everyone, signed_in

JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xdb\x00C\x00"
    + bytes(range(64))
    + b"\xff\xd9"
)
# Who sees section A's joint operation: its members, the leader of section A, the analyst above.
SEES = {"officer_b": 404, "office_admin": 404}


def head_a(people):
    return User.objects.get(username="head_a")


def operation(people):
    """Section A's running joint operation, once per test."""
    if not hasattr(people, "_operation"):
        now = timezone.now()
        op = ops.operation_create(
            by=people.leader_a,
            client_id=uuid.uuid4(),
            unit=people.section_a,
            kind="joint_timpora",
            number="OPS-MATRIX",
            name="Operasi Matrix",
            starts_at=now - datetime.timedelta(hours=2),
            ends_at=now + datetime.timedelta(days=1),
            agencies=Agency.objects.filter(code="polri"),
        )
        team = ops.operation_team_add(
            by=people.leader_a, operation=op, name="A", leader=people.officer_a
        )
        ops.operation_member_add(by=people.leader_a, operation=op, user=people.partner, team=team)
        place = place_create(
            by=people.leader_a,
            name="PT Matrix",
            kind="company",
            regency=Regency.objects.get(code="36.71"),
        )
        target = ops.operation_target_add(by=people.leader_a, operation=op, place=place)
        op = ops.operation_approve(by=head_a(people), operation=op)
        people._target = target
        people._action = partner_action_record(
            by=people.partner,
            operation=op,
            target=target,
            description="Dua orang dibawa ke Polres",
            count=2,
            photo=JPEG,
        )
        people._operation = op
    return people._operation


def team(people):
    if not hasattr(people, "_team"):
        head = head_a(people)
        people._team = teams.team_create(
            by=head,
            unit=people.office_a,
            kind="timpora",
            level="regency",
            regency=Regency.objects.get(code="36.71"),
            name="Timpora Matrix",
            decree_number="KEP-MATRIX",
            decree_date=datetime.date(2026, 1, 5),
            mandate_start=datetime.date(2026, 1, 5),
            mandate_end=datetime.date(2026, 12, 31),
            agencies=Agency.objects.filter(code="polri"),
        )
        teams.team_member_add(by=head, team=people._team, user=people.partner)
        meeting = teams.meeting_record(
            by=head,
            team=people._team,
            held_at=timezone.now(),
            place="Aula",
            agenda="Rapat",
            decisions=[
                teams.DecisionInput(
                    "Data TKA", owner=people.partner, due_date=datetime.date(2026, 2, 1)
                )
            ],
        )
        people._decision = meeting.decisions.get()
    return people._team


def national(people):
    if not hasattr(people, "_national"):
        now = timezone.now()
        people._national = services.national_operation_create(
            by=people.analyst_national,
            unit=people.dg,
            number="JAGRATARA-MATRIX",
            name="Operasi Jagratara",
            starts_at=now - datetime.timedelta(hours=1),
            ends_at=now + datetime.timedelta(days=2),
            offices=[services.OfficeShare(people.office_a), services.OfficeShare(people.office_b)],
        )
    return people._national


def operation_url(name, *extra):
    return lambda people: reverse(name, args=[operation(people).pk, *extra])


def action_photo_url(people):
    operation(people)
    return reverse("operations:partner_action_photo", args=[people._action.pk])


def team_url(name):
    return lambda people: reverse(name, args=[team(people).pk])


def decision_url(people):
    team(people)
    return reverse("operations:decision_complete", args=[people._decision.pk])


def national_url(name):
    return lambda people: reverse(name, args=[national(people).pk])


def partner_action_data(people):
    operation(people)
    target = str(people._target.pk)
    return {"client_id": str(uuid.uuid4()), "target": target, "description": "Razia"}


# Seen by its members, section A's leader and the analyst; 404 for the others.
def seen(status: int, **others: int) -> dict[str, int]:
    return signed_in(status, **{**SEES, **others})


ROWS: dict[str, Row] = {
    "operations:operation_list": Row({"GET": signed_in(200), "POST": signed_in(405)}),
    # A leader gets the form; a POST missing everything comes back with the problems (422).
    "operations:operation_create": Row(
        {"GET": signed_in(403, leader_a=200), "POST": signed_in(403, leader_a=422)}
    ),
    "operations:operation_detail": Row(
        {"GET": seen(200), "POST": signed_in(405)},
        url_for=operation_url("operations:operation_detail"),
    ),
    # Section A's leader adds team B; others who see it may not plan (403).
    "operations:operation_plan": Row(
        {"GET": signed_in(405), "POST": seen(403, leader_a=302)},
        url_for=operation_url("operations:operation_plan", "team"),
        data={"POST": lambda people: {"name": "B", "leader": str(people.officer_a2.pk)}},
    ),
    # Already approved: nobody approves it again.
    "operations:operation_approve": Row(
        {"GET": signed_in(405), "POST": seen(403)},
        url_for=operation_url("operations:operation_approve"),
    ),
    "operations:operation_finish": Row(
        {"GET": signed_in(405), "POST": seen(403, leader_a=302)},
        url_for=operation_url("operations:operation_finish"),
    ),
    # Running, not finished: not yet reportable.
    "operations:operation_report": Row(
        {"GET": signed_in(405), "POST": seen(403)},
        url_for=operation_url("operations:operation_report"),
        data={"POST": {"conclusions": "Selesai."}},
    ),
    "operations:operation_stop": Row(
        {"GET": signed_in(405), "POST": seen(403, leader_a=302)},
        url_for=operation_url("operations:operation_stop"),
        data={"POST": {"to": "cancelled", "reason": "Cuaca buruk"}},
    ),
    "operations:operation_live": Row(
        {"GET": seen(200), "POST": signed_in(405)},
        url_for=operation_url("operations:operation_live"),
    ),
    # The poll answers only what is new after the cursors: nothing for anyone who may not see
    # it, the same as for an operation with nothing new (no status tells that it exists).
    "operations:operation_live_feed": Row(
        {"GET": seen(200, officer_b=204, office_admin=204), "POST": signed_in(405)},
        url_for=operation_url("operations:operation_live_feed"),
    ),
    "operations:partner_action_create": Row(
        {"GET": seen(403, partner=200), "POST": seen(403, partner=302)},
        url_for=operation_url("operations:partner_action_create"),
        data={"POST": partner_action_data},
    ),
    "operations:partner_action_photo": Row(
        {"GET": seen(200), "POST": signed_in(405)}, url_for=action_photo_url
    ),
    "operations:operation_pdf": Row(
        {"GET": seen(200), "POST": signed_in(405)},
        url_for=operation_url("operations:operation_pdf"),
    ),
    "operations:operation_xlsx": Row(
        {"GET": seen(200), "POST": signed_in(405)},
        url_for=operation_url("operations:operation_xlsx"),
    ),
    "operations:team_list": Row({"GET": signed_in(200), "POST": signed_in(403, leader_a=422)}),
    # Office A's Timpora: the analyst above and its partner member see it.
    "operations:team_detail": Row(
        {"GET": signed_in(404, analyst=200, partner=200), "POST": signed_in(405)},
        url_for=team_url("operations:team_detail"),
    ),
    "operations:team_member_add": Row(
        {"GET": signed_in(405), "POST": signed_in(404, analyst=403, partner=403)},
        url_for=team_url("operations:team_member_add"),
    ),
    "operations:meeting_record": Row(
        {"GET": signed_in(405), "POST": signed_in(404, analyst=403, partner=403)},
        url_for=team_url("operations:meeting_record"),
    ),
    "operations:decision_complete": Row(
        {"GET": signed_in(405), "POST": signed_in(404, analyst=403, partner=302)},
        url_for=decision_url,
    ),
    "operations:national_list": Row({"GET": signed_in(403, analyst=200), "POST": signed_in(403)}),
    # The regional analyst sees Banten's office in the roll-up; offices' staff do not.
    "operations:national_rollup": Row(
        {"GET": signed_in(404, analyst=200), "POST": signed_in(405)},
        url_for=national_url("operations:national_rollup"),
    ),
    "operations:national_rollup_xlsx": Row(
        {"GET": signed_in(404, analyst=200), "POST": signed_in(405)},
        url_for=national_url("operations:national_rollup_xlsx"),
    ),
}

__all__ = ["ROWS", "everyone"]
