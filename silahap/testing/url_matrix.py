"""The role × URL table: what each persona gets from every URL and method.

Each new URL adds a row here; tests fail for a URL without one. Statuses: 200 shown, 302 sent
elsewhere (to the login page when anonymous), 403 may see but not act, 404 may not see, 405 wrong
method.
"""

from __future__ import annotations

import datetime
import importlib
import io
import pkgutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from silahap.registry.models import Regency
from silahap.registry.services import person_create, place_create
from silahap.reports.models import Check, ViolationType
from silahap.reports.services import activity_create, check_create, evidence_add, finding_create
from silahap.reports.services.evidence_copies import evidence_copies_make
from silahap.supervision.services import (
    followup_open,
    followup_step_add,
    task_create,
    warrant_create,
)
from silahap.testing import matrix

PERSONAS = [
    "anonymous",
    "officer_a",
    "leader_a",
    "officer_b",
    "analyst",
    "partner",
    "office_admin",
]


def everyone(status: int, **exceptions: int) -> dict[str, int]:
    return {persona: exceptions.get(persona, status) for persona in PERSONAS}


def signed_in(status: int, **exceptions: int) -> dict[str, int]:
    return everyone(status, anonymous=302, **exceptions)


@dataclass
class Row:
    methods: dict[str, dict[str, int]]
    url_for: Callable | None = None
    name: str = ""
    data: dict[str, dict] = field(default_factory=dict)

    def url(self, people) -> str:
        if self.url_for is not None:
            return self.url_for(people)
        return reverse(self.name)

    def extra(self, method: str, people=None) -> dict:
        """The request's form data; a callable takes the personas (ids differ per database)."""
        if method not in self.data:
            return {}
        data = self.data[method]
        return {"data": data(people) if callable(data) else data}


VALID_MRZ = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
)


def _not_a_photo():
    return SimpleUploadedFile("page.jpg", b"not a picture", content_type="image/jpeg")


def field_activity(people):
    """officer_a's draft report with one field activity, made once per test through the services."""
    if not hasattr(people, "_field_activity"):
        place = place_create(
            by=people.officer_a,
            name="Hotel Matrix",
            kind="hotel",
            regency=Regency.objects.get(code="36.71"),
        )
        people._field_activity = activity_create(
            by=people.officer_a,
            client_id=uuid.uuid4(),
            kind="field",
            source="independent",
            started_at=timezone.now() - datetime.timedelta(minutes=30),
            place=place,
        )
    return people._field_activity


def field_photo(people):
    """A photo on officer_a's field activity, made through the service."""
    if not hasattr(people, "_field_photo"):
        buffer = io.BytesIO()
        Image.new("RGB", (32, 24), "blue").save(buffer, format="JPEG")
        photo = evidence_add(
            by=people.officer_a,
            client_id=uuid.uuid4(),
            activity=field_activity(people),
            data=buffer.getvalue(),
        )
        # What the worker does a moment after the upload: the copies pages show.
        evidence_copies_make(evidence_id=photo.pk)
        photo.refresh_from_db()
        people._field_photo = photo
    return people._field_photo


def field_check(people):
    """A check of a foreigner in officer_a's field activity, made through the service."""
    if not hasattr(people, "_field_check"):
        people._field_check = _check_in(field_activity(people), people)
    return people._field_check


def _check_in(activity, people):
    person = registry_person(people)
    # The fuzz may have checked the person in this activity already through the check form.
    return Check.objects.filter(activity=activity, person=person).first() or check_create(
        by=people.officer_a,
        client_id=uuid.uuid4(),
        activity=activity,
        person=person,
        verification_method="physical_document",
        result="compliant",
    )


def removable(what: str):
    """The URL removing a thing of its own (never a row other rows' URLs use): an activity, a
    check, a finding or a photo in a second activity of officer_a's draft."""

    def url(people):
        key = f"_removable_{what}"
        if not hasattr(people, key):
            activity = activity_create(
                by=people.officer_a,
                client_id=uuid.uuid4(),
                kind="administrative",
                source="apoa",
                started_at=timezone.now() - datetime.timedelta(minutes=20),
            )
            row = activity
            if what == "check":
                row = _check_in(activity, people)
            elif what == "finding":
                row = finding_create(
                    by=people.officer_a,
                    client_id=uuid.uuid4(),
                    activity=activity,
                    violation_type=ViolationType.objects.order_by("pk").first(),
                )
            elif what == "evidence":
                buffer = io.BytesIO()
                Image.new("RGB", (32, 24), "red").save(buffer, format="JPEG")
                row = evidence_add(
                    by=people.officer_a,
                    client_id=uuid.uuid4(),
                    activity=activity,
                    data=buffer.getvalue(),
                )
            setattr(people, key, row)
        return reverse(f"reports:{what}_delete", args=[getattr(people, key).pk])

    return url


