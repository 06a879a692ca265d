"""A 6 MB camera photo on a slow phone: resized before it leaves, its original follows later.

Issue 15 item 3, in Chromium at 360×740 with the network throttled through the DevTools protocol
(400 kbit/s each way, 400 ms latency, service worker blocked so every byte is throttled): a
4000×3000, ~6 MB JPEG (EXIF time, GPS, orientation 6) is chosen on the activity page; the page
hashes it, reads its EXIF, sends a copy of at most 1600 px and 250 KB, and keeps the original.
The seconds from the file choice to the photo shown from the server are printed and written to
var/bench/photo_upload.json (`make bench` prints it). Then the leader sees "original pending";
the throttle is lifted (a good connection: outside the office's hours set here, it is the only
reason to send), the original goes up by itself, is verified against the hash, and the leader
sees "original verified".
"""

import datetime
import hashlib
import io
import json
import os
import time
from pathlib import Path

import pillow_heif
import pytest
from django.utils import timezone
from PIL import Image, ImageChops

from silahap.audit.models import AuditEvent
from silahap.reports.models import Evidence
from silahap.testing.personas import PASSWORD
from silahap.testing.url_matrix import field_activity

# What this drives is the page in the browser, the same on either database (the services under it
# are tested on both): it runs once, on SQLite (issue 14, a suite half as long).
# Times are asserted only in `make bench` (SILAHAP_BENCH=1): a busy machine must not fail the suite.
TIMED = os.environ.get("SILAHAP_BENCH") == "1"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.one_database("sqlite"),
]

SLOW_3G = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400_000 / 8,
    "uploadThroughput": 400_000 / 8,
}
UNTHROTTLED = {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
# The target is 15 s (#15 item 3); asserted at twice that, for a busy machine.
TARGET_SECONDS = 15
MOST_BYTES_SENT = 250 * 1024


def camera_jpeg() -> bytes:
    """4000×3000, about 6 MB: a gradient under sensor-like noise, with the EXIF a phone writes
    (taken sideways: orientation 6), the time and the point of the activity."""
    size = (4000, 3000)
    base = Image.linear_gradient("L").resize(size)
    noise = Image.effect_noise(size, 40)
    image = Image.merge(
        "RGB",
        (
            ImageChops.add(base, noise, scale=2.0),
            ImageChops.add(base.transpose(Image.Transpose.FLIP_LEFT_RIGHT), noise, scale=2.0),
            Image.effect_noise(size, 30),
        ),
    )
    exif = Image.Exif()
    exif[0x0112] = 6
    taken = timezone.localtime(timezone.now() - datetime.timedelta(minutes=20))
    exif.get_ifd(0x8769)[36867] = taken.strftime("%Y:%m:%d %H:%M:%S")
    exif.get_ifd(0x8769)[36881] = taken.strftime("%z")[:3] + ":" + taken.strftime("%z")[3:]
    gps = exif.get_ifd(0x8825)
    gps[1], gps[3] = "S", "E"
    gps[2] = (6.0, 10.0, 41.88)  # 6.178300° S
    gps[4] = (106.0, 37.0, 54.84)  # 106.631900° E
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=89, exif=exif.tobytes())
    return buffer.getvalue()


