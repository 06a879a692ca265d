"""The S3-compatible store's backend (SILAHAP_STORAGE=s3, silahap/storage.py): its own module so
that boto3 loads only when the store is configured."""

from __future__ import annotations

import logging
import threading
import uuid

from botocore.exceptions import ClientError
from django.core.files.base import File
from django.core.files.utils import validate_file_name
from storages.backends.s3 import S3Storage
from storages.utils import clean_name, get_available_overwrite_name

logger = logging.getLogger(__name__)

# What a store answers a PUT with If-None-Match: * when the key exists (412), or when another
# write of the same key is under way (409, AWS's ConditionalRequestConflict).
REFUSED_AS_TAKEN = (409, 412)


def _status(error) -> int:
    return int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)


class PrivateS3Storage(S3Storage):
    """django-storages' S3 store, writing a new file in one request: a PUT the store refuses
    when the key is taken (`If-None-Match: *`), where django-storages first asks whether the
    name is free (a HEAD) and then uploads through s3transfer's threads. A stored file is
    never replaced either way (`file_overwrite` off): a refused name takes django-storages'
    way, which finds a free one. Files over one part (s3transfer's multipart threshold),
    gzip, and stores that ignore the condition take that way too; whether the store honours
    it is tried once per process, on the first write, with a key of its own."""

    def __init__(self, **settings_) -> None:
        super().__init__(**settings_)
        self._honours: bool | None = None
        self._probing = threading.Lock()

    def save(self, name, content, max_length=None):
        if name is None:
            name = content.name
        if not hasattr(content, "chunks"):
            content = File(content, name)
        if (
            self.file_overwrite
            or self.gzip
            or content.size is None
            or content.size > self.transfer_config.multipart_threshold
            or not self.honours_conditional_writes()
        ):
            return super().save(name, content, max_length=max_length)
        validate_file_name(name, allow_relative_path=True)
        cleaned = get_available_overwrite_name(clean_name(name), max_length)
        params = self._get_write_parameters(cleaned, content)
        content.seek(0)
        try:
            self.connection.meta.client.put_object(
                Bucket=self.bucket_name,
                Key=self._normalize_name(cleaned),
                Body=content.read(),
                IfNoneMatch="*",
                **params,
            )
        except ClientError as error:
            if _status(error) not in REFUSED_AS_TAKEN:
                raise
            return super().save(name, content, max_length=max_length)
        return cleaned

    def honours_conditional_writes(self) -> bool:
        """Whether the store refuses a second PUT of a key with If-None-Match: * (AWS S3 since
        2024, MinIO, Ceph, moto do; a store that ignores it would let a write replace a file)."""
        if self._honours is None:
            with self._probing:
                if self._honours is None:
                    self._honours = self._probe()
        return self._honours

    def _probe(self) -> bool:
        client = self.connection.meta.client
        key = self._normalize_name(f"silahap-probe/{uuid.uuid4().hex}")
        client.put_object(Bucket=self.bucket_name, Key=key, Body=b"", IfNoneMatch="*")
        try:
            client.put_object(Bucket=self.bucket_name, Key=key, Body=b"", IfNoneMatch="*")
        except ClientError as error:
            if _status(error) in REFUSED_AS_TAKEN:
                return True
            raise
        finally:
            client.delete_object(Bucket=self.bucket_name, Key=key)
        logger.warning(
            "the object store ignores If-None-Match on PUT: each new file is written after a "
            "HEAD asking whether its name is free"
        )
        return False
