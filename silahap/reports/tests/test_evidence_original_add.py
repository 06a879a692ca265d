"""A photo sent resized: the phone declares its original, the original follows and must match.

Issue 15 item 3: the display copy carries the original's SHA-256, EXIF time and point; until the
original arrives the evidence is "original pending"; the original is taken only from its author,
only if its hash is the declared one, and only once.
"""

import datetime
import hashlib
import io
import json
import uuid

import pytest
from django.urls import reverse
from PIL import Image

from silahap.reports import services
from silahap.reports.models import Evidence
from silahap.reports.tests.factories import audit_records, photo_files
from silahap.testing.external import bucket_keys
from silahap.testing.worker import then_the_worker

pytestmark = pytest.mark.django_db
WIB = datetime.timezone(datetime.timedelta(hours=7))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def original_bytes(taken="2026:11:27 10:30:00", point=(6.1783, 106.6319)):
    """A camera JPEG with its EXIF time and GPS point (south, east)."""
    image = Image.new("RGB", (2000, 1500), (40, 90, 160))
    exif = Image.Exif()
    exif.get_ifd(0x8769)[36867] = taken
    gps = exif.get_ifd(0x8825)
    lat, lon = point
    gps[1], gps[3] = "S", "E"
    gps[2] = (float(int(lat)), float(int(lat * 60 % 60)), round(lat * 3600 % 60, 2))
    gps[4] = (float(int(lon)), float(int(lon * 60 % 60)), round(lon * 3600 % 60, 2))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90, exif=exif.tobytes())
    return buffer.getvalue()


def display_bytes():
    """What the phone's canvas makes: smaller, no metadata."""
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), (40, 90, 160)).save(buffer, format="JPEG", quality=70)
    return buffer.getvalue()


ORIGINAL = original_bytes()


def declaration(**changes):
    values = {
        "key": str(uuid.uuid4()),
        "sha256": hashlib.sha256(ORIGINAL).hexdigest(),
        "size": len(ORIGINAL),
        "type": "image/jpeg",
        "taken_at": "2026:11:27 10:30:00",
        "offset": "+07:00",
        "latitude": -6.1783,
        "longitude": 106.6319,
    }
    values.update(changes)
    return values


def upload(client, activity, declared, data=None):
    photo = io.BytesIO(data or display_bytes())
    photo.name = "IMG_2044.jpg"
    return client.post(
        reverse("reports:evidence_add", args=[activity.pk]),
        {"client_id": str(uuid.uuid4()), "photo": photo, "originals": json.dumps([declared])},
    )


def send_original(client, key, data=ORIGINAL):
    original = io.BytesIO(data)
    original.name = "IMG_2044.jpg"
    return client.post(reverse("reports:evidence_original_add", args=[key]), {"original": original})


@pytest.fixture
def pending(client, people, activity):
    client.force_login(people.officer_a)
    declared = declaration()
    assert upload(client, activity, declared).status_code == 302
    return Evidence.objects.get(client_id=declared["key"])


def test_a_display_copy_is_kept_as_original_pending_with_the_declared_facts(pending):
    assert pending.original_state == "pending"
    assert pending.sha256 == hashlib.sha256(ORIGINAL).hexdigest()
    assert pending.size_bytes == len(ORIGINAL)
    assert not pending.original
    assert pending.taken_at == datetime.datetime(2026, 11, 27, 10, 30, tzinfo=WIB)
    assert float(pending.taken_latitude) == pytest.approx(-6.1783)
    assert pending.flag == "none"
    with pending.display.open("rb") as handle:
        assert max(Image.open(handle).size) <= 1600


def test_the_leader_sees_original_pending_and_cannot_download_it_yet(client, people, pending):
    client.force_login(people.leader_a)
    page = client.get(reverse("reports:report_detail", args=[pending.activity.report_id]))
    assert 'data-testid="original-pending"' in page.content.decode()
    assert "Asli belum terkirim" in page.content.decode()
    url = reverse("reports:evidence_file", args=[pending.pk, "original"])
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("reports:evidence_file", args=[pending.pk, "display"])).status_code
        == 200
    )


