"""On a 360 px phone without a connection, the officer photographs a passport page and saves the
check with what they typed; back online, the photo is read on arrival, fills only the empty
fields, and the check shows "identity pending" until the officer confirms it (issue #22 item 4).
"""

import io

import pytest
from PIL import Image

from silahap.audit.models import AuditEvent
from silahap.registry.mrz import parse_mrz
from silahap.reports.models import Check, Evidence
from silahap.testing.browser import controlled_by_service_worker, log_in
from silahap.testing.mrz_photos import corpus
from silahap.testing.url_matrix import field_activity

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.one_database("sqlite"),
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_passport_photographed_offline_fills_the_empty_fields_and_waits_for_confirmation(
    live_server, people, phone
):
    photo = corpus(1, seed=5, gentle=True)[0]
    printed = parse_mrz(photo.mrz)
    activity = field_activity(people)
    log_in(phone, live_server.url, "officer_a")
    phone.wait_for_selector("[data-testid=home-title]")
    errors = []
    phone.on("pageerror", lambda error: errors.append(str(error)))
    phone.goto(live_server.url + activity.get_absolute_url())
    phone.reload()  # the second load goes through the service worker, which keeps a copy
    controlled_by_service_worker(phone)

    phone.context.set_offline(True)
    phone.set_input_files(
        "[data-testid=mrz-photo-input]",
        files=[{"name": "paspor.jpg", "mimeType": "image/jpeg", "buffer": photo.jpeg}],
    )
    status = phone.locator("[data-testid=mrz-photo-status]")
    phone.wait_for_selector("[data-testid=mrz-photo-status].returned", timeout=30_000)
    assert "foto menunggu di ponsel ini" in status.inner_text(), errors
    # The photo waits in the form's own file field; the new person's fields are open.
    assert (
        phone.evaluate("document.querySelector('[data-testid=mrz-photo-waiting]').files.length")
        == 1
    )
    phone.wait_for_selector("[data-testid=person-new-fields]:not([hidden])")
    # The officer types the name as they hear it, and nothing else of the identity.
    phone.fill("[name='person-full_name']", "Ditulis Petugas")
    phone.click("label:has(input[name=result][value=compliant])")
    phone.click("[data-testid=save-check]")
    phone.wait_for_selector("[data-testid=outbox-status].returned")
    assert Check.objects.count() == 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    phone.context.set_offline(False)
    phone.wait_for_selector("[data-testid=identity-pending]", timeout=60_000)
    check = Check.objects.get(activity=activity)
    assert check.identity_pending is True
    # What was typed stays; the rest comes from the document.
    assert check.person.full_name == "Ditulis Petugas"
    assert check.person.documents.get().number == printed.document_number
    assert check.person.birth_date == printed.birth_date
    assert "full_name" not in check.identity_reading["filled"]
    assert not Evidence.objects.exists()  # read, then discarded
    assert AuditEvent.objects.filter(action="person.document_read").count() == 1
    assert phone.inner_text("[data-testid=identity-pending]").startswith(
        "Identitas menunggu konfirmasi"
    )
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    phone.click("[data-testid=confirm-identity]")
    phone.wait_for_selector("[data-testid=check]")
    phone.wait_for_function("!document.querySelector('[data-testid=identity-pending]')")
    check.refresh_from_db()
    assert check.identity_pending is False
    assert Check.objects.count() == 1
    assert AuditEvent.objects.filter(action="check.identity_confirm").count() == 1


def test_a_photo_that_cannot_be_read_brings_the_form_back_with_its_errors(
    live_server, people, phone
):
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), "white").save(out, "JPEG")
    activity = field_activity(people)
    log_in(phone, live_server.url, "officer_a")
    phone.wait_for_selector("[data-testid=home-title]")
    phone.goto(live_server.url + activity.get_absolute_url())
    phone.reload()
    controlled_by_service_worker(phone)
    phone.context.set_offline(True)
    phone.set_input_files(
        "[data-testid=mrz-photo-input]",
        files=[{"name": "kosong.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}],
    )
    phone.wait_for_selector("[data-testid=mrz-photo-status].returned", timeout=30_000)
    # Nothing typed: everything was left to the photo.
    phone.fill("[name=activity_observed]", "Duduk di lobi")
    phone.click("[data-testid=save-check]")
    phone.wait_for_selector("[data-testid=outbox-status].returned")

    phone.context.set_offline(False)
    # The server's answer is shown, as online: the fields it needs, and what was typed kept.
    phone.wait_for_selector("#check-form .errorlist, #check-form .field-error", timeout=60_000)
    assert phone.input_value("[name=activity_observed]") == "Duduk di lobi"
    assert Check.objects.count() == 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    # The outbox is empty: nothing is sent again and again.
    phone.wait_for_timeout(500)
    assert (
        phone.evaluate(
            "new Promise(r => { var q = indexedDB.open('silahap-outbox', 1);"
            " q.onsuccess = () => { var g = q.result.transaction('requests')"
            ".objectStore('requests').getAll(); g.onsuccess = () => r(g.result.length); }; })"
        )
        == 0
    )
