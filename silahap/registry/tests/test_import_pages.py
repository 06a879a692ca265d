"""The import pages: the job with its rows page by page, its progress feed, confirmation, the
layouts and the CSV templates; a job is its office's alone."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from silahap.registry import services
from silahap.registry.imports.layouts import PERSON_COLUMNS
from silahap.registry.models import ForeignNational
from silahap.registry.tests.import_helpers import PERSON_HEADER, csv_bytes, upload

pytestmark = pytest.mark.django_db


def persons(count: int, bad_every: int = 0) -> bytes:
    rows = [
        [f"Person {n}", "SE" if not bad_every or n % bad_every else "Atlantis", f"A{n}", "", "", "",
         "", "", ""]
        for n in range(count)
    ]  # fmt: skip
    return csv_bytes(PERSON_HEADER, rows)


@pytest.fixture
def english(client):
    client.cookies["silahap_language"] = "en"
    return client


def test_the_dry_run_report_is_paginated_with_bounded_queries(
    english, people, django_assert_max_num_queries
):
    job = upload(people.office_admin, people.office_a, "persons", persons(120, bad_every=10))
    english.force_login(people.leader_a)
    english.get(job.get_absolute_url())  # warm the session and memberships
    with django_assert_max_num_queries(15):
        response = english.get(job.get_absolute_url() + "?page=2")
    assert response.status_code == 200
    rows = response.context["page"].object_list
    assert [row.line for row in rows][:2] == [52, 53]
    assert response.context["page"].paginator.num_pages == 3
    assert b'data-testid="import-confirm"' in response.content


def test_refused_rows_are_listed_with_their_reason(english, people):
    job = upload(people.office_admin, people.office_a, "persons", persons(30, bad_every=10))
    english.force_login(people.office_admin)
    response = english.get(job.get_absolute_url() + "?outcome=refused")
    assert [row.line for row in response.context["page"].object_list] == [2, 12, 22]
    assert "Nationality: unknown country “Atlantis”." in response.content.decode()


def test_the_progress_feed_reports_rows_done(client, people):
    job = upload(people.office_admin, people.office_a, "persons", persons(5))
    client.force_login(people.office_admin)
    data = client.get(reverse("registry:import_progress", args=[job.pk])).json()
    assert data == {
        "status": "checked",
        "processed": 5,
        "total": 5,
        "percent": 100,
        "running": False,
    }


def test_a_running_job_shows_a_progress_bar_polled_by_a_static_script(client, people):
    job = upload(people.office_admin, people.office_a, "persons", persons(5))
    type(job).objects.filter(pk=job.pk).update(status="applying", processed_rows=2)
    client.force_login(people.office_admin)
    html = client.get(job.get_absolute_url()).content.decode()
    assert 'id="import-progress" value="2" max="5"' in html
    assert "js/import_progress.js" in html
    assert "<script>" not in html


def test_confirming_on_the_page_imports_the_file(
    client, people, django_capture_on_commit_callbacks
):
    job = upload(people.office_admin, people.office_a, "persons", persons(3))
    client.force_login(people.leader_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry:import_confirm", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.created_count) == ("applied", 3)
    assert ForeignNational.objects.count() == 3


def test_a_large_file_is_left_to_the_background_worker(
    people, settings, django_capture_on_commit_callbacks
):

    settings.SILAHAP_IMPORT_BACKGROUND_BYTES = 10
    with django_capture_on_commit_callbacks(execute=True):
        job = services.import_upload(
            by=people.office_admin, office=people.office_a, kind="persons",
            file_name="big.csv", content=persons(3),
        )  # fmt: skip
    job.refresh_from_db()
    assert job.status == "checking"
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "silahap.registry.tasks.import_check"
    assert queued.args_kwargs["args"] == [job.pk]


@pytest.mark.parametrize("persona", ["leader_b", "officer_a", "partner", "analyst"])
@pytest.mark.parametrize("name", ["import_detail", "import_progress", "import_confirm"])
def test_a_job_is_not_found_outside_its_offices_importers(client, people, persona, name):
    job = upload(people.office_admin, people.office_a, "persons", persons(2))
    client.force_login(getattr(people, persona))
    url = reverse(f"registry:{name}", args=[job.pk])
    response = client.post(url) if name == "import_confirm" else client.get(url)
    assert response.status_code == 404
    assert ForeignNational.objects.count() == 0


def test_the_list_shows_only_the_offices_own_jobs(client, people):
    upload(people.office_admin, people.office_a, "persons", persons(2))
    client.force_login(people.leader_b)
    response = client.get(reverse("registry:import_list"))
    assert response.status_code == 200
    assert response.context["jobs"] == []
    client.force_login(people.leader_a)
    assert len(client.get(reverse("registry:import_list")).context["jobs"]) == 1


def test_the_layout_page_documents_every_column(english, people):
    english.force_login(people.officer_a)
    response = english.get(reverse("registry:import_layout", args=["persons"]))
    html = response.content.decode()
    for column in PERSON_COLUMNS:
        assert f'data-key="{column.key}"' in html
    assert reverse("registry:import_template", args=["persons"]) in html
    assert english.get(reverse("registry:import_layout", args=["nothing"])).status_code == 404


@pytest.mark.parametrize("kind", ["persons", "lodging"])
def test_the_csv_template_is_itself_a_clean_file(client, people, kind):
    client.force_login(people.office_admin)
    response = client.get(reverse("registry:import_template", args=[kind]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")
    job = upload(people.office_admin, people.office_a, kind, content)
    assert job.status == "checked", job.problem
    assert (job.created_count, job.refused_count) == (1, 0)
