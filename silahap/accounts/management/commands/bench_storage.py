"""Storing original photos through the app's storage (django-storages) against writing the same
bytes straight to the store with boto3, in the same run (issue 20: at least 0.7 of it).

Starts moto's S3 server on loopback unless SILAHAP_STORAGE=s3 names a store already."""

from __future__ import annotations

import os
import time
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management.base import BaseCommand

from silahap.testing.external import moto_s3_server, s3_storages


class Command(BaseCommand):
    help = "Throughput of storing photos through the app's storage vs boto3 directly."

    def add_arguments(self, parser):
        parser.add_argument("--photos", type=int, default=60)
        parser.add_argument("--kib", type=int, default=400, help="bytes of each photo, in KiB")

    def handle(self, *args, photos: int, kib: int, **options):

        data = os.urandom(kib * 1024)
        with moto_s3_server() as endpoint:
            bucket = f"bench-{uuid.uuid4().hex[:12]}"
            config = s3_storages(endpoint, bucket)["default"]
            app = storages.create_storage(config)
            client = app.connection.meta.client  # type: ignore[attr-defined]  # an S3 storage
            rounds: dict[str, list[float]] = {"app": [], "boto3": []}
            for _ in range(3):  # interleaved, so load on the machine hits both alike
                started = time.perf_counter()
                for _ in range(photos):
                    app.save(f"evidence/{uuid.uuid4().hex}", ContentFile(data))
                rounds["app"].append(time.perf_counter() - started)
                started = time.perf_counter()
                for _ in range(photos):
                    client.put_object(Bucket=bucket, Key=f"direct/{uuid.uuid4().hex}", Body=data)
                rounds["boto3"].append(time.perf_counter() - started)
        app_rate = photos / min(rounds["app"])
        direct_rate = photos / min(rounds["boto3"])
        self.stdout.write(
            f"storing {photos} photos of {kib} KiB on moto's S3 server (best of 3): "
            f"through the app {app_rate:.1f}/s, boto3 directly {direct_rate:.1f}/s, "
            f"ratio {app_rate / direct_rate:.2f} (target >= 0.70)"
        )
