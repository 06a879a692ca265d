"""One record per intent: a create page sent twice (double tap, retry) makes one row."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from silahap.audit.models import AuditEvent
from silahap.guidance.models import Direction, Sop, Tutorial
from silahap.guidance.tests.helpers import tiny_pdf
from silahap.testing.idempotency import page_key

pytestmark = pytest.mark.django_db


def pages(people, mp4_bytes):
    return {
        "direction": (
            reverse("guidance:direction_create"),
            lambda: {
                "unit": people.section_a.pk,
                "body": "Periksa hotel.",
                "priority": "urgent",
                "units": [people.team_a.pk],
            },
            Direction.objects.all(),
        ),
        "sop": (
            reverse("guidance:sop_create"),
            lambda: {
                "title": "Pengawasan lapangan",
                "category": "field",
                "number": "1",
                "effective_date": "2025-01-01",
                "file": SimpleUploadedFile("sop.pdf", tiny_pdf()),
            },
            Sop.objects.all(),
        ),
        "tutorial": (
            reverse("guidance:tutorial_create"),
            lambda: {
                "title": "Memeriksa ITAS",
                "video": SimpleUploadedFile("t.mp4", mp4_bytes, content_type="video/mp4"),
            },
            Tutorial.objects.all(),
        ),
    }


@pytest.mark.parametrize("name", ["direction", "sop", "tutorial"])
def test_the_second_send_creates_nothing_and_lands_on_the_first(client, people, mp4_bytes, name):
    url, data, rows = pages(people, mp4_bytes)[name]
    client.force_login(people.leader_a)
    key = page_key(client.get(url))
    first = client.post(url, {**data(), "client_id": key})
    events = AuditEvent.objects.count()
    second = client.post(url, {**data(), "client_id": key})
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert rows.count() == 1
    assert AuditEvent.objects.count() == events