def registry_person(people):
    """A foreigner registered by officer_a through the service, once per test."""
    if not hasattr(people, "_registry_person"):
        people._registry_person = person_create(
            by=people.officer_a,
            full_name="Anna Maria Eriksson",
            nationality="SE",
            document_number="L898902C3",
            permit_type="ITAS",
        ).person
    return people._registry_person


def person_url(name, query=""):
    return lambda people: reverse(name, args=[registry_person(people).pk]) + query


def report_url(name):
    return lambda people: reverse(name, args=[field_activity(people).report_id])


def activity_url(name):
    return lambda people: reverse(name, args=[field_activity(people).pk])


def supervision_warrant(people):
    """A warrant of section A naming officer_a, with a scan and one task for officer_a."""
    if not hasattr(people, "_warrant"):
        today = timezone.localdate()
        people._warrant = warrant_create(
            by=people.leader_a,
            unit=people.section_a,
            number="SP-MATRIX/2025",
            issued_on=today,
            signer="Kasi Inteldakim",
            period_start=today,
            period_end=today + datetime.timedelta(days=7),
            members=[people.officer_a],
            scan=b"%PDF-1.4 matrix",
        )
        people._task = task_create(
            by=people.leader_a,
            warrant=people._warrant,
            assignee=people.officer_a,
            instructions="Periksa.",
            due_date=today,
            target_area="Cikokol",
        )
    return people._warrant


def supervision_finding(people):
    if not hasattr(people, "_finding"):
        people._finding = finding_create(
            by=people.officer_a,
            client_id=uuid.uuid4(),
            activity=field_activity(people),
            violation_type=ViolationType.objects.order_by("pk").first(),
        )
    return people._finding


def supervision_followup(people):
    if not hasattr(people, "_followup"):
        people._followup = followup_open(finding=supervision_finding(people), by=people.officer_a)
        people._step = followup_step_add(
            by=people.leader_a,
            followup=people._followup,
            kind="summons",
            assignee=people.officer_a,
        )
    return people._followup


def warrant_url(name):
    return lambda people: reverse(name, args=[supervision_warrant(people).pk])


def followup_url(name):
    return lambda people: reverse(name, args=[supervision_followup(people).pk])


def task_url(name):
    def url(people):
        supervision_warrant(people)
        return reverse(name, args=[people._task.pk])

    return url


def step_url(name):
    def url(people):
        supervision_followup(people)
        return reverse(name, args=[people._step.pk])

    return url


CLIENT_ID = "0f0e0d0c-0b0a-4908-8706-050403020100"
# Who may read officer_a's report: the author, and leaders and analysts above the team.
READERS = {"officer_b": 404, "partner": 404, "office_admin": 404}

