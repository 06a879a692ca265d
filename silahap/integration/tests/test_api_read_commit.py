"""An API read's audit event commits durably with the request (never with `synchronous_commit`
off: a read of personal data must not be lost from the trail by a crash) and is left to the next
sealer, so the client does not wait for the chain."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from silahap.audit import services as audit
from silahap.audit.models import AuditEvent
from silahap.integration.tests.conftest import bearer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("synchronous_commit is PostgreSQL's")


def synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


def test_a_read_is_audited_committed_and_left_unsealed_for_the_next_sealer(
    client, people, make_client, field_work
):
    _client, token = make_client(people.office_a, resources=("persons",))
    before = AuditEvent.objects.filter(action="api.read").count()
    response = client.get(reverse("integration:person-list"), **bearer(token))
    assert response.status_code == 200
    assert response.json()["results"]
    assert synchronous_commit() == "on"
    read = AuditEvent.objects.filter(action="api.read").latest("sequence")
    assert AuditEvent.objects.filter(action="api.read").count() == before + 1
    assert read.summary["resource"] == "person"
    assert read.position is None
    audit.seal()
    read.refresh_from_db()
    assert read.position is not None
