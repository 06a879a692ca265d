"""Schemathesis against the generated schema, for an office-scoped read client, a read-write
client and a national client: no 5xx, no response outside the schema, no object outside scope.

The requests go through Django's WSGI handler in this thread, inside the test's transaction.
"""

from __future__ import annotations

import datetime

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from silahap.operations.services import national
from silahap.operations.services.operations import operation_create

pytestmark = pytest.mark.django_db(transaction=False)
EXAMPLES = 10


@pytest.fixture
def app():
    # As Django's test client does: the test's transaction must survive each request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def ids_in(body) -> set:
    if not isinstance(body, dict):
        return set()
    rows = body.get("results") if isinstance(body.get("results"), list) else [body]
    return {row.get("id") for row in rows if isinstance(row, dict)}


def scope_check(forbidden: dict[str, set]):
    def in_scope(ctx, response, case):
        if response.status_code != 200:
            return
        path = case.operation.path
        for prefix, hidden in forbidden.items():
            if path.startswith(prefix):
                leaked = ids_in(response.json()) & hidden
                assert not leaked, f"{case.method} {case.formatted_path} leaked {leaked}"
        return

    return in_scope


def exercise(app, token: str, forbidden: dict[str, set]) -> int:
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", app)
    checks = [not_a_server_error, response_schema_conformance, scope_check(forbidden)]
    ran = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case):
            # identity: pages are gzipped for clients that ask (silahap.compression), and the
            # WSGI transport asks without decompressing.
            response = case.call(
                headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}
            )
            case.validate_response(response, checks=checks)

        run()
        ran += 1
    return ran


@pytest.fixture
def operations(people) -> dict[str, set]:
    """Office B's operation, and a national one for office A that has not started yet."""
    now = timezone.now()
    office_b = operation_create(
        by=people.leader_b,
        unit=people.leader_b.memberships.get().unit,
        kind="independent",
        number="OPS-B/1",
        name="Operasi B",
        starts_at=now - datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=1),
    )
    root = national.national_operation_create(
        by=people.analyst_national,
        unit=people.dg,
        number="JAG-SOON",
        name="Operasi Jagratara",
        starts_at=now + datetime.timedelta(days=2),
        ends_at=now + datetime.timedelta(days=4),
        offices=[national.OfficeShare(people.office_a, target_count=3)],
    )
    return {"office_b": {office_b.pk}, "confidential": {root.pk, root.children.get().pk}}


def office_b_rows(field_work, operations) -> dict[str, set]:
    activity, _person, check = field_work["b"]
    return {
        "/api/v1/reports/": {activity.report_id},
        "/api/v1/activities/": {activity.pk},
        "/api/v1/checks/": {check.pk},
        "/api/v1/operations/": operations["office_b"] | operations["confidential"],
    }


def test_an_office_read_client(app, people, make_client, field_work, operations):
    _client, token = make_client(people.office_a, rate=6000)
    assert exercise(app, token, office_b_rows(field_work, operations)) > 20


def test_a_read_write_client(app, people, make_client, field_work, operations):
    _client, token = make_client(people.office_a, access="read_write", rate=6000)
    assert exercise(app, token, office_b_rows(field_work, operations)) > 20


def test_a_national_client(app, people, make_client, field_work, operations):
    _client, token = make_client(people.dg, rate=6000)
    assert exercise(app, token, {"/api/v1/operations/": operations["confidential"]}) > 20
