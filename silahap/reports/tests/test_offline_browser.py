"""Nothing is lost on a bad connection: offline mid-submit, reload, back online, one of each."""

import datetime
import uuid

import pytest
from django.utils import timezone
from PIL import Image

from silahap.registry.models import Regency
from silahap.registry.services import place_create
from silahap.reports import services
from silahap.reports.models import Activity, Evidence
from silahap.testing.browser import controlled_by_service_worker
from silahap.testing.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def log_in(page, base_url):
    page.goto(base_url + "/login/")
    page.fill("#id_username", "officer_a")
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_selector("[data-testid=home-title]")


def jpeg(path):
    Image.new("RGB", (320, 240), "green").save(path, format="JPEG")
    return path


def test_offline_photo_upload_survives_a_reload_and_is_sent_once(
    live_server, people, phone, tmp_path
):
    place = place_create(
        by=people.officer_a,
        name="Hotel Sinyal Lemah",
        kind="hotel",
        regency=Regency.objects.get(code="36.74"),
        latitude="-6.29",
        longitude="106.71",
    )
    activity = services.activity_create(
        by=people.officer_a,
        client_id=uuid.uuid4(),
        kind="field",
        source="patrol",
        started_at=timezone.now() - datetime.timedelta(minutes=20),
        place=place,
    )
    log_in(phone, live_server.url)
    url = f"{live_server.url}/reports/activities/{activity.pk}/"
    phone.goto(url)
    phone.reload()  # the second load goes through the service worker, which keeps a copy
    controlled_by_service_worker(phone)

    phone.context.set_offline(True)
    phone.fill("[name=caption]", "Tampak depan hotel")
    phone.set_input_files(
        "[data-testid=photo-input]", str(jpeg(tmp_path / "bukti.jpg"))
    )  # sends itself
    phone.wait_for_selector("[data-testid=outbox-status].returned")
    assert Evidence.objects.count() == 0

    phone.reload()  # still offline: page from the service worker, photo from the outbox
    phone.wait_for_selector("[data-testid=outbox-status]")
    assert phone.input_value("[name=caption]") == "Tampak depan hotel"

    phone.context.set_offline(False)
    phone.wait_for_selector("[data-testid=photo]", timeout=45000)
    assert Evidence.objects.count() == 1
    assert Evidence.objects.get().caption == "Tampak depan hotel"
    # Another reload and the periodic retry must not send it again.
    phone.reload()
    phone.wait_for_timeout(500)
    assert Evidence.objects.count() == 1
    assert phone.locator("[data-testid=photo]").count() == 1


def test_activity_typed_offline_is_kept_and_created_once_online(live_server, people, phone):
    log_in(phone, live_server.url)
    phone.goto(live_server.url + "/reports/activities/new/")
    phone.evaluate("navigator.serviceWorker.ready.then(() => true)")
    phone.reload()
    controlled_by_service_worker(phone)
    phone.click("label:has(input[name=kind][value=administrative])")
    phone.fill("[name=description]", "Pemeriksaan dokumen sponsor PT Maju")
    posted: list[str] = []
    phone.on(
        "request",
        lambda request: (
            request.method == "POST"
            and "/reports/activities/new/" in request.url
            and posted.append(request.headers.get("content-type", ""))
        ),
    )
    phone.context.set_offline(True)
    phone.click("[data-testid=save-activity]")
    phone.wait_for_selector("[data-testid=outbox-status].returned")
    phone.context.set_offline(False)
    phone.wait_for_function(
        "location.pathname.indexOf('/reports/activities/new/') === -1", timeout=20000
    )
    assert Activity.objects.count() == 1
    assert Activity.objects.get().description == "Pemeriksaan dokumen sponsor PT Maju"
    # Without files the outbox posts the form as the browser would, not as multipart.
    assert posted
    assert all(kind.startswith("application/x-www-form-urlencoded") for kind in posted), posted
