"""The API's updated_since reads updated_at: rows changed by a bulk update (a merge moving checks
to the survivor, the warning columns of a person) must carry a new updated_at too."""

from __future__ import annotations

import datetime
import uuid

import pytest
import time_machine
from django.utils import timezone

from silahap.registry.models import ForeignNational
from silahap.registry.services.merge import person_merge
from silahap.registry.warnings import refresh_warning_columns
from silahap.reports import services as reports
from silahap.reports.models import Check
from silahap.reports.tests.factories import at, field_activity, person, place

pytestmark = pytest.mark.django_db


def test_a_merge_and_the_warning_columns_bump_updated_at(people):
    by = people.officer_a
    hotel = place(by=by, name="Hotel Sinkron")
    kept = person(by=by, name="Sync Survivor", document=f"S{uuid.uuid4().hex[:7].upper()}")
    gone = person(by=by, name="Sync Merged", document=f"M{uuid.uuid4().hex[:7].upper()}")
    activity = field_activity(by=by, place=hotel, started_at=at(9))
    check = reports.check_create(
        by=by,
        client_id=uuid.uuid4(),
        activity=activity,
        person=gone,
        verification_method="physical_document",
        result="compliant",
    )
    before = Check.objects.get(pk=check.pk).updated_at
    later = timezone.now() + datetime.timedelta(hours=1)
    with time_machine.travel(later, tick=False):
        person_merge(by=people.leader_a, survivor=kept, merged=gone)
    moved = Check.objects.get(pk=check.pk)
    assert moved.person_id == kept.pk
    assert moved.updated_at > before
    # The warning columns: the survivor's last checking office changed in a bulk update.
    ForeignNational.objects.filter(pk=kept.pk).update(
        last_check_office=None, updated_at=timezone.now() - datetime.timedelta(days=1)
    )
    stale = ForeignNational.objects.get(pk=kept.pk).updated_at
    assert refresh_warning_columns([kept.pk]) == 1
    fresh = ForeignNational.objects.get(pk=kept.pk)
    assert fresh.last_check_office_id is not None
    assert fresh.updated_at > stale
