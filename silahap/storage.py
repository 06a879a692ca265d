"""Where stored files live: the local disk (MEDIA_ROOT; `make run`, one office) or an
S3-compatible object store (SILAHAP_STORAGE=s3; several nodes), always through Django's storage
API, and always private.

Files are never read from a public URL: a view checks access first, then streams the file
through the app or, with SILAHAP_S3_SIGNED_URLS, redirects to a URL signed for a minute. Code
that needs a path on disk (PyAV, ffmpeg) copies the file to a temporary one (`local_copy`).
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.http import FileResponse, HttpResponseRedirect
from storages.utils import clean_name

from silahap.config import ConfigError

CHUNK_BYTES = 1024 * 1024


def s3_storage_from_env(
    *,
    bucket: str,
    endpoint_url: str,
    access_key: str,
    secret_key: str,
    region: str,
    prefix: str,
    signed_url_seconds: int,
) -> dict[str, Any]:
    """STORAGES["default"] for an S3-compatible store: private objects, signed URLs only."""
    if not bucket:
        raise ConfigError("SILAHAP_STORAGE=s3 needs SILAHAP_S3_BUCKET (a private bucket)")
    if not access_key or not secret_key:
        raise ConfigError(
            "SILAHAP_STORAGE=s3 needs SILAHAP_S3_ACCESS_KEY_ID and SILAHAP_S3_SECRET_ACCESS_KEY"
        )
    from botocore.config import Config  # noqa: PLC0415 — boto3 loads only with SILAHAP_STORAGE=s3

    options: dict[str, Any] = {
        "bucket_name": bucket,
        "access_key": access_key,
        "secret_key": secret_key,
        "region_name": region or None,
        "endpoint_url": endpoint_url or None,
        "location": prefix.strip("/"),
        # No ACL header: the object is the bucket owner's alone (a public-read ACL never).
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": signed_url_seconds,
        # Names are unique already (a UUID each); a clash must never replace evidence.
        "file_overwrite": False,
        "signature_version": "s3v4",
        "addressing_style": "path" if endpoint_url else None,
        "client_config": Config(
            connect_timeout=3,
            read_timeout=30,
            retries={"max_attempts": 3, "mode": "standard"},
            signature_version="s3v4",
            s3={"addressing_style": "path" if endpoint_url else "auto"},
            # Checksums only when the operation needs one: S3-compatible stores other than
            # AWS (MinIO, Ceph, moto) do not all accept the newer default trailers.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        ),
    }
    return {"BACKEND": "silahap.storage_s3.PrivateS3Storage", "OPTIONS": options}


def check_bucket(options: dict[str, Any]) -> None:
    """At start: the bucket must exist and the credentials must reach it, else one line."""
    import boto3  # noqa: PLC0415 — boto3 loads only with SILAHAP_STORAGE=s3
    from botocore.config import Config  # noqa: PLC0415 — boto3 loads only with SILAHAP_STORAGE=s3
    from botocore.exceptions import BotoCoreError, ClientError, EndpointConnectionError  # noqa: PLC0415 — boto3 loads only with SILAHAP_STORAGE=s3

    bucket = options["bucket_name"]
    where = options.get("endpoint_url") or "AWS S3"
    client = boto3.session.Session().client(
        "s3",
        aws_access_key_id=options["access_key"],
        aws_secret_access_key=options["secret_key"],
        region_name=options.get("region_name"),
        endpoint_url=options.get("endpoint_url"),
        config=options["client_config"].merge(Config(retries={"max_attempts": 1})),
    )
    try:
        client.head_bucket(Bucket=bucket)
    except ClientError as error:
        code = str(error.response.get("Error", {}).get("Code", ""))
        if code in ("404", "NoSuchBucket"):
            raise ConfigError(
                f"SILAHAP_S3_BUCKET={bucket}: no such bucket at {where}; create it (private) "
                "or correct the name"
            ) from None
        if code in ("403", "InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied"):
            raise ConfigError(
                f"SILAHAP_S3_ACCESS_KEY_ID/SILAHAP_S3_SECRET_ACCESS_KEY: {where} refused them for "
                f"bucket {bucket} ({code}); correct the key or grant it the bucket"
            ) from None
        raise ConfigError(f"SILAHAP_S3_BUCKET={bucket}: {where} answered {code}") from None
    except EndpointConnectionError:
        raise ConfigError(
            f"SILAHAP_S3_ENDPOINT_URL: no S3 store answers at {where}; start it or correct the URL"
        ) from None
    except BotoCoreError as error:
        raise ConfigError(
            f"SILAHAP_S3_*: cannot reach bucket {bucket} at {where} ({type(error).__name__})"
        ) from None
    finally:
        client.close()


def is_remote(storage) -> bool:
    """Whether the storage keeps files somewhere other than this machine's disk."""
    try:
        storage.path("x")
    except NotImplementedError:
        return True
    return False


