"""Evidence metadata through the API says whether the photo's original is still to come."""

from __future__ import annotations

import datetime
import hashlib
import io
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from silahap.events import spine
from silahap.integration.tests.conftest import bearer
from silahap.reports import services
from silahap.reports.evidence import declared_original
from silahap.reports.tests.factories import photo_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def display_copy() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (200, 30, 30)).save(buffer, format="JPEG", quality=70)
    return buffer.getvalue()


def test_a_pending_original_is_told_then_its_arrival(client, people, make_client, field_work):
    activity = field_work["a"][0]
    original = photo_bytes(size=(1200, 900))
    declared = declared_original(
        {
            "key": str(uuid.uuid4()),
            "sha256": hashlib.sha256(original).hexdigest(),
            "size": len(original),
            "type": "image/jpeg",
        },
        now=timezone.now(),
    )
    evidence = services.evidence_add(
        by=people.officer_a,
        client_id=uuid.uuid4(),
        activity=activity,
        data=display_copy(),
        declared=declared,
    )
    _client, token = make_client(people.office_a, resources=("reports", "events"))
    url = reverse("integration:evidence-detail", args=[evidence.pk])
    pending = client.get(url, **bearer(token)).json()
    assert pending["original_state"] == "pending"
    assert pending["original_received_at"] is None
    assert pending["sha256"] == declared.sha256
    listed = client.get(
        reverse("integration:evidence-list"), {"activity": activity.pk}, **bearer(token)
    ).json()["results"]
    assert [(row["id"], row["original_state"]) for row in listed] == [(evidence.pk, "pending")]

    services.evidence_original_add(by=people.officer_a, evidence=evidence, data=original)
    verified = client.get(url, **bearer(token)).json()
    assert verified["original_state"] == "verified"
    received = datetime.datetime.fromisoformat(verified["original_received_at"])
    assert abs(received - timezone.now()) < datetime.timedelta(minutes=1)
    assert verified["updated_at"] > pending["updated_at"]
    assert verified["sha256"] == declared.sha256

    # The arrival is an event in the feed, naming the evidence to re-read, once even if resent;
    # another office's client does not see it.
    services.evidence_original_add(by=people.officer_a, evidence=evidence, data=original)
    spine.sequence()
    feed = client.get(reverse("integration:events"), {"limit": 200}, **bearer(token)).json()
    arrivals = [item for item in feed["results"] if item["type"] == "evidence.original_verified"]
    assert [(item["url"], item["data"]["activity"]) for item in arrivals] == [(url, activity.pk)]
    assert arrivals[0]["data"]["flag"] == verified["flag"]
    _other, other_token = make_client(people.office_b, resources=("reports", "events"))
    other_feed = client.get(reverse("integration:events"), **bearer(other_token)).json()
    assert all(item["type"] != "evidence.original_verified" for item in other_feed["results"])


def test_the_schema_names_the_original_states(client):
    schema = client.get(reverse("integration:schema"), {"format": "json"}).json()
    evidence = schema["components"]["schemas"]["Evidence"]["properties"]
    assert "original_received_at" in evidence
    state = evidence["original_state"]
    ref = state.get("$ref") or state["allOf"][0]["$ref"]
    enum = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["enum"]
    assert set(enum) == {"kept", "pending", "verified"}
