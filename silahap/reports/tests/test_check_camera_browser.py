"""On a 360 px phone an officer photographs a passport page, confirms the fields, saves the check.

The suite's officer_a stands in for the demo's petugas.tng4 (seeding the demo costs minutes); the
photo is a generated passport page in OCR-B, set on the camera button's file input.
"""

import datetime
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from silahap.audit.models import AuditEvent
from silahap.registry.mrz import parse_mrz
from silahap.reports.models import Check
from silahap.testing.mrz_photos import corpus
from silahap.testing.personas import PASSWORD
from silahap.testing.url_matrix import field_activity

# What this drives is the page in the browser, the same on either database (the services under it
# are tested on both): it runs once, on SQLite (issue 14, a suite half as long).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.one_database("sqlite"),
]

MOST_BYTES_SENT = 150 * 1024


def log_in(page, base_url):
    page.goto(base_url + "/login/")
    page.fill("#id_username", "officer_a")
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_selector("[data-testid=home-title]")


def test_officer_photographs_a_passport_confirms_and_saves_the_check(live_server, people, phone):
    photo = corpus(1, seed=5, gentle=True)[0]
    printed = parse_mrz(photo.mrz)
    activity = field_activity(people)
    log_in(phone, live_server.url)
    messages = []
    phone.on("console", lambda message: messages.append(message.text))
    phone.on("pageerror", lambda error: messages.append(str(error)))
    phone.goto(live_server.url + activity.get_absolute_url())
    button = phone.locator("[data-testid=mrz-photo-button]")
    assert button.inner_text() == "Foto halaman paspor / kartu izin tinggal"
    assert button.bounding_box()["height"] >= 44

    phone.set_input_files(
        "[data-testid=mrz-photo-input]",
        files=[{"name": "paspor.jpg", "mimeType": "image/jpeg", "buffer": photo.jpeg}],
    )
    # The status says "Reading…" until the server has answered.
    phone.wait_for_function(
        "(s => s.textContent !== '' && s.className !== 'muted')"
        "(document.querySelector('[data-testid=mrz-photo-status]'))",
        timeout=90_000,
    )
    status = phone.inner_text("[data-testid=mrz-photo-status]")
    assert phone.locator("[data-testid=mrz-photo-result]").is_visible(), (status, messages)
    sent = int(phone.get_attribute("[data-mrz-photo]", "data-sent-bytes"))
    assert sent <= MOST_BYTES_SENT
    # The check digits cover the number and the dates: those are filled exactly as printed.
    assert phone.input_value("[name='person-document_number']") == printed.document_number
    assert phone.input_value("[name='person-birth_date']") == printed.birth_date.isoformat()
    assert phone.input_value("[name='person-document_expiry']") == printed.expiry_date.isoformat()
    assert phone.locator("[data-testid=mrz-unsure]").count() == 0
    # No check digit covers the name: it is shown with the reader's certainty, and the officer
    # compares it with the page and corrects what the reader got wrong.
    values = phone.locator("[data-testid=mrz-photo-value]").all_inner_texts()
    read_name = phone.input_value("[name='person-full_name']")
    assert values[0].startswith(read_name)
    assert "%" in values[0]
    if read_name != printed.full_name:
        phone.fill("[name='person-full_name']", printed.full_name)
    assert phone.get_attribute("[data-mrz-photo-crop]", "src").startswith("data:image/jpeg")
    # Nobody in the registry holds this document: the new person's fields are open to confirm.
    phone.wait_for_selector("[data-testid=person-new-fields]:not([hidden])")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    phone.select_option("[name='person-permit_type']", "ITAS")
    valid_until = timezone.localdate() + datetime.timedelta(days=200)
    phone.fill("[name='person-permit_valid_until']", valid_until.isoformat())
    phone.click("label:has(input[name=result][value=compliant])")
    phone.click("[data-testid=save-check]")
    phone.wait_for_selector("[data-testid=check]", timeout=30_000)

    check = Check.objects.get(activity=activity)
    assert check.person.full_name == printed.full_name
    assert check.person.documents.get().number == printed.document_number
    assert AuditEvent.objects.filter(
        action="person.document_read", actor_id=people.officer_a.pk
    ).exists()
    out = Path(settings.BASE_DIR) / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "mrz_photo_bytes.json").write_text(json.dumps({"bytes_sent": sent}))
