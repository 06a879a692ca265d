"""The real services the suite talks to besides the database: Redis at 127.0.0.1:6379 (started
by .ci/run), each test under a key prefix of its own so parallel runs never collide."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import redis
from django.conf import settings

from silahap.cache import caches_from_env
from silahap.storage import s3_storage_from_env

REDIS_URL = os.environ.get("SILAHAP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
# A port nothing listens on: a cache that is down.
DEAD_REDIS_URL = "redis://127.0.0.1:1/0"


def redis_caches(url: str = REDIS_URL, prefix: str | None = None) -> dict[str, Any]:
    return caches_from_env(url, prefix or f"silahap-test-{uuid.uuid4().hex}")


@contextmanager
def shared_redis_cache() -> Iterator[dict[str, Any]]:
    """CACHES on the real Redis under a fresh prefix, its keys removed afterwards."""
    caches = redis_caches()
    prefix = caches["default"]["KEY_PREFIX"]
    try:
        yield caches
    finally:
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(match=f"{prefix}:*", count=500))
        if keys:
            client.delete(*keys)
        client.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def moto_s3_server(*, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """A real S3-compatible server (moto in server mode, from the dev lock) on loopback, for as
    long as the block runs; yields its endpoint URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **(extra_env or {})},
    )
    try:
        for _ in range(600):  # until it listens; bounded by tries, not by a clock
            if process.poll() is not None:
                raise RuntimeError("the S3 test server stopped at start")
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


S3_TEST_KEY = {"access_key": "silahap-test", "secret_key": "silahap-test-secret"}


def s3_client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=S3_TEST_KEY["access_key"],
        aws_secret_access_key=S3_TEST_KEY["secret_key"],
        region_name="us-east-1",
    )


def s3_storages(endpoint: str, bucket: str, *, signed_url_seconds: int = 60) -> dict[str, Any]:
    """STORAGES with the default store on `bucket` at `endpoint` (created if missing)."""
    client = s3_client(endpoint)
    if bucket not in {b["Name"] for b in client.list_buckets().get("Buckets", [])}:
        client.create_bucket(Bucket=bucket)
    default = s3_storage_from_env(
        bucket=bucket,
        endpoint_url=endpoint,
        region="us-east-1",
        prefix="",
        signed_url_seconds=signed_url_seconds,
        **S3_TEST_KEY,
    )
    return {**settings.STORAGES, "default": default}


def bucket_keys(endpoint: str, bucket: str) -> dict[str, int]:
    """Every key in the bucket with its size."""
    client = s3_client(endpoint)
    keys: dict[str, int] = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            keys[item["Key"]] = item["Size"]
    return keys
