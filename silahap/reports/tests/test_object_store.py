"""Evidence in a real S3-compatible store (moto's server on loopback): stored privately, opened
only after SiLAHAP's access check (streamed, or a short signed URL), nothing left behind by a
failed write, and moved from the disk by a command that verifies each SHA-256."""

from __future__ import annotations

import hashlib
import io
import json
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from silahap.config import ConfigError
from silahap.reports import services
from silahap.reports.models import Evidence
from silahap.reports.tests.factories import photo_bytes
from silahap.storage import check_bucket, discard_on_failure, is_remote, s3_storage_from_env
from silahap.testing.external import bucket_keys, free_port, moto_s3_server, s3_storages
from silahap.testing.servers import run_manage
from silahap.testing.worker import then_the_worker

pytestmark = pytest.mark.django_db


def add_photo(people, activity, data=None) -> Evidence:  # noqa: F811
    return services.evidence_add(
        by=people.officer_a,
        client_id=uuid.uuid4(),
        activity=activity,
        data=data or photo_bytes(),
    )


def add_photo_and_copies(people, activity, data=None) -> Evidence:  # noqa: F811
    with then_the_worker():
        evidence = add_photo(people, activity, data)
    evidence.refresh_from_db()
    return evidence


def test_a_photo_lands_in_the_private_bucket_and_opens_only_after_the_check(
    client,
    people,
    activity,  # noqa: F811
    s3_store,
):
    endpoint, bucket = s3_store
    data = photo_bytes()
    evidence = add_photo_and_copies(people, activity, data)
    assert is_remote(default_storage)
    keys = bucket_keys(endpoint, bucket)
    assert keys[evidence.original.name] == len(data)
    assert {evidence.display.name, evidence.thumbnail.name} <= set(keys)
    # The bucket itself answers no one without a signature.
    assert requests.get(f"{endpoint}/{bucket}/{evidence.original.name}").status_code == 403

    url = reverse("reports:evidence_file", args=[evidence.pk, "original"])
    client.force_login(people.officer_a)
    served = client.get(url)
    assert served.status_code == 200
    assert hashlib.sha256(b"".join(served.streaming_content)).hexdigest() == evidence.sha256
    assert served["Cache-Control"] == "private, no-store"
    client.force_login(people.officer_b)
    assert client.get(url).status_code == 404


def test_signed_urls_are_issued_only_after_the_check_and_expire_in_a_minute(
    client,
    people,
    activity,  # noqa: F811
    s3_store,
    settings,
):
    endpoint, bucket = s3_store
    settings.SILAHAP_S3_SIGNED_URLS = True
    evidence = add_photo_and_copies(people, activity)
    url = reverse("reports:evidence_file", args=[evidence.pk, "thumbnail"])
    client.force_login(people.officer_b)
    assert client.get(url).status_code == 404  # another unit: no URL at all

    client.force_login(people.officer_a)
    redirect = client.get(url)
    assert redirect.status_code == 302
    signed = redirect["Location"]
    assert signed.startswith(f"{endpoint}/{bucket}/{evidence.thumbnail.name}?")
    query = parse_qs(urlsplit(signed).query)
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert query["X-Amz-Expires"] == ["60"]
    assert query["response-content-type"] == ["image/jpeg"]
    fetched = requests.get(signed)
    assert fetched.status_code == 200
    assert fetched.content == evidence.thumbnail.storage.open(evidence.thumbnail.name).read()
    assert fetched.headers["Cache-Control"] == "private, no-store"
    # Without its signature the same address is refused.
    assert requests.get(signed.split("?")[0]).status_code == 403
    # A shorter lifetime is the setting's, never longer than asked.
    short = default_storage.url(evidence.thumbnail.name, expire=5)
    assert parse_qs(urlsplit(short).query)["X-Amz-Expires"] == ["5"]


def test_a_refused_photo_stores_nothing_and_a_failed_write_removes_its_files(
    people,
    activity,  # noqa: F811
    s3_store,
):
    endpoint, bucket = s3_store
    with pytest.raises(Exception, match="photo"):
        add_photo(people, activity, b"not an image at all" * 100)
    assert bucket_keys(endpoint, bucket) == {}

    evidence = Evidence(activity=activity, client_id=uuid.uuid4())
    stored_before_failing = []

    def write_then_fail() -> None:
        with discard_on_failure(evidence.original, evidence.display):
            evidence.original.save("half-written", ContentFile(b"a" * 1000), save=False)
            evidence.display.save("half-written.jpg", ContentFile(b"b" * 100), save=False)
            stored_before_failing.extend(bucket_keys(endpoint, bucket))
            raise RuntimeError("the row could not be written")

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert len(stored_before_failing) == 2
    assert bucket_keys(endpoint, bucket) == {}


