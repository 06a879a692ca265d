"""Role × URL rows for the API at /api/v1/, as signed-in sessions (the site's own pages).

The API answers an anonymous caller 401 with a problem document instead of the login redirect.
Lists answer every signed-in persona (visible_to decides the rows, possibly none); one record
answers 404 to whoever may not see it. An empty write is a 400 naming the missing fields (an
empty correction changes nothing: 200); a partner-agency member never finds the person (404).
"""

from __future__ import annotations

import os
import uuid
from unittest import mock

from django.urls import reverse

from silahap.events import spine
from silahap.integration.models import ApiClient
from silahap.integration.services.clients import (
    api_client_approve,
    api_client_register,
    api_token_issue,
)
from silahap.integration.services.webhooks import webhook_subscribe
from silahap.integration.webhooks.delivery import queue_deliveries
from silahap.reports.services import check_create
from silahap.testing.matrix.admin import Attack
from silahap.testing.matrix.operations import operation as section_operation
from silahap.testing.matrix.registry import directory_sponsor
from silahap.testing.url_matrix import (
    Row,
    everyone,
    field_activity,
    field_photo,
    registry_person,
    signed_in,
    supervision_finding,
    supervision_followup,
    supervision_warrant,
)


def api(status: int, **exceptions: int) -> dict[str, int]:
    return everyone(status, anonymous=401, **exceptions)


def api_check(people):
    if not hasattr(people, "_api_check"):
        people._api_check = check_create(
            by=people.officer_a,
            client_id=uuid.uuid4(),
            activity=field_activity(people),
            person=registry_person(people),
            verification_method="statement",
            result="compliant",
        )
    return people._api_check


def detail(route: str, obj):
    return lambda people: reverse(f"integration:{route}-detail", args=[obj(people).pk])


LIST = {"GET": api(200), "POST": api(405)}
# officer_a's own work in team A: its leaders and the Kanwil's analyst read it; office B, the
# partner and the office administrator (who does not read reports) get 404.
OFFICE_A_WORK = api(200, officer_b=404, partner=404, office_admin=404)
REGISTRY_RECORD = api(200, partner=404)
SEES_OPERATION = api(200, officer_b=404, office_admin=404)


def _step(people):
    supervision_followup(people)
    return people._step


def _task(people):
    supervision_warrant(people)
    return people._task


def _permit(people):
    return registry_person(people).permits.get()


def _place(people):
    return field_activity(people).place


def _report(people):
    return field_activity(people).report


def console_client(people):
    """An office A client reading reports (approved by the office's head), with a token, a
    webhook to an allow-listed development host and one queued delivery, through the services."""
    if not hasattr(people, "_console_client"):
        client = api_client_register(
            by=people.office_admin,
            name="SIMKIM matrix",
            unit=people.office_a,
            resources=["reports", "events"],
        )
        client = api_client_approve(by=people.head_a, client=client)
        people._console_token = api_token_issue(by=people.office_admin, client=client).token
        with mock.patch.dict(os.environ, {"SILAHAP_WEBHOOK_ALLOWED_HOSTS": "localhost"}):
            people._console_subscription = webhook_subscribe(
                by=people.office_admin,
                client=client,
                url="http://localhost:9/hook",
                event_types=["report.submitted"],
            ).subscription
        event = spine.record(
            type="report.submitted",
            object_type="reports.dailyreport",
            object_id=1,
            unit_path=people.team_a.path,
        )
        people._console_client = client
        people._console_delivery = queue_deliveries(event)[0]
    return people._console_client


def console_url(route: str, thing: str = "_console_client"):
    def url(people):
        console_client(people)
        return reverse(f"integration:{route}", args=[getattr(people, thing).pk])

    return url


# The console: office administrators (who register) and leaders (who approve) use it; a client
# is seen by the administrators and leaders of its unit and above only (404 for the rest).
CONSOLE_LIST = signed_in(403, leader_a=200, office_admin=200)
ADMIN_ONLY = signed_in(404, office_admin=200)


