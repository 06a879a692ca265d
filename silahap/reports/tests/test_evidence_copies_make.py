"""A photo's shown copies (display copy, thumbnail) are made by the worker, not in the upload's
request (issue 20): the request stores the original alone, once; the task makes both copies once
however often it runs; until then every page and the photo view show a placeholder, never a
broken image; a task that fails stays visible and is queued again by the sweep."""

from __future__ import annotations

import datetime
import io
import uuid

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from PIL import Image

from silahap.reports import services, tasks
from silahap.reports.models import Evidence
from silahap.reports.services import evidence_copies
from silahap.reports.tests.factories import photo_bytes, photo_files
from silahap.testing.external import bucket_keys
from silahap.testing.worker import run_queued, then_the_worker

pytestmark = pytest.mark.django_db
COPIES_TASK = "silahap.reports.tasks.evidence_copies_make"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def post_photo(client, activity, data: bytes):
    photo = io.BytesIO(data)
    photo.name = "IMG_0001.jpg"
    return client.post(
        reverse("reports:evidence_add", args=[activity.pk]),
        {"client_id": str(uuid.uuid4()), "photo": photo},
    )


def photo_url(evidence: Evidence, variant: str) -> str:
    return reverse("reports:evidence_file", args=[evidence.pk, variant])


def jpeg_size(response) -> tuple[int, int]:
    return Image.open(io.BytesIO(b"".join(response.streaming_content))).size


def test_the_request_stores_the_original_alone_and_the_worker_both_copies(
    client, people, activity, s3_store
):
    endpoint, bucket = s3_store
    client.force_login(people.officer_a)
    data = photo_bytes(size=(2400, 1200))
    with then_the_worker():
        assert post_photo(client, activity, data).status_code == 302
        evidence = Evidence.objects.get(activity=activity)
        # One object per photo in the request: the original, byte for byte.
        assert bucket_keys(endpoint, bucket) == {evidence.original.name: len(data)}
        assert not evidence.display
        assert not evidence.thumbnail
        assert not evidence.copies_from_original
    evidence.refresh_from_db()
    assert evidence.copies_from_original
    assert len(photo_files(evidence)) == 3
    assert set(bucket_keys(endpoint, bucket)) == photo_files(evidence)
    assert jpeg_size(client.get(photo_url(evidence, "display"))) == (1600, 800)
    assert jpeg_size(client.get(photo_url(evidence, "thumbnail"))) == (320, 160)


def test_until_the_copies_exist_pages_show_a_placeholder_never_a_broken_image(
    client, people, activity
):
    client.force_login(people.officer_a)
    with then_the_worker():
        post_photo(client, activity, photo_bytes())
        evidence = Evidence.objects.get(activity=activity)
        page = client.get(activity.get_absolute_url())
        assert page.status_code == 200
        assert photo_url(evidence, "thumbnail") in page.content.decode()
        for variant in ("thumbnail", "display"):
            waiting = client.get(photo_url(evidence, variant))
            assert waiting.status_code == 200
            assert waiting["Content-Type"] == "image/svg+xml"
            assert waiting["Cache-Control"] == "private, no-store"
            assert waiting["Content-Security-Policy"] == "sandbox"
            assert waiting.content.startswith(b"<svg")
        # The original itself is there at once, for whoever may see it.
        assert client.get(photo_url(evidence, "original")).status_code == 200
        # The placeholder is behind the same check as the photo.
        client.force_login(people.officer_b)
        assert client.get(photo_url(evidence, "thumbnail")).status_code == 404
        client.force_login(people.officer_a)
    page = client.get(activity.get_absolute_url())
    assert page.status_code == 200
    shown = client.get(photo_url(evidence, "thumbnail"))
    assert shown["Content-Type"] == "image/jpeg"
    assert jpeg_size(shown) == (320, 240)


def test_the_task_run_twice_makes_the_same_files_and_no_orphans(people, activity, s3_store):
    endpoint, bucket = s3_store
    evidence = services.evidence_add(
        by=people.officer_a, client_id=uuid.uuid4(), activity=activity, data=photo_bytes()
    )
    assert evidence_copies.evidence_copies_make(evidence_id=evidence.pk) == "made"
    evidence.refresh_from_db()
    made = bucket_keys(endpoint, bucket)
    assert len(made) == 3
    assert evidence_copies.evidence_copies_make(evidence_id=evidence.pk) == "done"
    again = Evidence.objects.get(pk=evidence.pk)
    assert (again.display.name, again.thumbnail.name) == (
        evidence.display.name,
        evidence.thumbnail.name,
    )
    assert bucket_keys(endpoint, bucket) == made


