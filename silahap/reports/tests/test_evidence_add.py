"""Photo evidence: real photos are kept with their hash and flags; hostile files are refused."""

import datetime
import hashlib
import io
import struct
import uuid
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from silahap.reports import services
from silahap.reports.models import Check, Evidence
from silahap.reports.tests import factories
from silahap.reports.tests.factories import photo_bytes
from silahap.testing.worker import then_the_worker

pytestmark = pytest.mark.django_db
WIB = datetime.timezone(datetime.timedelta(hours=7))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def add(people, activity, data, name="IMG_0001.jpg"):
    return services.evidence_add(
        by=people.officer_a, client_id=uuid.uuid4(), activity=activity, data=data
    )


def add_and_copy(people, activity, data) -> Evidence:
    """The upload, then the worker making its copies."""
    with then_the_worker():
        evidence = add(people, activity, data)
    evidence.refresh_from_db()
    return evidence


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("JPEG", "image/jpeg"),
        ("PNG", "image/png"),
        ("WEBP", "image/webp"),
        ("HEIF", "image/heic"),
    ],
)
def test_each_accepted_format_is_kept_with_its_hash(people, activity, fmt, content_type):
    data = photo_bytes(fmt)
    evidence = add_and_copy(people, activity, data)
    assert evidence.content_type == content_type
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    with evidence.original.open("rb") as handle:
        assert handle.read() == data
    with evidence.display.open("rb") as handle:
        shown = Image.open(handle)
        assert shown.format == "JPEG"
        assert not shown.getexif()


def test_photo_taken_at_the_activity_is_not_flagged(people, activity):
    evidence = add(people, activity, photo_bytes())
    assert evidence.flag == "none"
    assert evidence.taken_at == datetime.datetime(2026, 11, 27, 10, 30, tzinfo=WIB)
    assert float(evidence.taken_latitude) == pytest.approx(-6.1783, abs=1e-3)


def test_photo_taken_hours_later_is_flagged_for_time(people, activity):
    assert add(people, activity, photo_bytes(taken="2026:11:27 15:30:00")).flag == "time"


def test_photo_taken_far_away_is_flagged_for_place(people, activity):
    assert add(people, activity, photo_bytes(point=(6.30, 106.80))).flag == "place"


def test_photo_far_in_time_and_place_is_flagged_for_both(people, activity):
    evidence = add(people, activity, photo_bytes(taken="2026:11:20 10:00:00", point=(6.3, 106.8)))
    assert evidence.flag == "time_place"


def test_photo_without_metadata_is_marked_not_flagged(people, activity):
    assert add(people, activity, photo_bytes(taken=None, point=None)).flag == "no_metadata"


def test_orientation_is_applied_to_the_display_copy(people, activity):
    evidence = add_and_copy(people, activity, photo_bytes(size=(400, 200), orientation=6))
    with evidence.display.open("rb") as handle:
        assert Image.open(handle).size == (200, 400)


def test_a_repeated_upload_id_adds_nothing(people, activity):
    client_id = uuid.uuid4()
    first = services.evidence_add(
        by=people.officer_a, client_id=client_id, activity=activity, data=photo_bytes()
    )
    again = services.evidence_add(
        by=people.officer_a, client_id=client_id, activity=activity, data=photo_bytes()
    )
    assert first.pk == again.pk
    assert Evidence.objects.count() == 1


def png_with_size(width, height) -> bytes:
    """A tiny PNG file that claims a huge canvas: the classic decompression bomb."""
    row = b"\x00" + b"\x00" * width
    raw = zlib.compress(row * height, 9)

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def gif_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (4, 4)).save(buffer, format="GIF")
    return buffer.getvalue()


