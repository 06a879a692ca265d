"""A check saved offline with a photo of the document (issue #22 item 4): the photo waits in the
outbox with the check; when it arrives the server reads it, fills only the fields the officer
left empty, and the check is "identity pending" until its author confirms it."""

from __future__ import annotations

import datetime
import io
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from silahap.audit.models import AuditEvent
from silahap.registry.countries import nationality_from_icao
from silahap.registry.document_reading import fill_only_empty
from silahap.reports import services
from silahap.reports.models import Check, Evidence
from silahap.reports.tests import factories
from silahap.reports.tests.factories import audit_records
from silahap.testing.mrz_photos import corpus

pytestmark = pytest.mark.django_db

PENDING_ID = "Identitas orang asing yang dibaca dari foto dokumen belum dikonfirmasi."


@pytest.fixture(scope="module")
def passport_photo():
    return corpus(1, seed=5, gentle=True)[0]


@pytest.fixture
def activity(people):
    place = factories.place(by=people.officer_a)
    return services.activity_create(
        by=people.officer_a,
        client_id=uuid.uuid4(),
        kind="field",
        source="independent",
        started_at=timezone.now() - datetime.timedelta(minutes=30),
        place=place,
        warrant_number="W-1",
        warrant_date=timezone.localdate(),
    )


def _blank_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), "white").save(out, "JPEG")
    return out.getvalue()


def _offline_form(client_id: str, **person) -> dict:
    form = {
        "client_id": client_id,
        "person_mode": "new",
        "person-full_name": "",
        "person-sex": "X",
        "person-nationality": "",
        "person-document_number": "",
        "person-document_country": "",
        "person-document_kind": "passport",
        "person-document_expiry": "",
        "verification_method": "physical_document",
        "matches_permit": "yes",
        "result": "compliant",
    }
    form.update({f"person-{name}": value for name, value in person.items()})
    return form


def _post_with_photo(client, activity, form: dict, photo: bytes, **headers):
    upload = SimpleUploadedFile("document.jpg", photo, content_type="image/jpeg")
    return client.post(
        reverse("reports:check_create", args=[activity.pk]),
        {**form, "document_photo": upload},
        **headers,
    )


def _pending_check(people, activity) -> Check:
    return services.check_create(
        by=people.officer_a,
        client_id=uuid.uuid4(),
        activity=activity,
        person=factories.person(by=people.officer_a),
        verification_method=Check.Method.PHYSICAL_DOCUMENT,
        result=Check.Result.COMPLIANT,
        identity_pending=True,
        identity_reading={"read": True, "filled": ["birth_date"], "unsure": []},
    )


def test_the_reading_fills_only_what_nobody_typed():
    typed = {
        "full_name": "Typed Name",
        "sex": "X",
        "birth_date": "",
        "nationality": "AU",
        "document_number": "",
        "document_kind": "passport",
    }
    read = {
        "full_name": "READ NAME",
        "sex": "F",
        "birth_date": "1990-01-02",
        "nationality": "NZ",
        "document_number": "C12345678",
        "document_kind": "id_card",
    }
    merged, filled = fill_only_empty(typed, read)
    assert merged["full_name"] == "Typed Name"
    assert merged["nationality"] == "AU"
    assert (merged["sex"], merged["birth_date"], merged["document_number"]) == (
        "F",
        "1990-01-02",
        "C12345678",
    )
    # The kind goes with the number it belongs to.
    assert merged["document_kind"] == "id_card"
    assert filled == ["sex", "birth_date", "document_number"]
    # A sex the officer chose stays; a number typed keeps its kind.
    merged, filled = fill_only_empty({**typed, "sex": "M", "document_number": "X1"}, read)
    assert (merged["sex"], merged["document_number"], merged["document_kind"]) == (
        "M",
        "X1",
        "passport",
    )
    assert filled == ["birth_date"]


