"""The endpoint behind the camera button: a photo in, the form's fields out, the photo not kept."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from silahap.audit.models import AuditEvent
from silahap.testing.mrz_photos import corpus

URL = "registry:mrz_photo_read"
UNREADABLE_ID = "MRZ tidak terbaca — foto ulang dengan halaman rata dan terang, atau ketik datanya"


@pytest.fixture(scope="module")
def passport_photo():
    return corpus(1, seed=5, gentle=True)[0]


def _post(client, data: bytes, name="page.jpg", **headers):
    upload = SimpleUploadedFile(name, data, content_type="image/jpeg")
    return client.post(reverse(URL), {"photo": upload}, **headers)


def test_an_officer_gets_the_fields_of_a_photographed_passport(client, people, passport_photo):
    client.force_login(people.officer_a)
    response = _post(client, passport_photo.jpeg)
    assert response.status_code == 200
    body = response.json()
    line1, line2 = passport_photo.mrz.splitlines()
    assert body["document_number"] == line2[0:9].rstrip("<")
    assert body["nationality_as_read"] == line2[10:13].rstrip("<")
    assert body["birth_date"][2:].replace("-", "") == line2[13:19]
    assert body["document_kind"] == "passport"
    assert body["unsure"] == []
    assert body["crop"].startswith("data:image/jpeg;base64,")
    assert set(body["confidence"]) == {"names", "issuing_country", "nationality", "sex"}
    event = AuditEvent.objects.filter(action="person.document_read").latest("sequence")
    assert event.actor_id == people.officer_a.pk
    assert event.summary["read"] is True
    assert event.purpose == "supervision"
    # Personal data stays out of the trail: no name, no number.
    assert body["document_number"] not in str(event.summary)


def test_a_picture_without_an_mrz_says_so_in_indonesian_and_fills_nothing(client, people):
    client.force_login(people.officer_a)
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), "white").save(out, "JPEG")
    response = _post(client, out.getvalue(), HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 422
    assert response.json() == {"error": UNREADABLE_ID, "field": "photo"}
    event = AuditEvent.objects.filter(action="person.document_read").latest("sequence")
    assert event.summary["read"] is False


@pytest.mark.parametrize(
    "data",
    [b"", b"<html>no picture</html>", b"\xff\xd8\xff\xe0" + b"\x00" * 64],
    ids=["empty", "html", "broken-jpeg"],
)
def test_a_file_that_is_no_picture_is_a_422_not_a_500(client, people, data):
    client.force_login(people.analyst)
    response = _post(client, data)
    assert response.status_code == 422
    assert "error" in response.json()


def test_no_photo_at_all_is_a_422(client, people):
    client.force_login(people.officer_a)
    assert client.post(reverse(URL)).status_code == 422


def test_a_partner_agency_member_may_not_read_documents(client, people, passport_photo):
    client.force_login(people.partner)
    assert _post(client, passport_photo.jpeg).status_code == 403
    assert not AuditEvent.objects.filter(action="person.document_read").exists()
