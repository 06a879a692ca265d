"""Storing original photos in the object store through the app against writing the same bytes
straight to the store with boto3, in the same run (issue 20: at least 0.7 of it).

Three sides, interleaved round by round so load on the machine hits them alike:
- `upload`: the officer's photo upload (`POST /reports/activities/<pk>/photos/`) through the
  in-process client, middleware, session and login, one real JPEG per request, with what its
  commit queues (the photo's copies, the spine's drain) run as it would be after a commit;
- `storage`: the same bytes through the app's storage alone (django-storages);
- `boto3`: `put_object` of the same bytes.
Starts moto's S3 server on loopback. Everything in the database is made inside one transaction
that is rolled back at the end, so it runs on any database and leaves nothing there.
"""

from __future__ import annotations

import datetime
import io
import json
import time
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from silahap.reports import services
from silahap.reports.management.commands.bench_submit import _officer
from silahap.testing.external import moto_s3_server, s3_storages

ROUNDS = 3


def camera_like_jpeg(kib: int) -> bytes:
    """A JPEG of about `kib` KiB that decodes like a photo (smooth light, fine grain), 4:3."""
    width = 640
    while True:
        height = width * 3 // 4
        light = Image.linear_gradient("L").resize((width, height)).convert("RGB")
        grain = Image.merge("RGB", [Image.effect_noise((width, height), 40) for _ in range(3)])
        buffer = io.BytesIO()
        Image.blend(light, grain, 0.3).save(buffer, format="JPEG", quality=85)
        if buffer.tell() >= kib * 1024 or width >= 6000:
            return buffer.getvalue()
        width += 160


def _activities(officer, count: int) -> list:
    now = timezone.now()
    return [
        services.activity_create(
            by=officer,
            client_id=uuid.uuid4(),
            kind="field",
            source="independent",
            started_at=now - datetime.timedelta(minutes=1),
            warrant_number="SP-BENCH",
            warrant_date=timezone.localdate(),
            latitude="-6.2",
            longitude="106.6",
            location_source="gps",
        )
        for _ in range(count)
    ]


class Command(BaseCommand):
    help = "Throughput of storing photos through the app (the upload, the storage) vs boto3."

    def add_arguments(self, parser):
        parser.add_argument("--photos", type=int, default=60, help="per side and round")
        parser.add_argument("--kib", type=int, default=400, help="bytes of each photo, in KiB")

    def handle(self, *args, photos: int, kib: int, **options):
        data = camera_like_jpeg(kib)
        with moto_s3_server() as endpoint:
            bucket = f"bench-{uuid.uuid4().hex[:12]}"
            config = s3_storages(endpoint, bucket)
            app = storages.create_storage(config["default"])
            s3 = app.connection.meta.client  # type: ignore[attr-defined]  # an S3 storage
            seconds: dict[str, list[float]] = {"upload": [], "storage": [], "boto3": []}
            with transaction.atomic(), override_settings(STORAGES=config):
                officer = _officer()
                limit = 20  # photos per activity (SILAHAP_EVIDENCE_MAX_PER_ACTIVITY's default)
                per_round = -(-photos // limit)
                activities = iter(_activities(officer, ROUNDS * per_round + 1))
                client = Client()
                client.force_login(officer)

                def upload(activity) -> None:
                    photo = io.BytesIO(data)
                    photo.name = "IMG_0001.jpg"
                    url = reverse("reports:evidence_add", args=[activity.pk])
                    with TestCase.captureOnCommitCallbacks(execute=True):
                        response = client.post(
                            url, {"client_id": str(uuid.uuid4()), "photo": photo}
                        )
                    assert response.status_code == 302, response.status_code

                upload(next(activities))  # warm-up: the first request loads templates, boto3
                for _ in range(ROUNDS):
                    started = time.perf_counter()
                    activity, used = next(activities), 0
                    for _ in range(photos):
                        if used == limit:
                            activity, used = next(activities), 0
                        upload(activity)
                        used += 1
                    seconds["upload"].append(time.perf_counter() - started)
                    started = time.perf_counter()
                    for _ in range(photos):
                        app.save(f"evidence/{uuid.uuid4().hex}", ContentFile(data))
                    seconds["storage"].append(time.perf_counter() - started)
                    started = time.perf_counter()
                    for _ in range(photos):
                        s3.put_object(Bucket=bucket, Key=f"direct/{uuid.uuid4().hex}", Body=data)
                    seconds["boto3"].append(time.perf_counter() - started)
                transaction.set_rollback(True)
        rate = {side: photos / min(values) for side, values in seconds.items()}
        result = {
            "photos_per_side_and_round": photos,
            "photo_bytes": len(data),
            "rounds": ROUNDS,
            "per_second_best_round": {side: round(value, 1) for side, value in rate.items()},
            "upload_vs_boto3": round(rate["upload"] / rate["boto3"], 2),
            "storage_vs_boto3": round(rate["storage"] / rate["boto3"], 2),
            "target": "upload_vs_boto3 >= 0.70",
        }
        self.stdout.write(json.dumps({"photo_store": result}, indent=2))
