"""The database itself refuses rows that break guidance's rules, whatever the code above does."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from silahap.guidance.models import DirectionRecipient, SopVersion, Tutorial
from silahap.guidance.services import library
from silahap.guidance.tests.helpers import send, tiny_pdf

pytestmark = pytest.mark.django_db


def refused(write) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def test_done_needs_read(people):
    row = send(people).recipients.first()
    refused(
        lambda: DirectionRecipient.objects.filter(pk=row.pk).update(
            done_at=timezone.now(), read_at=None
        )
    )


def test_one_recipient_row_per_person(people):
    row = send(people).recipients.first()
    refused(lambda: DirectionRecipient.objects.create(direction=row.direction, user=row.user))


def test_one_current_version_per_sop(people):
    sop = library.sop_create(
        by=people.leader_a,
        title="SOP",
        category="field",
        number="1",
        effective_date=datetime.date(2025, 1, 1),
        data=tiny_pdf(),
    )
    current = sop.versions.get()
    refused(
        lambda: SopVersion.objects.create(
            sop=sop,
            number="2",
            effective_date=current.effective_date,
            sha256="0" * 64,
            published_by=people.leader_a,
            is_current=True,
        )
    )


def test_a_pass_mark_is_a_percentage(people):
    refused(
        lambda: Tutorial.objects.create(
            title="X", original_sha256="0" * 64, created_by=people.leader_a, pass_mark=150
        )
    )
