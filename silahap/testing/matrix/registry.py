"""Role × URL rows for the registry's directory (sponsors, places), duplicate review and merge,
and imports.

Duplicates: immigration staff see the candidate lists; leaders and office administrators decide
(an empty choice comes back 422); other staff 403; a partner-agency member 404 everywhere.
Imports are for the administrators and leaders of an office; a job is seen by those of its office
only (404 for everyone else). The layouts and templates are for all immigration staff.
"""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from silahap.registry import services, tasks
from silahap.registry.models import Regency
from silahap.registry.services import person_create, place_create, sponsor_create
from silahap.testing.url_matrix import Row, field_activity, registry_person, signed_in


def directory_sponsor(people):
    """An individual sponsor registered by officer_a through the service, once per test."""
    if not hasattr(people, "_directory_sponsor"):
        people._directory_sponsor = sponsor_create(
            by=people.officer_a,
            kind="individual",
            name="Budi Santoso",
            identity_number="3671011203800001",
        ).sponsor
    return people._directory_sponsor


def sponsor_url(name):
    return lambda people: reverse(name, args=[directory_sponsor(people).pk])


def place_url(name):
    return lambda people: reverse(name, args=[field_activity(people).place_id])


# Lists and forms: immigration staff of every office (the registry is national); a partner-agency
# member is refused (403), and gets 404 for any one record. Empty forms come back with 422.
_DIRECTORY: dict[str, Row] = {
    "registry:sponsor_list": Row(
        {"GET": signed_in(200, partner=403), "POST": signed_in(405)},
        url_for=lambda people: reverse("registry:sponsor_list") + "?q=budi",
    ),
    "registry:sponsor_create": Row(
        {"GET": signed_in(200, partner=403), "POST": signed_in(422, partner=403)},
        data={"POST": {"name": ""}},
    ),
    "registry:sponsor_detail": Row(
        {"GET": signed_in(200, partner=404), "POST": signed_in(405)},
        url_for=sponsor_url("registry:sponsor_detail"),
    ),
    "registry:sponsor_update": Row(
        {"GET": signed_in(200, partner=404), "POST": signed_in(422, partner=404)},
        url_for=sponsor_url("registry:sponsor_update"),
        data={"POST": {"name": ""}},
    ),
    "registry:place_list": Row(
        {"GET": signed_in(200, partner=403), "POST": signed_in(405)},
        url_for=lambda people: reverse("registry:place_list") + "?q=hotel",
    ),
    "registry:place_create": Row(
        {"GET": signed_in(200, partner=403), "POST": signed_in(422, partner=403)},
        data={"POST": {"name": ""}},
    ),
    "registry:places_near": Row(
        {"GET": signed_in(200, partner=403), "POST": signed_in(405)},
        url_for=lambda people: reverse("registry:places_near") + "?lat=-6.17&lng=106.63",
    ),
    "registry:place_update": Row(
        {"GET": signed_in(200, partner=404), "POST": signed_in(422, partner=404)},
        url_for=place_url("registry:place_update"),
        data={"POST": {"name": ""}},
    ),
    # Leaders and analysts read their offices' warnings; nobody else has offices to read.
    "registry:permit_warnings": Row(
        {"GET": signed_in(403, leader_a=200, analyst=200), "POST": signed_in(405)},
    ),
}


DECIDERS = {"leader_a": 422, "office_admin": 422, "partner": 404}
# Dismissing needs no choice: the deciders are sent back to the list.
DISMISSERS = {"leader_a": 302, "office_admin": 302, "partner": 404}


def duplicate_person(people):
    """A second record of officer_a's registry person, once per test."""
    if not hasattr(people, "_duplicate_person"):
        people._duplicate_person = person_create(
            by=people.officer_a, full_name="Ana Maria Eriksson", nationality="SE"
        ).person
    return people._duplicate_person


def duplicate_places(people):
    """Two places of one name a few metres apart, once per test."""
    if not hasattr(people, "_duplicate_places"):
        regency = Regency.objects.get(code="36.71")
        people._duplicate_places = [
            place_create(
                by=people.officer_a,
                name="Hotel Kembar",
                kind="hotel",
                regency=regency,
                latitude=Decimal("-6.170000"),
                longitude=Decimal(longitude),
            )
            for longitude in ("106.630000", "106.630200")
        ]
    return people._duplicate_places


def person_pair_url(name):
    return lambda people: reverse(
        name, args=[registry_person(people).pk, duplicate_person(people).pk]
    )


def place_pair_url(name):
    return lambda people: reverse(name, args=[place.pk for place in duplicate_places(people)])


_DUPLICATES: dict[str, Row] = {
    "registry:person_duplicates": Row(
        {"GET": signed_in(200, partner=404), "POST": signed_in(405)},
        url_for=lambda people: reverse("registry:person_duplicates") + "?by=document",
    ),
    "registry:person_merge": Row(
        {"GET": signed_in(405), "POST": signed_in(403, **DECIDERS)},
        url_for=person_pair_url("registry:person_merge"),
        data={"POST": {"survivor": ""}},
    ),
    "registry:person_duplicate_dismiss": Row(
        {"GET": signed_in(405), "POST": signed_in(403, **DISMISSERS)},
        url_for=person_pair_url("registry:person_duplicate_dismiss"),
        data={"POST": {}},
    ),
    "registry:place_duplicates": Row(
        {"GET": signed_in(200, partner=404), "POST": signed_in(405)},
    ),
    "registry:place_merge": Row(
        {"GET": signed_in(405), "POST": signed_in(403, **DECIDERS)},
        url_for=place_pair_url("registry:place_merge"),
        data={"POST": {"survivor": ""}},
    ),
    "registry:place_duplicate_dismiss": Row(
        {"GET": signed_in(405), "POST": signed_in(403, **DISMISSERS)},
        url_for=place_pair_url("registry:place_duplicate_dismiss"),
        data={"POST": {}},
    ),
}


IMPORTERS = {"leader_a": 200, "office_admin": 200}


def import_job(people):
    """A checked persons file of office A, uploaded by its administrator, once per test."""
    if not hasattr(people, "_import_job"):
        job = services.import_upload(
            by=people.office_admin,
            office=people.office_a,
            kind="persons",
            file_name="matrix.csv",
            content=b"full_name,nationality,document_number\r\nAnna Eriksson,SE,L898902C3\r\n",
        )
        tasks.import_check.call(job.pk)
        people._import_job = job
    return people._import_job


def job_url(name):
    return lambda people: reverse(name, args=[import_job(people).pk])


_IMPORTS: dict[str, Row] = {
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


ROWS: dict[str, Row] = {**_DIRECTORY, **_DUPLICATES, **_IMPORTS}