def test_a_check_saved_offline_with_a_photo_is_pending_and_filled_only_where_empty(
    client, people, activity, passport_photo
):
    line2 = passport_photo.mrz.splitlines()[1]
    client.force_login(people.officer_a)
    form = _offline_form(str(uuid.uuid4()), full_name="Typed By Officer")
    response = _post_with_photo(client, activity, form, passport_photo.jpeg)
    assert response.status_code == 302, response.content.decode()[:2000]
    check = activity.checks.get()
    assert check.identity_pending is True
    person = check.person
    # What the officer typed stays; the empty fields come from the document.
    assert person.full_name == "Typed By Officer"
    assert person.nationality == nationality_from_icao(line2[10:13].rstrip("<"))
    assert person.birth_date.strftime("%y%m%d") == line2[13:19]
    assert person.sex == line2[20]
    assert person.documents.get().number == line2[0:9].rstrip("<")
    reading = check.identity_reading
    assert reading["read"] is True
    assert "full_name" not in reading["filled"]
    assert {"birth_date", "nationality", "document_number", "sex"} <= set(reading["filled"])
    # Read as a document, and not kept: no photo became evidence.
    event = AuditEvent.objects.filter(action="person.document_read").latest("sequence")
    assert event.summary["read"] is True
    assert not Evidence.objects.exists()
    # The officer sees it marked, with what was filled and the confirm button.
    page = client.get(activity.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert 'data-testid="identity-pending"' in page
    assert 'data-testid="confirm-identity"' in page
    assert "Tanggal lahir" in page.split('data-testid="identity-filled"')[1].split("</span>")[0]


def test_a_resent_check_is_recorded_and_read_once(client, people, activity, passport_photo):
    client.force_login(people.officer_a)
    form = _offline_form(str(uuid.uuid4()), full_name="Typed By Officer")
    first = _post_with_photo(client, activity, form, passport_photo.jpeg)
    with audit_records():
        again = _post_with_photo(client, activity, form, passport_photo.jpeg)
    assert first.status_code == again.status_code == 302
    assert activity.checks.count() == 1
    assert AuditEvent.objects.filter(action="person.document_read").count() == 1


def test_an_unreadable_photo_leaves_the_typed_check_pending_with_nothing_filled(
    client, people, activity
):
    client.force_login(people.officer_a)
    form = _offline_form(str(uuid.uuid4()), full_name="Typed Only", nationality="AU")
    response = _post_with_photo(client, activity, form, _blank_jpeg())
    assert response.status_code == 302
    check = activity.checks.get()
    assert check.identity_pending is True
    assert check.identity_reading == {"read": False, "filled": [], "unsure": []}
    assert (check.person.full_name, check.person.nationality) == ("Typed Only", "AU")
    page = client.get(activity.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "foto dokumen tidak dapat dibaca" in page


def test_a_check_saved_online_is_not_pending(client, people, activity):
    client.force_login(people.officer_a)
    form = _offline_form(str(uuid.uuid4()), full_name="Li Na", nationality="CN", sex="F")
    response = client.post(reverse("reports:check_create", args=[activity.pk]), form)
    assert response.status_code == 302
    assert activity.checks.get().identity_pending is False


def test_a_pending_identity_stops_the_submit_until_the_author_confirms(people, activity):
    check = _pending_check(people, activity)
    with translation.override("id"):
        problems = services.submit_problems(activity.report)
    assert problems == {f"activity-{activity.pk}": [PENDING_ID]}
    with pytest.raises(ValidationError):
        services.report_submit(report=activity.report, by=people.officer_a)
    with audit_records("check.identity_confirm"):
        services.check_identity_confirm(by=people.officer_a, check=check)
    check.refresh_from_db()
    assert check.identity_pending is False
    assert services.submit_problems(activity.report) == {}
    # A second confirm (a double tap) changes and records nothing.
    with audit_records():
        again = services.check_identity_confirm(by=people.officer_a, check=check)
    assert again.pk == check.pk
    assert AuditEvent.objects.filter(action="check.identity_confirm").count() == 1


def test_only_the_author_confirms_others_get_404(client, people, activity):
    check = _pending_check(people, activity)
    url = reverse("reports:check_identity_confirm", args=[check.pk])
    for other in (people.officer_a2, people.leader_a, people.officer_b):
        client.force_login(other)
        assert client.post(url).status_code == 404
        with pytest.raises(PermissionDenied), audit_records():
            services.check_identity_confirm(by=other, check=check)
    check.refresh_from_db()
    assert check.identity_pending is True
    assert not AuditEvent.objects.filter(action="check.identity_confirm").exists()
    client.force_login(people.officer_a)
    with audit_records("check.identity_confirm"):
        response = client.post(url)
    assert response.status_code == 302
    assert response["Location"].endswith("#checks")
    with audit_records():
        assert client.post(url).status_code == 302
    check.refresh_from_db()
    assert check.identity_pending is False


def test_the_leader_sees_a_pending_identity_on_the_report(client, people, activity):
    _pending_check(people, activity)
    client.force_login(people.leader_a)
    response = client.get(activity.report.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    assert "1 identitas menunggu konfirmasi" in response.content.decode()