@contextlib.contextmanager
def local_copy(fieldfile, suffix: str = "") -> Iterator[Path]:
    """A path on disk holding the stored file's bytes, for libraries that want a path; the
    file itself on a local store, a temporary copy (removed afterwards) on a remote one."""
    if not is_remote(fieldfile.storage):
        yield Path(fieldfile.storage.path(fieldfile.name))
        return
    with tempfile.TemporaryDirectory(prefix="silahap-copy-") as work:
        target = Path(work) / f"file{suffix}"
        with fieldfile.storage.open(fieldfile.name, "rb") as source, target.open("wb") as out:
            shutil.copyfileobj(source, out, CHUNK_BYTES)
        yield target


@contextlib.contextmanager
def discard_on_failure(*fieldfiles) -> Iterator[None]:
    """Files saved inside the block are deleted again if the block fails, so a refused or
    rolled-back write leaves nothing behind in the store."""
    try:
        yield
    except BaseException:
        for fieldfile in fieldfiles:
            if fieldfile and fieldfile.name:
                with contextlib.suppress(Exception):
                    fieldfile.storage.delete(fieldfile.name)
        raise


def file_response(
    request,
    fieldfile,
    *,
    content_type: str,
    filename: str,
    as_attachment: bool,
    sandbox: bool = False,
):
    """The stored file for someone whose access was already checked: streamed through the app,
    or (SILAHAP_S3_SIGNED_URLS on a remote store) a redirect to a URL signed for
    SILAHAP_S3_SIGNED_URL_SECONDS, naming the file and its type, never cached. Streamed, the
    browser never sniffs another type, and `sandbox` keeps a document (a scanned PDF, a photo
    opened on its own) from running anything on SiLAHAP's origin."""

    if signs_urls(fieldfile):
        disposition = "attachment" if as_attachment else "inline"
        url = fieldfile.storage.url(
            fieldfile.name,
            parameters={
                "ResponseContentType": content_type,
                "ResponseContentDisposition": f'{disposition}; filename="{filename}"',
                "ResponseCacheControl": "private, no-store",
            },
        )
        redirect = HttpResponseRedirect(url)
        redirect["Cache-Control"] = "private, no-store"
        return redirect
    response = FileResponse(
        fieldfile.open("rb"),
        content_type=content_type,
        as_attachment=as_attachment,
        filename=filename,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    if sandbox:
        response["Content-Security-Policy"] = "sandbox"
    return response


def signs_urls(fieldfile) -> bool:
    """Whether this file is handed out as a signed URL of the object store (which then answers
    a player's range requests itself) rather than streamed through the app."""
    return bool(settings.SILAHAP_S3_SIGNED_URLS) and is_remote(fieldfile.storage)


def recorded_hash_field(model, field) -> str | None:
    """The field holding the SHA-256 the app recorded for a stored file, if any: `<name>_sha256`,
    or `sha256` beside the model's first file field (evidence's original, a SOP's file)."""

    names = {f.name for f in model._meta.concrete_fields}
    if f"{field.name}_sha256" in names:
        return f"{field.name}_sha256"
    file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
    if "sha256" in names and file_fields and file_fields[0].name == field.name:
        return "sha256"
    return None


def stored_files() -> Iterator[tuple[str, str, str | None]]:
    """Every file the database refers to: (label, stored name, recorded SHA-256 or None), each
    name once, in a stable order."""

    seen: set[str] = set()
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.FileField):
                continue
            hash_field = recorded_hash_field(model, field)
            columns = [field.name] + ([hash_field] if hash_field else [])
            rows = (
                model._base_manager.exclude(**{field.name: ""})
                .order_by("pk")
                .values_list(*columns)
                .iterator(chunk_size=2000)
            )
            for row in rows:
                name = row[0]
                if not name or name in seen:
                    continue
                seen.add(name)
                yield (
                    f"{model._meta.label}.{field.name}",
                    name,
                    (row[1] or None) if hash_field else None,
                )


def sha256_of(handle) -> tuple[str, int]:

    digest, size = hashlib.sha256(), 0
    while chunk := handle.read(CHUNK_BYTES):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def read_range(fieldfile, start: int, length: int, chunk: int = 64 * 1024) -> Iterator[bytes]:
    """`length` bytes of the stored file from `start`, in chunks: a seek on the disk, one ranged
    GET on the object store (never the whole object for a player's seek)."""
    if length <= 0:
        return
    if is_remote(fieldfile.storage) and hasattr(fieldfile.storage, "bucket"):
        storage = fieldfile.storage
        key = storage._normalize_name(clean_name(fieldfile.name))
        body = storage.bucket.Object(key).get(Range=f"bytes={start}-{start + length - 1}")["Body"]
        try:
            yield from body.iter_chunks(chunk)
        finally:
            body.close()
        return
    with fieldfile.open("rb") as handle:
        handle.seek(start)
        remaining = length
        while remaining > 0:
            data = handle.read(min(chunk, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data
