"""How a new file is written to the S3-compatible store (silahap/storage_s3.py), on moto's real
server: one conditional PUT, never a replaced file, and django-storages' way (a HEAD, then the
upload) for a store that ignores the condition, a large file, or a name already taken."""

from __future__ import annotations

import uuid

import pytest
from boto3.s3.transfer import TransferConfig
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from silahap.storage_s3 import PrivateS3Storage
from silahap.testing.external import s3_client, s3_storages


def _store(endpoint: str, **options) -> PrivateS3Storage:
    config = s3_storages(endpoint, f"silahap-test-{uuid.uuid4().hex[:16]}")["default"]
    store = storages.create_storage({**config, "OPTIONS": {**config["OPTIONS"], **options}})
    assert isinstance(store, PrivateS3Storage)
    return store


def _calls(store: PrivateS3Storage) -> list[tuple[str, dict]]:
    """Every request the store's client sends from now on: (operation, its headers)."""
    sent: list[tuple[str, dict]] = []

    def seen(request, operation_name, **_kwargs):
        sent.append((operation_name, dict(request.headers)))

    store.connection.meta.client.meta.events.register("before-send.s3.*", _named(seen))
    return sent


def _named(handler):
    def before_send(request, **kwargs):
        # botocore names the operation in the event: before-send.s3.PutObject
        handler(request, kwargs["event_name"].rsplit(".", 1)[-1])

    return before_send


def _ignoring_the_condition(store: PrivateS3Storage) -> None:
    """The same server behind a store that drops If-None-Match, as some S3-compatible stores
    do: the header never reaches it."""

    def drop(request, **_kwargs):
        if "If-None-Match" in request.headers:
            del request.headers["If-None-Match"]

    store.connection.meta.client.meta.events.register("before-sign.s3.PutObject", drop)


def _body(endpoint: str, store: PrivateS3Storage, name: str) -> bytes:
    found = s3_client(endpoint).get_object(Bucket=store.bucket_name, Key=name)
    return found["Body"].read()


def test_a_new_file_is_one_conditional_put_and_a_taken_name_is_never_replaced(s3_endpoint):
    store = _store(s3_endpoint)
    assert store.honours_conditional_writes()  # probed once; moto honours the condition
    sent = _calls(store)

    first = store.save("evidence/abc", ContentFile(b"first photo"))
    assert first == "evidence/abc"
    assert [operation for operation, _headers in sent] == ["PutObject"]
    assert sent[0][1]["If-None-Match"] in ("*", b"*")

    sent.clear()
    second = store.save("evidence/abc", ContentFile(b"another photo"))
    assert second != first
    assert second.startswith("evidence/abc_")
    # The store refused the taken name; django-storages' way then found a free one.
    assert [operation for operation, _headers in sent][0] == "PutObject"
    assert "HeadObject" in [operation for operation, _headers in sent]
    assert _body(s3_endpoint, store, first) == b"first photo"
    assert _body(s3_endpoint, store, second) == b"another photo"
    # The probe's key is gone again.
    listed = s3_client(s3_endpoint).list_objects_v2(Bucket=store.bucket_name)
    assert sorted(item["Key"] for item in listed["Contents"]) == sorted([first, second])


def test_a_store_ignoring_the_condition_is_asked_first_and_replaces_nothing(s3_endpoint):
    store = _store(s3_endpoint)
    _ignoring_the_condition(store)
    assert store.honours_conditional_writes() is False
    sent = _calls(store)

    first = store.save("evidence/abc", ContentFile(b"first photo"))
    assert [operation for operation, _headers in sent] == ["HeadObject", "PutObject"]
    second = store.save("evidence/abc", ContentFile(b"another photo"))
    assert second != first
    assert _body(s3_endpoint, store, first) == b"first photo"
    assert _body(s3_endpoint, store, second) == b"another photo"
    listed = s3_client(s3_endpoint).list_objects_v2(Bucket=store.bucket_name)
    assert not [item for item in listed["Contents"] if "probe" in item["Key"]]


@pytest.mark.parametrize(
    ("options", "why"),
    [
        ({"transfer_config": TransferConfig(multipart_threshold=5 * 1024 * 1024)}, "large"),
        ({"file_overwrite": True}, "overwrite"),
    ],
)
def test_large_files_and_overwriting_stores_take_django_storages_way(s3_endpoint, options, why):
    store = _store(s3_endpoint, **options)
    sent = _calls(store)
    data = b"x" * (6 * 1024 * 1024) if why == "large" else b"small"
    name = store.save("videos/sop.mp4", ContentFile(data))
    operations = [operation for operation, _headers in sent]
    assert "PutObject" not in operations or all(
        "If-None-Match" not in headers for _operation, headers in sent
    )
    if why == "large":
        assert "CreateMultipartUpload" in operations
    assert _body(s3_endpoint, store, name) == data


def test_a_name_too_long_for_its_field_is_cut_to_fit(s3_endpoint):
    store = _store(s3_endpoint)
    name = store.save("evidence/" + "a" * 120 + ".jpg", ContentFile(b"photo"), max_length=100)
    assert len(name) == 100
    assert name.startswith("evidence/aaa")
    assert name.endswith(".jpg")
    assert _body(s3_endpoint, store, name) == b"photo"
