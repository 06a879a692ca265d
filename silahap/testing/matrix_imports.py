"""Role × URL rows for CSV and XLSX imports; merged into url_matrix.MATRIX.

Imports are for the administrators and leaders of an office; a job is seen by those of its
office only (404 for everyone else). The layouts and templates are for all immigration staff.
"""

from __future__ import annotations

from django.urls import reverse

from silahap.testing.url_matrix import Row, signed_in

IMPORTERS = {"leader_a": 200, "office_admin": 200}


def import_job(people):
    """A checked persons file of office A, uploaded by its administrator, once per test."""
    if not hasattr(people, "_import_job"):
        from silahap.registry import services_imports, tasks_imports

        job = services_imports.import_upload(
            by=people.office_admin,
            office=people.office_a,
            kind="persons",
            file_name="matrix.csv",
            content=b"full_name,nationality,document_number\r\nAnna Eriksson,SE,L898902C3\r\n",
        )
        tasks_imports.import_check.call(job.pk)
        people._import_job = job
    return people._import_job


def job_url(name):
    return lambda people: reverse(name, args=[import_job(people).pk])


ROWS: dict[str, Row] = {
    # No file sent: the importers get the form back with the problem beside it.
    "registry:import_list": Row(
        {
            "GET": signed_in(403, **IMPORTERS),
            "POST": signed_in(403, leader_a=422, office_admin=422),
        },
    ),
    "registry:import_layout": Row(
        {"GET": signed_in(200, partner=403), "POST": signed_in(405)},
        url_for=lambda people: reverse("registry:import_layout", args=["lodging"]),
    ),
    "registry:import_template": Row(
        {"GET": signed_in(200, partner=403), "POST": signed_in(405)},
        url_for=lambda people: reverse("registry:import_template", args=["persons"]),
    ),
    "registry:import_detail": Row(
        {"GET": signed_in(404, **IMPORTERS), "POST": signed_in(405)},
        url_for=job_url("registry:import_detail"),
    ),
    "registry:import_progress": Row(
        {"GET": signed_in(404, **IMPORTERS), "POST": signed_in(405)},
        url_for=job_url("registry:import_progress"),
    ),
    "registry:import_confirm": Row(
        {"GET": signed_in(405), "POST": signed_in(404, leader_a=302, office_admin=302)},
        url_for=job_url("registry:import_confirm"),
    ),
}