def admin_only(status: int) -> dict[str, int]:
    return signed_in(404, office_admin=status)


ROWS: dict[str, Row] = {
    # Staff ask about a document (an empty question is a 400); a partner is refused.
    "integration:permit_status": Row({"GET": signed_in(400, partner=403), "POST": signed_in(405)}),
    "integration:reference": Row({"GET": signed_in(200), "POST": signed_in(405)}),
    # The console's own address sends to its first page (which then answers by role).
    "integration:console": Row({"GET": signed_in(302)}),
    "integration:client_list": Row({"GET": CONSOLE_LIST, "POST": signed_in(403, office_admin=422)}),
    "integration:client_detail": Row({"GET": ADMIN_ONLY}, url_for=console_url("client_detail")),
    # The administrator who registered may not approve: a leader of the scope does (403).
    "integration:client_approve": Row(
        {"POST": admin_only(403)}, url_for=console_url("client_approve")
    ),
    "integration:client_revoke": Row(
        {"POST": admin_only(302)}, url_for=console_url("client_revoke")
    ),
    "integration:token_issue": Row({"POST": admin_only(422)}, url_for=console_url("token_issue")),
    "integration:token_revoke": Row(
        {"POST": admin_only(302)}, url_for=console_url("token_revoke", "_console_token")
    ),
    "integration:subscription_create": Row(
        {"POST": admin_only(422)}, url_for=console_url("subscription_create")
    ),
    "integration:subscription_detail": Row(
        {"GET": ADMIN_ONLY}, url_for=console_url("subscription_detail", "_console_subscription")
    ),
    "integration:subscription_enable": Row(
        {"POST": admin_only(302)},
        url_for=console_url("subscription_enable", "_console_subscription"),
    ),
    "integration:delivery_resend": Row(
        {"POST": admin_only(302)}, url_for=console_url("delivery_resend", "_console_delivery")
    ),
    "integration:schema": Row({"GET": everyone(200), "POST": everyone(405)}),
    "integration:events": Row({"GET": api(200), "POST": api(405)}),
    "integration:unit-list": Row(LIST),
    "integration:unit-detail": Row(
        {"GET": api(200)},
        url_for=lambda people: reverse("integration:unit-detail", args=[people.office_a.pk]),
    ),
    "integration:report-list": Row(LIST),
    "integration:report-detail": Row({"GET": OFFICE_A_WORK}, url_for=detail("report", _report)),
    "integration:activity-list": Row(LIST),
    "integration:activity-detail": Row(
        {"GET": OFFICE_A_WORK}, url_for=detail("activity", field_activity)
    ),
    "integration:check-list": Row(LIST),
    "integration:check-detail": Row({"GET": OFFICE_A_WORK}, url_for=detail("check", api_check)),
    "integration:finding-list": Row(LIST),
    "integration:finding-detail": Row(
        {"GET": OFFICE_A_WORK}, url_for=detail("finding", supervision_finding)
    ),
    "integration:evidence-list": Row(LIST),
    "integration:evidence-detail": Row(
        {"GET": OFFICE_A_WORK}, url_for=detail("evidence", field_photo)
    ),
    "integration:followup-list": Row(LIST),
    "integration:followup-detail": Row(
        {"GET": OFFICE_A_WORK}, url_for=detail("followup", supervision_followup)
    ),
    "integration:followup-step-list": Row(LIST),
    "integration:followup-step-detail": Row(
        {"GET": OFFICE_A_WORK}, url_for=detail("followup-step", _step)
    ),
    "integration:warrant-list": Row(LIST),
    "integration:warrant-detail": Row(
        {"GET": OFFICE_A_WORK}, url_for=detail("warrant", supervision_warrant)
    ),
    "integration:task-list": Row(LIST),
    "integration:task-detail": Row({"GET": OFFICE_A_WORK}, url_for=detail("task", _task)),
    "integration:person-list": Row({"GET": api(200), "POST": api(400)}),
    "integration:person-detail": Row(
        {"GET": REGISTRY_RECORD, "PATCH": api(200, partner=404)},
        url_for=detail("person", registry_person),
    ),
    "integration:person-sightings": Row(
        {"GET": REGISTRY_RECORD},
        url_for=lambda people: reverse(
            "integration:person-sightings", args=[registry_person(people).pk]
        ),
    ),
    "integration:person-permits": Row(
        {"POST": api(400, partner=404), "GET": api(405)},
        url_for=lambda people: reverse(
            "integration:person-permits", args=[registry_person(people).pk]
        ),
    ),
    "integration:permit-list": Row(LIST),
    "integration:permit-detail": Row({"GET": REGISTRY_RECORD}, url_for=detail("permit", _permit)),
    "integration:sponsor-list": Row(LIST),
    "integration:sponsor-detail": Row(
        {"GET": REGISTRY_RECORD}, url_for=detail("sponsor", directory_sponsor)
    ),
    "integration:place-list": Row(LIST),
    "integration:place-detail": Row({"GET": REGISTRY_RECORD}, url_for=detail("place", _place)),
    # Section A's joint operation: its members and the supervisors above see it (no client sees
    # a national operation before its start: test_api_operations).
    "integration:operation-list": Row(LIST),
    "integration:operation-detail": Row(
        {"GET": SEES_OPERATION}, url_for=detail("operation", section_operation)
    ),
    "integration:operation-results": Row(
        {"GET": SEES_OPERATION, "POST": api(405)},
        url_for=lambda people: reverse(
            "integration:operation-results", args=[section_operation(people).pk]
        ),
    ),
    # Metrics evaluate like the insights pages: leaders and analysts their subtrees; the rest
    # have no unit to evaluate (an empty list, 404 for a unit).
    "integration:metric-list": Row(LIST),
    "integration:metric-definitions": Row(LIST),
    "integration:metric-detail": Row(
        {"GET": api(404, leader_a=200, analyst=200)},
        url_for=lambda people: reverse("integration:metric-detail", args=[people.team_a.pk]),
    ),
}