def test_the_original_that_matches_is_kept_verified_and_audited(client, people, pending):
    with audit_records("evidence.original_verify"):
        response = send_original(client, pending.client_id)
    assert response.status_code == 200
    assert response.json()["state"] == "verified"
    pending.refresh_from_db()
    assert pending.original_state == "verified"
    assert pending.original_received_at is not None
    with pending.original.open("rb") as handle:
        assert handle.read() == ORIGINAL
    assert (pending.width, pending.height) == (2000, 1500)
    client.force_login(people.leader_a)
    page = client.get(reverse("reports:activity_detail", args=[pending.activity_id]))
    assert "Asli terverifikasi" in page.content.decode()
    assert 'data-testid="original-pending"' not in page.content.decode()


def test_a_second_original_upload_creates_nothing(client, pending):
    assert send_original(client, pending.client_id).status_code == 200
    pending.refresh_from_db()
    stored = (pending.original.name, pending.display.name, pending.updated_at)
    with audit_records():
        again = send_original(client, pending.client_id)
    assert again.status_code == 200
    pending.refresh_from_db()
    assert (pending.original.name, pending.display.name, pending.updated_at) == stored


def test_an_original_that_does_not_match_is_refused_and_nothing_changes(client, pending):
    other = original_bytes(taken="2026:11:27 10:31:00")
    with audit_records():
        response = send_original(client, pending.client_id, data=other)
    assert response.status_code == 422
    assert "SHA-256" in response.json()["errors"][0]
    assert "bukan foto aslinya" in response.json()["errors"][0]
    pending.refresh_from_db()
    assert pending.original_state == "pending"
    assert not pending.original
    # The right one is still taken afterwards.
    assert send_original(client, pending.client_id).status_code == 200


def test_another_officers_evidence_is_not_found(client, people, pending):
    client.force_login(people.officer_b)
    assert send_original(client, pending.client_id).status_code == 404
    client.force_login(people.leader_a)
    assert send_original(client, pending.client_id).status_code == 403
    pending.refresh_from_db()
    assert pending.original_state == "pending"


def test_an_unknown_key_is_not_found(client, people, pending):
    assert send_original(client, uuid.uuid4()).status_code == 404


def test_the_original_arrives_after_the_report_was_submitted(client, people, pending):
    services.activity_update(
        by=people.officer_a,
        activity=pending.activity,
        warrant_number="W-1/2026",
        warrant_date=datetime.date(2026, 11, 27),
    )
    services.report_submit(by=people.officer_a, report=pending.activity.report)
    assert send_original(client, pending.client_id).status_code == 200
    pending.refresh_from_db()
    assert pending.original_state == "verified"


def test_the_verified_original_says_when_and_where_not_the_phone(client, pending):
    # The phone's word said 10:30 at the activity; the original itself says 15:30.
    Evidence.objects.filter(pk=pending.pk).update(
        sha256=hashlib.sha256(late := original_bytes(taken="2026:11:27 15:30:00")).hexdigest()
    )
    assert send_original(client, pending.client_id, data=late).status_code == 200
    pending.refresh_from_db()
    assert pending.flag == "time"
    assert pending.taken_at == datetime.datetime(2026, 11, 27, 15, 30, tzinfo=WIB)


def test_a_resent_upload_adds_the_photo_once(client, people, activity):
    client.force_login(people.officer_a)
    declared = declaration()
    with audit_records("evidence.add"):
        upload(client, activity, declared)
        upload(client, activity, declared)
    assert Evidence.objects.filter(activity=activity).count() == 1


def test_a_small_photo_sent_as_its_own_original_is_kept_whole(client, people, activity):
    client.force_login(people.officer_a)
    upload(client, activity, declaration(), data=ORIGINAL)
    evidence = Evidence.objects.get()
    assert evidence.original_state == "kept"
    with evidence.original.open("rb") as handle:
        assert handle.read() == ORIGINAL


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"sha256": "abc"}, "64 digit heksadesimal"),
        ({"sha256": "G" * 64}, "64 digit heksadesimal"),
        ({"sha256": "A" * 64}, "64 digit heksadesimal"),
        ({"sha256": None}, "64 digit heksadesimal"),
        ({"key": "../../etc"}, "tidak terbaca"),
        ({"size": -5}, "kosong atau lebih besar"),
        ({"size": 10**12}, "kosong atau lebih besar"),
        ({"size": "12"}, "kosong atau lebih besar"),
        ({"type": "text/html"}, "bukan foto"),
        ({"taken_at": "1970:01:01 00:00:00"}, "tidak masuk akal"),
        ({"taken_at": "2999:01:01 00:00:00"}, "tidak masuk akal"),
        ({"taken_at": "2026:13:45 10:00:00"}, "bukan tanggal"),
        ({"taken_at": "<script>"}, "format kamera"),
        ({"offset": "+7"}, "format kamera"),
        ({"latitude": 91, "longitude": 106}, "di luar bumi"),
        ({"latitude": -6, "longitude": 181}, "di luar bumi"),
        ({"latitude": "NaN", "longitude": "1"}, "di luar bumi"),
        ({"latitude": "1e999999", "longitude": "1"}, "di luar bumi"),
        ({"latitude": "lat", "longitude": "1"}, "bukan angka"),
    ],
)
def test_hostile_declarations_are_refused_with_a_message(client, people, activity, changes, words):
    client.force_login(people.officer_a)
    with audit_records():
        response = upload(client, activity, declaration(**changes))
    assert response.status_code == 422
    assert words in response.content.decode()
    assert Evidence.objects.count() == 0


