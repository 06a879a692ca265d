"""Fixtures the reports tests share."""

import datetime
import uuid

import pytest

from silahap.registry.models import Regency
from silahap.registry.services import place_create
from silahap.reports import services
from silahap.reports.tests.factories import WIB


@pytest.fixture
def activity(people):
    place = place_create(
        by=people.officer_a,
        name="Hotel Bukti",
        kind="hotel",
        regency=Regency.objects.get(code="36.71"),
        latitude="-6.178300",
        longitude="106.631900",
    )
    return services.activity_create(
        by=people.officer_a,
        client_id=uuid.uuid4(),
        kind="field",
        source="independent",
        started_at=datetime.datetime(2026, 11, 27, 10, 0, tzinfo=WIB),
        ended_at=datetime.datetime(2026, 11, 27, 11, 0, tzinfo=WIB),
        place=place,
        latitude="-6.178300",
        longitude="106.631900",
    )