HOSTILE = {
    "text renamed .jpg": b"this is just a text file pretending to be a photo\n" * 10,
    "executable renamed .jpg": b"\x7fELF\x02\x01\x01" + b"\x00" * 200,
    "windows executable": b"MZ\x90\x00" + b"\x00" * 300,
    "svg with script": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "html first polyglot": b"<html><script>alert(1)</script></html>"
    + photo_bytes(taken=None, point=None),
    "jpeg carrying html": photo_bytes(taken=None, point=None)[:20]
    + b"<html><script>x</script></html>"
    + photo_bytes(taken=None, point=None)[20:],
    "empty file": b"",
    "truncated jpeg": photo_bytes()[:600],
    "pixel bomb": png_with_size(12000, 12000),
    "gif is not accepted": gif_bytes(),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_files_get_a_clear_message_and_leave_the_report_intact(
    client, people, activity, name
):
    client.force_login(people.officer_a)
    upload = io.BytesIO(HOSTILE[name])
    upload.name = "../../etc/passwd.jpg"
    response = client.post(
        reverse("reports:evidence_add", args=[activity.pk]),
        {"client_id": str(uuid.uuid4()), "photo": upload},
    )
    assert response.status_code == 422
    content = response.content.decode()
    assert 'data-testid="photo-errors"' in content
    assert Evidence.objects.count() == 0
    assert activity.report.activities.count() == 1


def test_oversize_files_are_refused_before_decoding(client, people, activity, settings):
    settings.SILAHAP_EVIDENCE_MAX_BYTES = 10_000
    client.force_login(people.officer_a)
    upload = io.BytesIO(photo_bytes(size=(1600, 1200)) + b"\x00" * 20_000)
    upload.name = "big.jpg"
    response = client.post(
        reverse("reports:evidence_add", args=[activity.pk]),
        {"client_id": str(uuid.uuid4()), "photo": upload},
    )
    assert response.status_code == 422
    assert "lebih besar dari" in response.content.decode()


def test_too_many_pixels_is_refused_even_when_small_in_bytes(people, activity, settings):
    settings.SILAHAP_EVIDENCE_MAX_PIXELS = 1_000_000
    with pytest.raises(Exception, match="megapiksel|megapixels"):
        add(people, activity, photo_bytes(size=(2000, 1000)))


def test_stored_names_never_come_from_the_upload(client, people, activity):
    client.force_login(people.officer_a)
    upload = io.BytesIO(photo_bytes())
    upload.name = "../../../evil.jpg"
    client.post(
        reverse("reports:evidence_add", args=[activity.pk]),
        {"client_id": str(uuid.uuid4()), "photo": upload},
    )
    evidence = Evidence.objects.get()
    assert ".." not in evidence.original.name
    assert "evil" not in evidence.original.name
    assert evidence.original.name.startswith("evidence/")


def test_photos_are_served_only_through_the_access_check(client, people, activity):
    evidence = add_and_copy(people, activity, photo_bytes())
    url = reverse("reports:evidence_file", args=[evidence.pk, "original"])
    client.force_login(people.officer_b)
    assert client.get(url).status_code == 404
    client.force_login(people.partner)
    assert client.get(url).status_code == 404
    client.force_login(people.leader_a)
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == evidence.original.open("rb").read()
    display = client.get(reverse("reports:evidence_file", args=[evidence.pk, "display"]))
    assert display["Content-Type"] == "image/jpeg"
    assert display["Content-Disposition"].startswith("inline")


def test_closed_activity_photos_are_hidden_from_analysts(client, people, activity):
    services.activity_update(by=people.officer_a, activity=activity, classification="closed")
    evidence = add(people, activity, photo_bytes())
    client.force_login(people.analyst)
    assert (
        client.get(reverse("reports:evidence_file", args=[evidence.pk, "display"])).status_code
        == 404
    )


def _upload(client, activity):
    photo = io.BytesIO(photo_bytes())
    photo.name = "IMG_0001.jpg"
    return client.post(
        reverse("reports:evidence_add", args=[activity.pk]),
        {"client_id": str(uuid.uuid4()), "photo": photo},
    )


def test_an_upload_reads_the_same_few_rows_however_full_the_activity_is(client, people, activity):
    """A photo's request reads the activity and its report, not its checks, findings and other
    photos (those only when the page comes back with an error)."""
    client.force_login(people.officer_a)
    counts = []
    for photos, checks in ((0, 0), (12, 6)):
        for _ in range(photos):
            add(people, activity, photo_bytes())
        for index in range(checks):
            person = factories.person(
                by=people.officer_a, name=f"Person {index}", document=f"Q{index:07d}"
            )
            services.check_create(
                by=people.officer_a,
                client_id=uuid.uuid4(),
                activity=activity,
                person=person,
                verification_method=Check.Method.PERMIT_QR,
                result=Check.Result.COMPLIANT,
            )
        with CaptureQueriesContext(connection) as captured:
            response = _upload(client, activity)
        assert response.status_code == 302
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
    # Session, account, memberships, the activity with its report; then the service: the key,
    # the report's lock, the photo count, the row, its audit and spine events; and two
    # savepoint pairs (one is the transaction's BEGIN and COMMIT outside the test's own).
    assert counts[0] <= 14, [query["sql"][:90] for query in captured.captured_queries]
    assert activity.evidence.count() == 12 + 2


@pytest.mark.parametrize("kept", [0.5, 0.9, 0.999])
def test_a_photo_cut_anywhere_is_refused_though_only_checked_at_a_smaller_size(
    people, activity, kept
):
    """The upload checks a JPEG by decoding it at an eighth of its size (its copies are the
    worker's): the decoder still reads every byte, so a photo cut short is refused as damaged,
    also in a process that has made a PDF (WeasyPrint's import tells Pillow to accept cut
    images for good)."""
    import weasyprint  # noqa: F401, PLC0415 — its import is the point

    data = photo_bytes(size=(1600, 1200))
    with pytest.raises(ValidationError) as refused:
        add(people, activity, data[: int(len(data) * kept)])
    assert refused.value.messages == ["Foto ini rusak atau tidak lengkap; ambil atau pilih lagi."]
    assert Evidence.objects.count() == 0