def test_a_photo_removed_before_or_while_the_task_runs_leaves_no_copy_behind(
    people, activity, s3_store, monkeypatch
):
    endpoint, bucket = s3_store
    gone = services.evidence_add(
        by=people.officer_a, client_id=uuid.uuid4(), activity=activity, data=photo_bytes()
    )
    services.evidence_delete(by=people.officer_a, evidence=gone)
    assert evidence_copies.evidence_copies_make(evidence_id=gone.pk) == "removed"
    assert set(bucket_keys(endpoint, bucket)) == {gone.original.name}

    racing = services.evidence_add(
        by=people.officer_a, client_id=uuid.uuid4(), activity=activity, data=photo_bytes()
    )
    real = evidence_copies.process_photo

    def removed_while_encoding(data, **limits):
        # The officer removes the photo while the worker is encoding its copies.
        services.evidence_delete(by=people.officer_a, evidence=racing)
        return real(data, **limits)

    monkeypatch.setattr(evidence_copies, "process_photo", removed_while_encoding)
    assert evidence_copies.evidence_copies_make(evidence_id=racing.pk) == "removed"
    # The originals stay (a removed photo's files are kept); no copy of either is left.
    assert set(bucket_keys(endpoint, bucket)) == {gone.original.name, racing.original.name}


def test_a_repeated_submit_queues_and_makes_the_copies_once(client, people, activity):
    client.force_login(people.officer_a)
    photo = io.BytesIO(photo_bytes())
    photo.name = "IMG_0001.jpg"
    form = {"client_id": str(uuid.uuid4()), "photo": photo}
    url = reverse("reports:evidence_add", args=[activity.pk])
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(url, form)
        photo.seek(0)
        client.post(url, form)
    assert Evidence.objects.count() == 1
    queued = DBTaskResult.objects.filter(status="READY", task_path=COPIES_TASK)
    assert queued.count() == 1
    run_queued()
    assert Evidence.objects.get().copies_from_original


# Committed for real: the queue's own worker (db_worker) runs the task and keeps its result.
@pytest.mark.django_db(transaction=True)
def test_a_failed_task_is_kept_as_failed_and_the_sweep_queues_it_again(people, activity):
    evidence = services.evidence_add(
        by=people.officer_a, client_id=uuid.uuid4(), activity=activity, data=photo_bytes()
    )
    name = evidence.original.name
    data = default_storage.open(name).read()
    default_storage.delete(name)  # the store lost it (or cannot be reached)
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    failed = DBTaskResult.objects.get(task_path=COPIES_TASK)
    assert failed.status == "FAILED"
    assert not Evidence.objects.get(pk=evidence.pk).copies_from_original

    default_storage.save(name, io.BytesIO(data))  # the store is back
    assert tasks.evidence_copies_sweep() == 0  # a task may still be on its way: not yet
    later = timezone.now() + evidence_copies.SWEEP_AFTER + datetime.timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        assert tasks.evidence_copies_sweep() == 1
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    assert Evidence.objects.get(pk=evidence.pk).copies_from_original
    assert tasks.evidence_copies_sweep() == 0


@pytest.mark.parametrize("due", [1, 4])
def test_the_sweep_asks_one_query_however_many_are_due(
    people, activity, due, django_assert_num_queries
):
    for _ in range(due):
        services.evidence_add(
            by=people.officer_a, client_id=uuid.uuid4(), activity=activity, data=photo_bytes()
        )
    later = timezone.now() + evidence_copies.SWEEP_AFTER + datetime.timedelta(seconds=1)
    with time_machine.travel(later, tick=False), django_assert_num_queries(1):
        assert len(evidence_copies.copies_due()) == due


def test_the_sweep_tries_again_after_each_doubling_of_the_wait_then_leaves_it(people, activity):
    """A photo whose copies cannot be made is queued again at 5, 10, 20 ... 1,280 minutes after
    its last change (9 times), not every minute for ever."""
    services.evidence_add(
        by=people.officer_a, client_id=uuid.uuid4(), activity=activity, data=photo_bytes()
    )
    start = timezone.now()
    due_at = []
    for minute in range(0, 24 * 60 + 5):
        moment = start + datetime.timedelta(minutes=minute, seconds=1)
        with time_machine.travel(moment, tick=False):
            if evidence_copies.copies_due():
                due_at.append(minute)
    assert due_at == [5, 10, 20, 40, 80, 160, 320, 640, 1280]
