"""Each create page that a double tap or a retry could repeat, as a request a test can send.

Shared by the once-per-intent tests (one request twice, and fifty at the same instant); the data
is built through the services, like the other supervision tests.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse

from silahap.accounts.models import User
from silahap.registry.models import Place
from silahap.registry.models_imports import ImportJob
from silahap.reports.models import Activity
from silahap.supervision import services
from silahap.supervision.models import Absence, FollowUpStep, Task, Warrant
from silahap.supervision.tests.helpers import DAY, WIB, at, finding_for, place

PERSONS_CSV = (
    b"full_name,nationality,document_number,document_country,sex,birth_date,permit_type,"
    b"permit_number,permit_valid_until\r\n"
    b"Anna Schmidt,DE,C01X00T47,DE,F,1990-05-01,ITAS,2C11AA0001,2026-01-31\r\n"
)


@dataclass
class CreatePage:
    """Who sends it, where, with what (a fresh dict per request: files are read once), the
    rows it creates, and the page whose form carries the key."""

    user: User
    url: str
    data: Callable[[], dict]
    rows: models.QuerySet
    form_url: str = ""

    def __post_init__(self):
        self.form_url = self.form_url or self.url


def _warrant(people) -> Warrant:
    return services.warrant_create(
        by=people.leader_a,
        unit=people.section_a,
        number="SP-01/INTEL/2025",
        issued_on=DAY,
        signer="Kepala Seksi Inteldakim",
        period_start=DAY,
        period_end=DAY + datetime.timedelta(days=6),
        members=[people.officer_a],
    )


def place_page(people) -> CreatePage:
    data = {
        "name": "Villa Sunset",
        "kind": "villa",
        "address": "Jl. Pantai 7",
        "province": "51",
        "regency": "51.71",
        "district": "51.71.01",
        "village": "",
        "latitude": "-8.70",
        "longitude": "115.21",
    }
    return CreatePage(
        people.officer_b,
        reverse("registry:place_create"),
        lambda: dict(data),
        Place.objects.filter(name="Villa Sunset"),
    )


def warrant_page(people) -> CreatePage:
    data = {
        "unit": people.section_a.pk,
        "number": "SP-77/INTEL/2025",
        "issued_on": DAY.isoformat(),
        "signer": "Kepala Seksi Inteldakim",
        "period_start": DAY.isoformat(),
        "period_end": (DAY + datetime.timedelta(days=6)).isoformat(),
        "members": [people.officer_a.pk],
    }
    return CreatePage(
        people.leader_a,
        reverse("supervision:warrant_list"),
        lambda: dict(data),
        Warrant.objects.filter(number="SP-77/INTEL/2025"),
    )


def task_page(people) -> CreatePage:
    warrant = _warrant(people)
    data = {
        "assignee": people.officer_a.pk,
        "target_area": "Kecamatan Cikokol",
        "instructions": "Periksa daftar tamu.",
        "due_date": (DAY + datetime.timedelta(days=1)).isoformat(),
    }
    return CreatePage(
        people.leader_a,
        reverse("supervision:task_create", args=[warrant.pk]),
        lambda: dict(data),
        Task.objects.filter(warrant=warrant),
        reverse("supervision:warrant_detail", args=[warrant.pk]),
    )


def step_page(people) -> CreatePage:
    finding = finding_for(
        by=people.officer_a,
        started_at=at(9, day=DAY, zone=WIB),
        at_place=place(by=people.officer_a),
    )
    case = services.followup_open(finding=finding, by=people.officer_a)
    data = {"kind": "guidance", "action_kind": "", "notes": "Teguran lisan."}
    return CreatePage(
        people.leader_a,
        reverse("supervision:followup_step_add", args=[case.pk]),
        lambda: dict(data),
        FollowUpStep.objects.filter(followup=case),
        reverse("supervision:followup_detail", args=[case.pk]),
    )


def absence_page(people) -> CreatePage:
    data = {
        "user": people.officer_a.pk,
        "kind": "leave",
        "start_date": DAY.isoformat(),
        "end_date": (DAY + datetime.timedelta(days=2)).isoformat(),
        "note": "Cuti tahunan",
    }
    return CreatePage(
        people.leader_a,
        reverse("supervision:absence_list"),
        lambda: dict(data),
        Absence.objects.filter(user=people.officer_a),
    )


def import_page(people) -> CreatePage:
    return CreatePage(
        people.office_admin,
        reverse("registry:import_list"),
        lambda: {
            "office": people.office_a.pk,
            "kind": "persons",
            "file": SimpleUploadedFile("persons.csv", PERSONS_CSV),
        },
        ImportJob.objects.filter(office=people.office_a),
    )


def activity_at_new_place_page(people) -> CreatePage:
    """The officer's activity form with a place registered on the spot (reports' client id)."""
    data = {
        "kind": "field",
        "source": "independent",
        "classification": "open",
        "started_at": "2026-11-27T10:00",
        "description": "Tamu hotel diperiksa serentak",
        "place_mode": "new",
        "new_place-name": "Hotel Serentak",
        "new_place-kind": "hotel",
        "new_place-province": "36",
        "new_place-regency": "36.71",
    }
    return CreatePage(
        people.officer_a,
        reverse("reports:activity_create"),
        lambda: dict(data),
        Activity.objects.filter(description="Tamu hotel diperiksa serentak"),
    )


CREATE_PAGES = {
    "place": place_page,
    "warrant": warrant_page,
    "task": task_page,
    "followup_step": step_page,
    "absence": absence_page,
    "import": import_page,
}
