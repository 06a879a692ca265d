"""The export page follows the worker by itself, and built files are deleted after the
retention period (the job row stays, marked expired)."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from silahap.audit.models import AuditEvent
from silahap.insights.models import ExportJob
from silahap.insights.services.exports import export_jobs_expire, retention
from silahap.insights.views import exports as export_pages
from silahap.testing.worker import run_queued

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _done_job(people, *, finished_ago: datetime.timedelta, name: str = "a") -> ExportJob:
    job = ExportJob(
        user=people.leader_a,
        unit=people.section_a,
        kind="activities",
        period="2025-03",
        status=ExportJob.Status.DONE,
        rows_done=2,
        rows_total=2,
        finished_at=timezone.now() - finished_ago,
    )
    job.file.save(f"{name}.xlsx", ContentFile(b"PK rows"), save=False)
    job.save()
    return job


def test_the_page_polls_until_the_file_is_ready_then_stops(
    client, week, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(export_pages, "XLSX_INLINE_ROWS", 1)
    client.force_login(week.leader_a)
    with django_capture_on_commit_callbacks(execute=True):
        page_url = client.post(
            reverse("insights:unit_rows_xlsx", args=[week.section_a.pk, "activities"])
            + "?p=2025-03"
        )["Location"]
    job = ExportJob.objects.get()
    progress_url = reverse("insights:export_progress", args=[job.pk])
    page = client.get(page_url).content.decode()
    assert "js/export_progress" in page
    assert f'data-url="{progress_url}"' in page
    pending = client.get(progress_url)
    assert pending["Cache-Control"] == "no-store"
    assert pending.json() == {
        "status": "queued",
        "rows_done": 0,
        "rows_total": None,
        "percent": 0,
        "running": True,
    }
    run_queued()
    assert client.get(progress_url).json()["running"] is False
    assert client.get(progress_url).json()["percent"] == 100
    page = client.get(page_url).content.decode()
    assert "js/export_progress" not in page
    assert 'data-testid="export-download"' in page


def test_another_users_progress_is_404(client, people):
    job = _done_job(people, finished_ago=datetime.timedelta(minutes=1))
    client.force_login(people.analyst)
    assert client.get(reverse("insights:export_progress", args=[job.pk])).status_code == 404


def test_files_past_the_retention_are_deleted_and_their_jobs_kept_as_expired(client, people):
    old = _done_job(people, finished_ago=retention() + datetime.timedelta(minutes=1), name="old")
    fresh = _done_job(people, finished_ago=retention() - datetime.timedelta(minutes=5), name="new")
    old_name, storage = old.file.name, old.file.storage
    assert storage.exists(old_name)
    call_command("exports_expire", stdout=open("/dev/null", "w"))  # noqa: SIM115
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, old.file.name) == ("expired", "")
    assert not storage.exists(old_name)
    assert fresh.status == "done"
    assert storage.exists(fresh.file.name)
    event = AuditEvent.objects.get(action="insights.export_expired")
    assert event.object_id == str(old.pk)
    # Run again: nothing more to do; the owner is told the file is gone.
    assert export_jobs_expire() == 0
    client.force_login(people.leader_a)
    page = client.get(reverse("insights:export_job", args=[old.pk])).content.decode()
    assert 'data-testid="export-expired"' in page
    assert client.get(reverse("insights:export_download", args=[old.pk])).status_code == 404


def test_a_storage_failure_leaves_the_job_done_for_the_next_run(people, monkeypatch):
    job = _done_job(people, finished_ago=retention() * 2, name="stuck")
    storage = job.file.storage

    def refuse(name):
        raise OSError("storage unavailable")

    monkeypatch.setattr(storage, "delete", refuse)
    assert export_jobs_expire() == 0
    job.refresh_from_db()
    assert job.status == "done"
    assert storage.exists(job.file.name)
    monkeypatch.undo()
    assert export_jobs_expire() == 1
    assert not storage.exists(job.file.name)
