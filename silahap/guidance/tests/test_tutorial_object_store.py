"""A tutorial video on the object store (moto's S3 server on loopback): the worker transcodes
it from a temporary copy, and a player's seek is one ranged GET answered with the right bytes."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from silahap.guidance.models import TutorialStatus
from silahap.guidance.tests.helpers import tutorial
from silahap.storage import is_remote
from silahap.testing.services import bucket_keys

pytestmark = pytest.mark.django_db


def test_a_video_is_converted_from_the_store_and_served_in_ranges(
    client, people, mp4_bytes, s3_store
):
    endpoint, bucket = s3_store
    made = tutorial(people, mp4_bytes)
    assert is_remote(default_storage)
    assert made.status == TutorialStatus.READY
    keys = bucket_keys(endpoint, bucket)
    assert {made.original.name, made.small.name, made.poster.name} <= set(keys)
    whole = made.small.open("rb").read()
    client.force_login(people.officer_a)
    url = reverse("guidance:tutorial_media", args=[made.pk, "small"])
    response = client.get(url, HTTP_RANGE="bytes=100-1099")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-1099/{len(whole)}"
    assert b"".join(response.streaming_content) == whole[100:1100]
    tail = client.get(url, HTTP_RANGE="bytes=-10")
    assert b"".join(tail.streaming_content) == whole[-10:]
