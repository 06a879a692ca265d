"""The operation pages: what each reader sees, masked documents for partners, the live poll's
query count, and the report downloads (audited, with the counts in the PDF's text)."""

from __future__ import annotations

import io
import uuid

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from silahap.audit.models import AuditEvent
from silahap.operations.services.running import operation_activity_link, partner_action_record
from silahap.operations.tests.helpers import finding_in, joint_operation, operation_activity
from silahap.reports.services import evidence_add
from silahap.testing.worker import then_the_worker

pytestmark = pytest.mark.django_db


def with_results(people, findings: int = 1):
    operation = joint_operation(people)
    activity = operation_activity(people, operation)
    operation_activity_link(by=people.officer_a, operation=operation, activity=activity)
    for index in range(findings):
        finding_in(
            activity,
            by=people.officer_a,
            name=f"Li Wei {index}",
            nationality_doc=f"E{index:07d}",
        )
    partner_action_record(
        by=people.partner,
        client_id=uuid.uuid4(),
        operation=operation,
        target=operation.targets.exclude(place=None).first(),
        description="2 orang dibawa ke Polres",
        count=2,
    )
    return operation


def test_a_partner_reads_the_results_with_masked_documents_and_the_read_is_audited(client, people):
    operation = with_results(people)
    client.force_login(people.partner)
    response = client.get(operation.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "E0000000" not in body
    assert "E0••••00" in body
    read = AuditEvent.objects.get(action="operation.persons_view", actor=people.partner)
    assert len(read.summary["persons"]) == 1
    assert read.purpose == "joint_operation"
    client.force_login(people.leader_a)
    assert "E0000000" in client.get(operation.get_absolute_url()).content.decode()


def test_a_partner_gets_404_for_another_operation_and_the_registry(client, people):
    other = joint_operation(people, number="OPS-77")
    other.members.filter(user=people.partner_bnn).delete()
    client.force_login(people.partner_bnn)
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(reverse("operations:operation_pdf", args=[other.pk])).status_code == 404
    client.force_login(people.partner_b)
    assert client.get(other.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("findings", [1, 6])
def test_the_operation_page_reads_a_fixed_number_of_queries(
    client, people, findings, django_assert_max_num_queries
):
    operation = with_results(people, findings)
    client.force_login(people.leader_a)
    with django_assert_max_num_queries(40):
        assert client.get(operation.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("findings", [1, 8])
def test_the_live_poll_takes_at_most_four_queries(
    client, people, findings, django_assert_max_num_queries
):
    operation = with_results(people, findings)
    client.force_login(people.partner)
    url = reverse("operations:operation_live_feed", args=[operation.pk])
    with django_assert_max_num_queries(4):
        response = client.get(url)
    assert response.status_code == 200
    kinds = {item["kind"] for item in response.json()["items"]}
    assert kinds == {"visit", "check", "finding", "action"}
    cursors = response.json()["cursors"]
    with django_assert_max_num_queries(4):
        assert client.get(url, cursors).status_code == 204


def test_the_live_poll_tells_nothing_to_someone_outside(client, people):
    operation = with_results(people)
    client.force_login(people.partner_b)
    url = reverse("operations:operation_live_feed", args=[operation.pk])
    assert client.get(url).status_code == 204


def test_the_pdf_holds_the_counts_and_each_download_is_audited(client, people):
    operation = with_results(people, findings=3)
    client.force_login(people.leader_a)
    response = client.get(reverse("operations:operation_pdf", args=[operation.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "LAPORAN HASIL OPERASI" in text
    assert "1 / 2" in text  # places visited / planned
    assert "E0000002" in text
    assert AuditEvent.objects.filter(action="operation.download_pdf").count() == 1


def test_the_partners_pdf_masks_documents(client, people):
    operation = with_results(people)
    client.force_login(people.partner)
    response = client.get(reverse("operations:operation_pdf", args=[operation.pk]))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "E0000000" not in text


def test_the_xlsx_has_the_same_tables(client, people):
    operation = with_results(people, findings=2)
    client.force_login(people.leader_a)
    response = client.get(reverse("operations:operation_xlsx", args=[operation.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) == 6
    findings = list(workbook.worksheets[-1].values)
    assert len(findings) == 3


def test_the_pdf_shows_the_operations_photos(client, people):
    operation = with_results(people)
    client.force_login(people.leader_a)
    url = reverse("operations:operation_pdf", args=[operation.pk])

    def images() -> int:
        pdf = PdfReader(io.BytesIO(client.get(url).content))
        return sum(len(page.images) for page in pdf.pages)

    before = images()
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(buffer, format="JPEG")
    activity = operation.activity_links.get().activity
    with then_the_worker():
        evidence_add(
            by=people.officer_a, client_id=uuid.uuid4(), activity=activity, data=buffer.getvalue()
        )
        # Until the worker has made its copies the PDF is built without the photo, not broken.
        assert images() == before
    assert images() > before