def unapproved_client(people):
    """An office A client that reads persons, registered by office A's administrator, not yet
    approved by a leader."""
    if not hasattr(people, "_unapproved_client"):
        people._unapproved_client = api_client_register(
            by=people.office_admin,
            name="Unapproved matrix client",
            unit=people.office_a,
            resources=["persons"],
        )
    return people._unapproved_client


def _no_client_at(code: str):
    def holds(people) -> bool:
        return not ApiClient.objects.filter(unit__code=code).exists()

    return holds


HOSTILE = [
    Attack(
        "admin.tng registers a client that reads the whole country",
        lambda people: reverse("integration:client_list"),
        lambda people: {
            "name": "Everything",
            "unit": people.dg.pk,
            "access": "read_write",
            "resources": ["reports", "persons"],
            "requests_per_minute": 6000,
        },
        (422,),
        _no_client_at("DJI"),
    ),
    Attack(
        "admin.tng approves its own client's access to persons",
        lambda people: reverse("integration:client_approve", args=[unapproved_client(people).pk]),
        lambda people: {},
        (403,),
        lambda people: (
            unapproved_client(people)
            .__class__.objects.get(pk=unapproved_client(people).pk)
            .approved_at
            is None
        ),
    ),
    Attack(
        "admin.tng points a webhook at the cloud metadata address",
        lambda people: reverse("integration:subscription_create", args=[console_client(people).pk]),
        lambda people: {
            "url": "https://169.254.169.254/latest/meta-data/",
            "event_types": ["report.submitted"],
        },
        (422,),
        lambda people: (
            not console_client(people).subscriptions.filter(url__contains="169.254").exists()
        ),
    ),
]