def test_storage_migrate_verifies_resumes_and_refuses_a_corrupted_file(
    people,
    activity,  # noqa: F811
    s3_endpoint,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    disk = FileSystemStorage(location=settings.MEDIA_ROOT)
    photos = [
        add_photo_and_copies(people, activity, photo_bytes(size=(320 + i, 240))) for i in range(3)
    ]
    names = {f.name for e in photos for f in (e.original, e.display, e.thumbnail)}
    assert all(disk.exists(name) for name in names)
    # One original rots on disk after upload: its bytes no longer match the recorded hash.
    rotten = photos[2].original.name
    with open(disk.path(rotten), "r+b") as handle:
        handle.seek(200)
        handle.write(b"\x00" * 16)

    bucket = f"silahap-test-{uuid.uuid4().hex[:16]}"
    settings.STORAGES = s3_storages(s3_endpoint, bucket)
    journal = tmp_path / "journal"
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 file"):
        call_command("storage_migrate", journal=str(journal), stdout=out, stderr=err)
    assert "8 copied and verified, 0 already done, 1 refused" in out.getvalue()
    assert rotten in err.getvalue()
    assert "differs from the recorded" in err.getvalue()
    keys = bucket_keys(s3_endpoint, bucket)
    assert rotten not in keys
    assert set(keys) == names - {rotten}
    # Each copy hashes as its disk original.
    for name in keys:
        with disk.open(name, "rb") as here, default_storage.open(name, "rb") as there:
            assert hashlib.sha256(here.read()).digest() == hashlib.sha256(there.read()).digest()

    # Interrupted runs go on where they stopped: the journal's keys are not copied again.
    journal.write_text("\n".join(sorted(keys)[:5]) + "\n")
    for name in sorted(keys)[5:]:
        default_storage.delete(name)
    disk.delete(rotten)
    disk.save(rotten, ContentFile(photo_bytes(size=(322, 240))))  # restored from elsewhere
    Evidence.objects.filter(pk=photos[2].pk).update(
        sha256=hashlib.sha256(disk.open(rotten).read()).hexdigest()
    )
    out = io.StringIO()
    call_command("storage_migrate", journal=str(journal), stdout=out)
    assert "4 copied and verified, 5 already done, 0 refused" in out.getvalue()
    assert set(bucket_keys(s3_endpoint, bucket)) == names


def store_error(**store) -> str:
    settings = {"bucket": "b-1", "endpoint_url": "", "region": "us-east-1", "prefix": ""}
    settings |= {"access_key": "silahap-test", "secret_key": "silahap-test-secret"}
    with pytest.raises(ConfigError) as error:
        check_bucket(s3_storage_from_env(**{**settings, **store}, signed_url_seconds=60)["OPTIONS"])
    return str(error.value)


def test_a_store_that_cannot_be_used_stops_the_start_with_one_line(s3_endpoint):
    assert "needs SILAHAP_S3_BUCKET" in store_error(bucket="")
    assert "needs SILAHAP_S3_ACCESS_KEY_ID" in store_error(access_key="")
    assert "SILAHAP_S3_BUCKET=no-such-bucket: no such bucket" in store_error(
        endpoint_url=s3_endpoint, bucket="no-such-bucket"
    )
    assert "SILAHAP_S3_ENDPOINT_URL: no S3 store answers" in store_error(
        endpoint_url=f"http://127.0.0.1:{free_port()}"
    )
    # A store that checks keys (moto with its access control on) refuses an unknown one.
    with moto_s3_server(extra_env={"INITIAL_NO_AUTH_ACTION_COUNT": "0"}) as checking:
        assert "refused them for bucket b-1 (403)" in store_error(endpoint_url=checking)
    # As the process sees it at start: one line, no traceback.
    result = run_manage(
        {
            "SILAHAP_STORAGE": "s3",
            "SILAHAP_S3_ACCESS_KEY_ID": "k",
            "SILAHAP_S3_SECRET_ACCESS_KEY": "s",
            "SILAHAP_S3_BUCKET": "no-such-bucket",
            "SILAHAP_S3_ENDPOINT_URL": s3_endpoint,
        }
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        f"silahap: configuration error: SILAHAP_S3_BUCKET=no-such-bucket: no such bucket at "
        f"{s3_endpoint}; create it (private) or correct the name"
    ]


def test_readyz_checks_the_bucket(client, s3_store, settings):
    endpoint, _bucket = s3_store
    assert client.get(reverse("readyz")).json()["storage"] == "ok"
    settings.STORAGES = s3_storages(endpoint, "silahap-test-unused")
    settings.STORAGES["default"]["OPTIONS"]["bucket_name"] = "no-such-bucket-here"
    down = client.get(reverse("readyz"))
    assert down.status_code == 503
    assert down.json()["storage"].startswith("down")


def test_the_storage_bench_runs_its_three_sides_and_leaves_nothing(people):
    before = (Evidence.objects.count(), DBTaskResult.objects.count())
    out = io.StringIO()
    call_command("bench_storage", photos=2, kib=40, stdout=out)
    result = json.loads(out.getvalue())["photo_store"]
    assert set(result["per_second_best_round"]) == {"upload", "storage", "boto3"}
    assert all(rate > 0 for rate in result["per_second_best_round"].values())
    assert 40 * 1024 <= result["photo_bytes"] < 200 * 1024
    assert (
        0
        < result["upload_vs_boto3"]
        == pytest.approx(
            result["per_second_best_round"]["upload"] / result["per_second_best_round"]["boto3"],
            abs=0.02,
        )
    )
    assert (Evidence.objects.count(), DBTaskResult.objects.count()) == before
