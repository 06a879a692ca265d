"""Serving the phone copy with ranges: 206 and Content-Range, 416 when unsatisfiable, 404 for
those who may not see it."""

import pytest
from django.urls import reverse

from silahap.guidance import samples
from silahap.guidance.tests.helpers import tutorial

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(people, mp4_bytes):
    return tutorial(people, mp4_bytes, captions=samples.captions(["Halo"]))


def url(made, kind="small"):
    return reverse("guidance:tutorial_media", args=[made.pk, kind])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_range_is_answered_with_206_and_its_bytes(client, people, ready):
    client.force_login(people.officer_a)
    whole = ready.small.open("rb").read()
    response = client.get(url(ready), HTTP_RANGE="bytes=100-1099")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-1099/{len(whole)}"
    assert response["Content-Length"] == "1000"
    assert body(response) == whole[100:1100]


def test_open_and_suffix_ranges(client, people, ready):
    client.force_login(people.officer_a)
    whole = ready.small.open("rb").read()
    tail = client.get(url(ready), HTTP_RANGE="bytes=-500")
    assert tail.status_code == 206
    assert body(tail) == whole[-500:]
    rest = client.get(url(ready), HTTP_RANGE=f"bytes={len(whole) - 10}-")
    assert body(rest) == whole[-10:]


def test_an_unsatisfiable_range_is_416(client, people, ready):
    client.force_login(people.officer_a)
    size = ready.small.size
    response = client.get(url(ready), HTTP_RANGE=f"bytes={size}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"


def test_no_range_is_the_whole_file_and_says_ranges_are_accepted(client, people, ready):
    client.force_login(people.officer_a)
    response = client.get(url(ready))
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert len(body(response)) == ready.small.size


def test_captions_are_served_as_webvtt(client, people, ready):
    client.force_login(people.officer_a)
    response = client.get(url(ready, "captions"))
    assert response["Content-Type"].startswith("text/vtt")
    assert body(response).startswith(b"WEBVTT")


def test_a_partner_gets_404(client, people, ready):
    client.force_login(people.partner)
    assert client.get(url(ready), HTTP_RANGE="bytes=0-10").status_code == 404


def test_a_failed_or_pending_tutorial_has_no_player(client, people, mp4_bytes):
    pending = tutorial(people, mp4_bytes, convert=False)
    client.force_login(people.officer_a)
    assert client.get(url(pending)).status_code == 404
    page = client.get(pending.get_absolute_url()).content.decode()
    assert "<video" not in page
    assert 'data-testid="conversion-pending"' in page
