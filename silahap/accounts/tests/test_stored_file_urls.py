"""Every stored file a page hands out (evidence, a warrant's scan, a partner's photo, a SOP, a
direction's attachment, a tutorial's video, an export) goes through SiLAHAP's access check first,
on the object store too: streamed through the app, or (SILAHAP_S3_SIGNED_URLS) a redirect to a
URL of the private bucket signed for a minute, given only to those the URL matrix lets read it.
The objects and the expected statuses are the URL matrix's; the store is moto's S3 server."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.files.storage import default_storage

from silahap.storage import is_remote
from silahap.testing.url_matrix import MATRIX

pytestmark = pytest.mark.django_db

FILE_URLS = [
    "reports:evidence_file",
    "supervision:warrant_scan",
    "operations:partner_action_photo",
    "guidance:sop_version_file",
    "guidance:direction_attachment",
    "guidance:tutorial_media",
    "insights:export_download",
]


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize("name", FILE_URLS)
def test_a_stored_file_is_streamed_or_signed_only_after_the_check(
    client, people, s3_store, settings, name
):
    endpoint, bucket = s3_store
    row = MATRIX[name]
    url = row.url(people)  # the matrix makes the object, its file now in the bucket
    assert is_remote(default_storage)
    expected = row.methods["GET"]
    readers = [persona for persona, status in expected.items() if status == 200]
    others = [persona for persona, status in expected.items() if status != 200]
    assert readers, f"{name}: the matrix names no one who reads it"

    reader = people.by_name(readers[0])
    client.force_login(reader)
    streamed = client.get(url)
    assert streamed.status_code == 200
    content = _body(streamed)
    assert content
    assert streamed["Cache-Control"] == "private, no-store"
    assert streamed["X-Content-Type-Options"] == "nosniff"

    settings.SILAHAP_S3_SIGNED_URLS = True
    for persona in readers:
        client.force_login(people.by_name(persona))
        redirect = client.get(url)
        assert redirect.status_code == 302, f"{persona}: {redirect.status_code}"
        signed = redirect["Location"]
        assert signed.startswith(f"{endpoint}/{bucket}/"), signed
        query = parse_qs(urlsplit(signed).query)
        assert query["X-Amz-Expires"] == ["60"]
        assert query["response-content-type"] == [streamed["Content-Type"]]
        assert redirect["Cache-Control"] == "private, no-store"
        fetched = requests.get(signed, timeout=10)
        assert fetched.status_code == 200
        assert fetched.content == content
        # The same key without its signature: the bucket answers no one.
        assert requests.get(signed.split("?")[0], timeout=10).status_code == 403

    for persona in others:
        user = people.by_name(persona)
        client.logout()
        if user is not None:
            client.force_login(user)
        refused = client.get(url)
        assert refused.status_code == expected[persona], persona
        assert bucket not in refused.get("Location", ""), persona