def log_in(page, base_url, username):
    page.goto(base_url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_selector("[data-testid=home-title]")


def wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(1)
    return False


def test_a_camera_photo_goes_up_resized_and_its_original_follows(
    served, people, browser, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    # The office's hours for originals lie ahead: only a good connection sends one now.
    ahead = timezone.localtime(timezone.now(), people.office_a.zone) + datetime.timedelta(hours=2)
    later = ahead + datetime.timedelta(hours=1)
    settings.SILAHAP_EVIDENCE_ORIGINAL_HOURS = f"{ahead:%H:%M}-{later:%H:%M}"
    activity = field_activity(people)
    original = camera_jpeg()
    assert 5_000_000 <= len(original) <= 7_500_000
    path = tmp_path / "IMG_20261205_101500.jpg"
    path.write_bytes(original)

    context = browser.new_context(
        service_workers="block",
        bypass_csp=True,  # Playwright's wait_for_function evaluates code in the page
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sent = []
    page.on(
        "request",
        lambda request: (
            sent.append(len(request.post_data_buffer or b""))
            if request.method == "POST"
            and request.url.endswith(f"/activities/{activity.pk}/photos/")
            else None
        ),
    )
    log_in(page, served, "officer_a")
    page.goto(served + activity.get_absolute_url())
    page.wait_for_load_state("networkidle")
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    throttled_as = page.evaluate("navigator.connection && navigator.connection.effectiveType")

    started = time.monotonic()
    page.set_input_files("[data-testid=photo-input]", str(path))
    page.wait_for_selector("[data-testid=photo] [data-testid=original-pending]", timeout=90_000)
    seconds = time.monotonic() - started

    evidence = Evidence.objects.get(activity=activity)
    assert evidence.original_state == "pending"
    assert evidence.sha256 == hashlib.sha256(original).hexdigest()
    assert evidence.size_bytes == len(original)
    assert not evidence.original
    # The EXIF time and point were read on the phone before resizing (the copy has none).
    assert evidence.taken_at is not None
    assert abs(evidence.taken_at - (timezone.now() - datetime.timedelta(minutes=20))) < (
        datetime.timedelta(minutes=5)
    )
    assert float(evidence.taken_latitude) == pytest.approx(-6.1783, abs=1e-4)
    assert float(evidence.taken_longitude) == pytest.approx(106.6319, abs=1e-4)
    # Upright (orientation 6 turns 4000×3000 into 3000×4000) and at most 1600 px.
    with evidence.display.open("rb") as handle:
        assert Image.open(handle).size == (1200, 1600)
    # What the phone sent, as the server received it (the copy is re-encoded for showing).
    added = AuditEvent.objects.get(action="evidence.add", object_id=str(evidence.pk))
    sent = added.summary["display_bytes"]
    assert sent <= MOST_BYTES_SENT

    leader = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    review = leader.new_page()
    log_in(review, served, "leader_a")
    review.goto(served + activity.report.get_absolute_url())
    assert review.inner_text("[data-testid=original-pending]") == "Asli belum terkirim"

    # A good connection again: the original goes up by itself and is checked against its hash.
    cdp.send("Network.emulateNetworkConditions", UNTHROTTLED)
    good_as = page.evaluate("navigator.connection && navigator.connection.effectiveType")

    def verified():
        # Asked through the server (the test's own queries would race the live server's on
        # SQLite's one shared connection).
        review.reload()
        return review.locator("[data-testid=original-verified]").count() > 0

    assert wait_for(verified, 60), (throttled_as, good_as, errors)
    evidence.refresh_from_db()
    assert evidence.original_state == "verified"
    with evidence.original.open("rb") as handle:
        assert handle.read() == original
    assert review.inner_text("[data-testid=original-verified]") == "Asli terverifikasi"
    assert review.locator("[data-testid=original-pending]").count() == 0
    # Sent and verified: the phone keeps no original any more.
    waiting = page.evaluate(
        "new Promise(done => { const open = indexedDB.open('silahap-originals', 1);"
        " open.onsuccess = () => { const count = open.result.transaction('originals')"
        ".objectStore('originals').count(); count.onsuccess = () => done(count.result); }; })"
    )
    assert waiting == 0
    assert not errors
    leader.close()
    context.close()

    figures = {
        "photo": f"{len(original)} bytes, 4000x3000 JPEG, EXIF orientation 6",
        "display_copy_bytes_sent": sent,
        "seconds_to_display_copy_shown": round(seconds, 1),
        "seconds_target": TARGET_SECONDS,
        "connection_throttled_as": throttled_as,
        "connection_unthrottled_as": good_as,
        "network": "400 kbit/s each way, 400 ms latency, 360x740, service worker blocked",
    }
    out = Path(settings.BASE_DIR) / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "photo_upload.json").write_text(json.dumps(figures, indent=2))
    print("photo upload:", json.dumps(figures))
    # The time is the bench's to hold (make bench); the suite checks what was sent.
    assert not TIMED or seconds <= 2 * TARGET_SECONDS


def test_a_photo_the_phone_cannot_resize_goes_up_as_taken(
    live_server, people, phone, settings, tmp_path
):
    """Chromium decodes no HEIC: the page sends the file itself, kept whole, nothing pending."""
    pillow_heif.register_heif_opener()
    settings.MEDIA_ROOT = tmp_path / "media"
    activity = field_activity(people)
    noise = Image.merge("RGB", [Image.effect_noise((640, 480), 60) for _ in range(3)])
    buffer = io.BytesIO()
    noise.save(buffer, format="HEIF", quality=90)
    heic = buffer.getvalue()
    assert len(heic) > MOST_BYTES_SENT  # large enough that the page tries to resize it
    log_in(phone, live_server.url, "officer_a")
    phone.goto(live_server.url + activity.get_absolute_url())
    phone.set_input_files(
        "[data-testid=photo-input]",
        files=[{"name": "IMG_0001.HEIC", "mimeType": "image/heic", "buffer": heic}],
    )
    phone.wait_for_selector("[data-testid=photo]", timeout=60_000)
    evidence = Evidence.objects.get(activity=activity)
    assert evidence.original_state == "kept"
    assert evidence.content_type == "image/heic"
    assert evidence.sha256 == hashlib.sha256(heic).hexdigest()
    assert phone.locator("[data-testid=original-pending]").count() == 0