MATRIX: dict[str, Row] = {
    "home": Row({"GET": signed_in(200), "POST": signed_in(405)}),
    "login": Row(
        {"GET": everyone(302, anonymous=200), "POST": everyone(302, anonymous=200)},
        data={"POST": {"username": "nobody", "password": "wrong-password"}},
    ),
    "logout": Row({"GET": everyone(405, anonymous=302), "POST": everyone(302)}),
    "healthz": Row({"GET": everyone(200), "POST": everyone(405)}),
    "readyz": Row({"GET": everyone(200), "POST": everyone(405)}),
    # Prometheus' scrape: 404 to everyone without the token (none is set in the suite).
    "metrics": Row({"GET": everyone(404), "POST": everyone(404)}),
    "service_worker": Row({"GET": everyone(200), "POST": everyone(405)}),
    "favicon": Row({"GET": everyone(200), "POST": everyone(405)}),
    "offline_shell": Row({"GET": everyone(200), "POST": everyone(405)}),
    "set_language": Row(
        {"POST": everyone(302)},
        data={"POST": {"language": "en", "next": "/"}},
    ),
    "reports:today": Row({"GET": signed_in(200), "POST": signed_in(405)}),
    "reports:my_reports": Row({"GET": signed_in(200), "POST": signed_in(405)}),
    "reports:report_detail": Row(
        {"GET": signed_in(200, **READERS), "POST": signed_in(405)},
        url_for=report_url("reports:report_detail"),
    ),
    "reports:report_submit": Row(
        {
            "GET": signed_in(405),
            # The report is valid but for the warrant: the author gets the problems beside it.
            "POST": signed_in(403, officer_a=422, **READERS),
        },
        url_for=report_url("reports:report_submit"),
        data={"POST": {"client_id": CLIENT_ID}},
    ),
    "reports:activity_create": Row(
        {
            "GET": signed_in(200, analyst=403, partner=403, office_admin=403),
            "POST": signed_in(422, analyst=403, partner=403, office_admin=403),
        },
        data={"POST": {"client_id": CLIENT_ID}},
    ),
    "reports:area_proposal": Row(
        {
            "GET": signed_in(200, analyst=403, partner=403, office_admin=403),
            "POST": signed_in(405),
        },
        url_for=lambda people: reverse("reports:area_proposal") + "?lat=-6.2&lng=106.6",
    ),
    "reports:activity_detail": Row(
        {"GET": signed_in(200, **READERS), "POST": signed_in(405)},
        url_for=activity_url("reports:activity_detail"),
    ),
    "reports:check_create": Row(
        {"GET": signed_in(405), "POST": signed_in(403, officer_a=422, **READERS)},
        url_for=activity_url("reports:check_create"),
        data={"POST": {"client_id": CLIENT_ID}},
    ),
    "reports:finding_create": Row(
        {"GET": signed_in(405), "POST": signed_in(403, officer_a=422, **READERS)},
        url_for=activity_url("reports:finding_create"),
        data={"POST": {"client_id": CLIENT_ID}},
    ),
    # Corrections: only the author of a draft; the readers above may see it but not change it.
    "reports:activity_update": Row(
        {
            "GET": signed_in(403, officer_a=200, **READERS),
            "POST": signed_in(403, officer_a=422, **READERS),
        },
        url_for=activity_url("reports:activity_update"),
        data={"POST": {"kind": "field"}},
    ),
    "reports:activity_delete": Row(
        {"GET": signed_in(405), "POST": signed_in(403, officer_a=302, **READERS)},
        url_for=removable("activity"),
    ),
    "reports:check_update": Row(
        {
            "GET": signed_in(403, officer_a=200, **READERS),
            "POST": signed_in(403, officer_a=422, **READERS),
        },
        url_for=lambda people: reverse("reports:check_update", args=[field_check(people).pk]),
        data={"POST": {"result": "no-such-result"}},
    ),
    "reports:check_delete": Row(
        {"GET": signed_in(405), "POST": signed_in(403, officer_a=302, **READERS)},
        url_for=removable("check"),
    ),
    # Confirming the identity a document photo filled in: only the check's author; nobody
    # else learns the check exists. A check that is not pending is left as it is (a redirect).
    "reports:check_identity_confirm": Row(
        {"GET": signed_in(405), "POST": signed_in(404, officer_a=302)},
        url_for=lambda people: reverse(
            "reports:check_identity_confirm", args=[field_check(people).pk]
        ),
    ),
    "reports:finding_update": Row(
        {
            "GET": signed_in(403, officer_a=200, **READERS),
            "POST": signed_in(403, officer_a=422, **READERS),
        },
        url_for=lambda people: reverse(
            "reports:finding_update", args=[supervision_finding(people).pk]
        ),
        data={"POST": {"violation_type": "no-such-violation"}},
    ),
    "reports:finding_delete": Row(
        {"GET": signed_in(405), "POST": signed_in(403, officer_a=302, **READERS)},
        url_for=removable("finding"),
    ),
    "reports:evidence_delete": Row(
        {"GET": signed_in(405), "POST": signed_in(403, officer_a=302, **READERS)},
        url_for=removable("evidence"),
    ),
    "reports:review_queue": Row({"GET": signed_in(200), "POST": signed_in(405)}),
    # The report is a draft: a leader above may decide only once it is submitted (400-range).
    "reports:report_approve": Row(
        {"GET": signed_in(405), "POST": signed_in(403, leader_a=302, analyst=403, **READERS)},
        url_for=report_url("reports:report_approve"),
    ),
    "reports:report_return": Row(
        {"GET": signed_in(405), "POST": signed_in(403, leader_a=302, **READERS)},
        url_for=report_url("reports:report_return"),
        data={"POST": {"reason": "Lengkapi surat perintah."}},
    ),
    "reports:report_revise": Row(
        {"GET": signed_in(405), "POST": signed_in(403, officer_a=302, **READERS)},
        url_for=report_url("reports:report_revise"),
        data={"POST": {"reason": "Salah ketik nomor paspor."}},
    ),
    "reports:comment_create": Row(
        {"GET": signed_in(405), "POST": signed_in(403, officer_a=302, leader_a=302, **READERS)},
        url_for=report_url("reports:comment_create"),
        data={"POST": {"client_id": CLIENT_ID, "body": "Mohon dilengkapi."}},
    ),
    "reports:evidence_add": Row(
        {"GET": signed_in(405), "POST": signed_in(403, officer_a=422, **READERS)},
        url_for=activity_url("reports:evidence_add"),
        data={"POST": {"client_id": CLIENT_ID}},
    ),
    "reports:evidence_file": Row(
        {"GET": signed_in(200, **READERS), "POST": signed_in(405)},
        url_for=lambda people: reverse(
            "reports:evidence_file", args=[field_photo(people).pk, "thumbnail"]
        ),
    ),
    # The original of a photo sent resized: its author only (here one kept whole: no file, 422).
    "reports:evidence_original_add": Row(
        {"GET": signed_in(405), "POST": signed_in(403, officer_a=422, **READERS)},
        url_for=lambda people: reverse(
            "reports:evidence_original_add", args=[field_photo(people).client_id]
        ),
    ),
    "registry:index": Row({"GET": signed_in(200, partner=403), "POST": signed_in(405)}),
    "registry:person_lookup": Row(
        {"GET": signed_in(200, partner=403), "POST": signed_in(405)},
        url_for=lambda people: reverse("registry:person_lookup") + "?q=anna",
    ),
    "registry:person_search": Row(
        {"GET": signed_in(200, partner=403), "POST": signed_in(405)},
        url_for=lambda people: reverse("registry:person_search") + "?q=anna",
    ),
    # An empty form: every member of staff gets it back with the problems beside the fields.
    "registry:person_create": Row(
        {"GET": signed_in(200, partner=403), "POST": signed_in(422, partner=403)},
        data={"POST": {"full_name": ""}},
    ),
    # Registry records: immigration staff of every office; a partner-agency member never.
    "registry:person_detail": Row(
        {"GET": signed_in(200, partner=404), "POST": signed_in(405)},
        url_for=person_url("registry:person_detail", "?purpose=supervision"),
    ),
    "registry:person_update": Row(
        {"GET": signed_in(200, partner=404), "POST": signed_in(422, partner=404)},
        url_for=person_url("registry:person_update"),
        data={"POST": {"full_name": ""}},
    ),
    "registry:document_add": Row(
        {"GET": signed_in(405), "POST": signed_in(422, partner=404)},
        url_for=person_url("registry:document_add"),
        data={"POST": {"document-number": "bad number!"}},
    ),
    "registry:permit_add": Row(
        {"GET": signed_in(405), "POST": signed_in(422, partner=404)},
        url_for=person_url("registry:permit_add"),
        data={
            "POST": {
                "permit-permit_type": "ITAS",
                "permit-issued_on": "2025-05-01",
                "permit-valid_until": "2025-04-01",
            }
        },
    ),
    "registry:place_options": Row(
        {"GET": signed_in(200, partner=403), "POST": signed_in(405)},
        url_for=lambda people: reverse("registry:place_options") + "?lat=-6.17&lng=106.63",
    ),
    "registry:area_options": Row(
        {"GET": signed_in(200), "POST": signed_in(405)},
        url_for=lambda people: reverse("registry:area_options", args=["regency"]) + "?parent=36",
    ),
    "registry:place_detail": Row(
        {"GET": signed_in(200, partner=404), "POST": signed_in(405)},
        url_for=lambda people: field_activity(people).place.get_absolute_url(),
    ),
    "registry:mrz_parse": Row(
        {"GET": signed_in(405), "POST": signed_in(200, partner=403)},
        data={"POST": {"mrz": VALID_MRZ}},
    ),
    # A file that is no picture: refused (422) without running the OCR for every persona.
    "registry:mrz_photo_read": Row(
        {"GET": signed_in(405), "POST": signed_in(422, partner=403)},
        data={"POST": lambda people: {"photo": _not_a_photo()}},
    ),
    # Supervision: the board is for leaders (acting included); records follow their unit.
    "supervision:board": Row(
        {"GET": signed_in(403, leader_a=200), "POST": signed_in(405)},
    ),
    "supervision:board_feed": Row(
        {"GET": signed_in(403, leader_a=200), "POST": signed_in(405)},
    ),
    "supervision:warrant_list": Row(
        {"GET": signed_in(200), "POST": signed_in(403, leader_a=422)},
    ),
    "supervision:warrant_detail": Row(
        {"GET": signed_in(200, **READERS), "POST": signed_in(405)},
        url_for=warrant_url("supervision:warrant_detail"),
    ),
    "supervision:warrant_scan": Row(
        {"GET": signed_in(200, **READERS), "POST": signed_in(405)},
        url_for=warrant_url("supervision:warrant_scan"),
    ),
    "supervision:task_create": Row(
        {"GET": signed_in(405), "POST": signed_in(403, leader_a=422, **READERS)},
        url_for=warrant_url("supervision:task_create"),
    ),
    "supervision:my_tasks": Row({"GET": signed_in(200), "POST": signed_in(405)}),
    "supervision:task_link": Row(
        {"GET": signed_in(405), "POST": signed_in(403, officer_a=422, **READERS)},
        url_for=task_url("supervision:task_link"),
    ),
    "supervision:followup_list": Row({"GET": signed_in(200), "POST": signed_in(405)}),
    "supervision:followup_open": Row(
        {"GET": signed_in(405), "POST": signed_in(403, officer_a=302, leader_a=302, **READERS)},
        url_for=lambda people: reverse(
            "supervision:followup_open", args=[supervision_finding(people).pk]
        ),
    ),
    "supervision:followup_detail": Row(
        {"GET": signed_in(200, **READERS), "POST": signed_in(405)},
        url_for=followup_url("supervision:followup_detail"),
    ),
    "supervision:followup_step_add": Row(
        {"GET": signed_in(405), "POST": signed_in(403, leader_a=422, **READERS)},
        url_for=followup_url("supervision:followup_step_add"),
    ),
    "supervision:followup_close": Row(
        # The summons step is open: the leader is told to finish it first (a message, 302).
        {"GET": signed_in(405), "POST": signed_in(403, leader_a=302, **READERS)},
        url_for=followup_url("supervision:followup_close"),
    ),
    "supervision:followup_step_update": Row(
        {"GET": signed_in(405), "POST": signed_in(403, officer_a=302, leader_a=302, **READERS)},
        url_for=step_url("supervision:followup_step_update"),
    ),
    "supervision:absence_list": Row(
        {
            "GET": signed_in(403, leader_a=200, office_admin=200),
            "POST": signed_in(403, leader_a=422, office_admin=422),
        },
    ),
    "supervision:notification_list": Row({"GET": signed_in(200), "POST": signed_in(405)}),
    "supervision:notification_read": Row({"GET": signed_in(405), "POST": signed_in(302)}),
}


# Hostile form posts with what must still hold after each; parts add theirs (matrix/admin.py).
ATTACKS: list = []


def admin_expectation(name: str, persona: str) -> int:
    if persona == "office_admin":
        return 403 if name == "admin:audit_auditevent_changelist" else 200
    return 302


def _add_parts() -> None:
    """Add the rows of every module in silahap/testing/matrix/, one per part of the domain.

    A new app adds its own module there (ROWS, and HOSTILE if it has attacks); nothing here
    changes."""
    for module in pkgutil.iter_modules(matrix.__path__):
        part = importlib.import_module(f"{matrix.__name__}.{module.name}")
        overlap = MATRIX.keys() & part.ROWS.keys()
        assert not overlap, f"URL rows defined twice: {sorted(overlap)}"
        MATRIX.update(part.ROWS)
        ATTACKS.extend(getattr(part, "HOSTILE", []))
    for route, row in MATRIX.items():
        row.name = route


_add_parts()
