"""API clients made through the services, as an administrator and a leader would."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.utils import timezone

from silahap.accounts.models import User
from silahap.integration.services.clients import (
    api_client_approve,
    api_client_register,
    api_token_issue,
)
from silahap.integration.tests.receiver import Receiver, start
from silahap.registry.models import Regency
from silahap.registry.services import person_create, place_create
from silahap.reports.services import activity_create, check_create


@pytest.fixture
def root(db) -> User:
    return User.objects.create_superuser(username="root", password=None, full_name="Root")


@pytest.fixture
def make_client(people, root):
    """make_client(unit, resources, access) → (client, raw token); approved when sensitive."""

    def make(
        unit=None,
        resources=(
            "units",
            "reports",
            "supervision",
            "persons",
            "places",
            "operations",
            "metrics",
            "events",
        ),
        access="read",
        rate=1000,
    ):
        unit = unit or people.office_a
        registrar = people.office_admin if unit.is_within(people.office_a) else root
        client = api_client_register(
            by=registrar,
            name=f"Client {uuid.uuid4().hex[:6]}",
            unit=unit,
            resources=list(resources),
            access_level=access,
            requests_per_minute=rate,
        )
        if client.needs_approval:
            approver = people.head_a if unit.is_within(people.office_a) else root
            client = api_client_approve(by=approver, client=client)
        issued = api_token_issue(by=registrar, client=client)
        return client, issued.raw

    return make


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def field_work(people):
    """A field activity with a check of a person in office A and one in office B."""

    def activity(officer, place_name):
        place = place_create(
            by=officer, name=place_name, kind="hotel", regency=Regency.objects.get(code="36.71")
        )
        made = activity_create(
            by=officer,
            client_id=uuid.uuid4(),
            kind="field",
            source="independent",
            started_at=timezone.now() - datetime.timedelta(minutes=30),
            place=place,
        )
        person = person_create(
            by=officer,
            full_name=f"Person {place_name}",
            nationality="SE",
            document_number=f"X{uuid.uuid4().hex[:7].upper()}",
        ).person
        check = check_create(
            by=officer,
            client_id=uuid.uuid4(),
            activity=made,
            person=person,
            verification_method="statement",
            result="compliant",
        )
        return made, person, check

    a = activity(people.officer_a, "Hotel A")
    b = activity(people.officer_b, "Hotel B")
    return {"a": a, "b": b}


@pytest.fixture
def receiver(monkeypatch):
    """A webhook receiver on loopback, the only host the sender is allowed to call."""
    monkeypatch.setenv("SILAHAP_WEBHOOK_ALLOWED_HOSTS", "localhost")
    made = Receiver()
    server = start(made)
    yield made
    server.shutdown()
    server.server_close()