@pytest.mark.parametrize("raw", ["not json", '{"a": 1}', json.dumps([None] * 50)])
def test_an_unreadable_list_of_originals_is_refused(client, people, activity, raw):
    client.force_login(people.officer_a)
    photo = io.BytesIO(display_bytes())
    photo.name = "a.jpg"
    response = client.post(
        reverse("reports:evidence_add", args=[activity.pk]),
        {"client_id": str(uuid.uuid4()), "photo": photo, "originals": raw},
    )
    assert response.status_code == 422
    assert Evidence.objects.count() == 0


def test_a_display_copy_larger_than_1600_pixels_is_refused(client, people, activity):
    client.force_login(people.officer_a)
    buffer = io.BytesIO()
    Image.new("RGB", (2400, 1800), "white").save(buffer, format="JPEG")
    response = upload(client, activity, declaration(), data=buffer.getvalue())
    assert response.status_code == 422
    assert "1600" in response.content.decode()
    assert Evidence.objects.count() == 0


def test_the_original_lands_in_the_object_store_through_the_storage_api(
    client, people, activity, s3_store
):
    endpoint, bucket = s3_store
    client.force_login(people.officer_a)
    declared = declaration()
    upload(client, activity, declared)
    evidence = Evidence.objects.get(client_id=declared["key"])
    before = bucket_keys(endpoint, bucket)
    # The phone's display copy has no original to wait for: its copies are made at once.
    assert set(before) == {evidence.display.name, evidence.thumbnail.name}
    with then_the_worker():
        assert send_original(client, evidence.client_id).status_code == 200
        evidence.refresh_from_db()
        after = bucket_keys(endpoint, bucket)
        # The request adds the original alone; the copies from the phone's are shown meanwhile.
        assert set(after) == set(before) | {evidence.original.name}
        assert after[evidence.original.name] == len(ORIGINAL)
        assert not evidence.copies_from_original
    served = client.get(reverse("reports:evidence_file", args=[evidence.pk, "original"]))
    assert hashlib.sha256(b"".join(served.streaming_content)).hexdigest() == evidence.sha256
    # The worker remade both from the original and removed the pair they replace.
    evidence.refresh_from_db()
    assert evidence.copies_from_original
    assert len(photo_files(evidence)) == 3
    assert set(bucket_keys(endpoint, bucket)) == photo_files(evidence)
    assert not set(before) & {evidence.display.name, evidence.thumbnail.name}


def test_a_photo_described_as_sent_as_taken_is_kept_whole(client, people, activity):
    client.force_login(people.officer_a)
    photo = io.BytesIO(ORIGINAL)
    photo.name = "a.jpg"
    response = client.post(
        reverse("reports:evidence_add", args=[activity.pk]),
        {"client_id": str(uuid.uuid4()), "photo": photo, "originals": "[null]"},
    )
    assert response.status_code == 302
    assert Evidence.objects.get().original_state == "kept"


def test_a_key_of_another_officers_photo_is_refused(client, people, pending):
    theirs = services.activity_create(
        by=people.officer_b,
        client_id=uuid.uuid4(),
        kind="administrative",
        source="apoa",
        started_at=datetime.datetime(2026, 11, 27, 9, 0, tzinfo=WIB),
    )
    client.force_login(people.officer_b)
    with audit_records("access.denied"):  # the refusal is audited; nothing else is written
        response = upload(client, theirs, declaration(key=str(pending.client_id)))
    assert response.status_code == 403
    assert Evidence.objects.count() == 1
    assert Evidence.objects.get().activity_id == pending.activity_id
