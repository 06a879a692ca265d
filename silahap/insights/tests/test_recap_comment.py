"""The leader's comment on a unit's month: only that unit's leaders write it, each change is
audited once, a double submit changes nothing, and the recap PDF prints it with the month's
follow-ups and operations."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pypdf import PdfReader

from silahap.audit.models import AuditEvent
from silahap.events.models import BusinessEvent
from silahap.events.types import EventType
from silahap.insights.models import RecapComment
from silahap.insights.services.recap import recap_comment_save
from silahap.operations.tests.helpers import joint_operation
from silahap.reports.tests.factories import WIB

pytestmark = pytest.mark.django_db
MARCH = datetime.date(2025, 3, 1)


def _comment_url(unit, month="2025-03"):
    return reverse("insights:recap_comment", args=[unit.pk]) + f"?p={month}"


def test_the_units_leader_writes_the_comment_once_per_change(client, people):
    client.force_login(people.leader_a)
    url = _comment_url(people.section_a)
    text = "Pengawasan bulan ini berjalan baik; dua TKA overstay ditindaklanjuti."
    response = client.post(url, {"text": text})
    assert response.status_code == 302
    assert response["Location"].endswith("?p=2025-03")
    comment = RecapComment.objects.get(unit=people.section_a, month=MARCH)
    assert (comment.text, comment.author) == (text, people.leader_a)
    client.post(url, {"text": text})  # a double submit
    assert RecapComment.objects.count() == 1
    audits = AuditEvent.objects.filter(action="recap_comment.save")
    assert audits.count() == 1
    assert audits.get().summary == {
        "unit": people.section_a.code,
        "month": "2025-03",
        "created": True,
    }
    assert BusinessEvent.objects.filter(type=EventType.RECAP_COMMENT_SAVED).count() == 1
    client.post(url, {"text": text + " Diperbarui."})
    assert audits.count() == 2
    page = client.get(reverse("insights:unit", args=[people.section_a.pk]), {"p": "2025-03"})
    assert "Diperbarui." in page.content.decode()


def test_only_leaders_of_that_unit_comment(client, people):
    with pytest.raises(PermissionDenied):  # the head of office leads the unit above
        recap_comment_save(by=people.head_a, unit=people.section_a, month=MARCH, text="Baik.")
    client.force_login(people.analyst)
    assert client.post(_comment_url(people.section_a), {"text": "Baik."}).status_code == 403
    client.force_login(people.officer_a)
    assert client.post(_comment_url(people.section_a), {"text": "Baik."}).status_code == 404
    assert not RecapComment.objects.exists()
    # The analyst reads the page without the form.
    client.force_login(people.analyst)
    page = client.get(reverse("insights:unit", args=[people.section_a.pk]), {"p": "2025-03"})
    assert 'data-testid="recap-comment-form"' not in page.content.decode()


def test_bad_comments_are_refused_in_the_users_language_keeping_the_text(client, people):
    client.force_login(people.leader_a)
    response = client.post(_comment_url(people.section_a), {"text": "   "})
    assert response.status_code == 400
    assert "Bidang ini harus diisi." in response.content.decode()
    long_text = "Catatan panjang. " * 150
    response = client.post(_comment_url(people.section_a), {"text": long_text})
    assert response.status_code == 400
    assert "Catatan panjang." in response.content.decode()
    assert not RecapComment.objects.exists()
    # A comment belongs to a month: a year is not a recap's period.
    assert client.post(_comment_url(people.section_a, "2025"), {"text": "Baik."}).status_code == 404


def test_the_recap_prints_the_comment_followups_and_the_months_operations(client, week):
    joint_operation(
        week,
        number="OPS-07/TNG/2025",
        starts_at=datetime.datetime(2025, 3, 10, 8, tzinfo=WIB),
        ends_at=datetime.datetime(2025, 3, 12, 17, tzinfo=WIB),
    )
    recap_comment_save(
        by=week.leader_a, unit=week.section_a, month=MARCH, text="Kinerja seksi meningkat."
    )
    client.force_login(week.leader_a)
    response = client.get(
        reverse("insights:unit_recap_pdf", args=[week.section_a.pk]), {"p": "2025-03"}
    )
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Kinerja seksi meningkat." in text
    # The number may wrap in its table cell.
    assert "OPS-07/TNG/2025" in "".join(text.split())
    assert "Operasi Gabungan Timpora Tangerang" in " ".join(text.split())
    # The hand-counted week: one follow-up opened from Monday's overstay, none closed.
    assert "Tindak lanjut dibuka 1" in " ".join(text.split())
    assert "Tindak lanjut selesai 0" in " ".join(text.split())
