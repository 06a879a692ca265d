"""import_upload: a file is kept for its office and dry-run; bad rows and bad files are refused
with the line and the reason, and the registry is not touched."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from silahap.audit.models import AuditEvent
from silahap.registry import services
from silahap.registry.imports import problems
from silahap.registry.imports.checking import country_code, parse_date
from silahap.registry.services import person_create
from silahap.registry.tests.import_helpers import (
    LODGING_HEADER,
    PERSON_HEADER,
    csv_bytes,
    refusals,
    registry_counts,
    upload,
    xlsx_bytes,
)
from silahap.testing.idempotency import page_key

pytestmark = pytest.mark.django_db

ANNA = [
    "Anna Maria Eriksson",
    "SE",
    "L898902C3",
    "",
    "F",
    "12/08/1974",
    "ITAS",
    "2C1",
    "2026-01-09",
]
BRUNO = ["Bruno Müller", "DEU", "C01X00T47", "", "M", "1980-02-29", "", "", ""]


def test_the_dry_run_counts_what_would_be_created_and_writes_nothing(people):
    before = registry_counts()
    job = upload(
        people.office_admin, people.office_a, "persons", csv_bytes(PERSON_HEADER, [ANNA, BRUNO])
    )
    assert job.status == "checked"
    assert (job.created_count, job.updated_count, job.refused_count) == (2, 0, 0)
    assert job.total_rows == job.processed_rows == 2
    assert [row.outcome for row in job.rows.order_by("line")] == ["created", "created"]
    assert registry_counts() == before


def test_a_known_document_is_matched_to_its_person(people):
    anna = person_create(
        by=people.officer_a, full_name="Anna Maria Eriksson", nationality="SE",
        document_number="L898902C3",
    ).person  # fmt: skip
    job = upload(people.leader_a, people.office_a, "persons", csv_bytes(PERSON_HEADER, [ANNA]))
    row = job.rows.get()
    assert row.person == anna
    assert row.outcome == "updated"  # the file adds a birth date, the sex and a permit
    assert [code for code, _params in row.notes] == ["filled", "new_permit"]


def test_bad_rows_are_refused_with_their_line_and_reason(people):
    rows = [
        ANNA,  # line 2
        ["Wrong Date", "SE", "A1", "", "", "31/02/1990", "", "", ""],  # 3
        ["Nowhere Man", "Atlantis", "A2", "", "", "", "", "", ""],  # 4
        ANNA,  # 5: the same as line 2
        ["", "SE", "A3", "", "", "", "", "", ""],  # 6
        ['=HYPERLINK("http://x")', "SE", "A4", "", "", "", "", "", ""],  # 7
        ["X" * 201, "SE", "A5", "", "", "", "", "", ""],  # 8
        ["Future Born", "SE", "A6", "", "", "2999-01-01", "", "", ""],  # 9
        ["@SUM(A1)", "SE", "-2+3", "", "", "", "", "", ""],  # 10
    ]
    job = upload(people.office_admin, people.office_a, "persons", csv_bytes(PERSON_HEADER, rows))
    assert refusals(job) == {
        3: ["bad_date"],
        4: ["bad_nationality"],
        5: ["duplicate"],
        6: ["required"],
        7: ["formula"],
        8: ["too_long"],
        9: ["birth_in_future"],
        10: ["formula", "formula"],
    }
    assert job.rows.get(line=5).notes == [["duplicate", {"line": 2}]]
    assert (job.created_count, job.refused_count) == (1, 8)


def test_lodging_rows_with_check_out_before_check_in_or_duplicates_are_refused(people):
    rows = [
        ["Anna Eriksson", "L898902C3", "SWE", "Hotel Bandara", "36.71", "2025-03-01", "04/03/2025"],
        ["Anna Eriksson", "L898902C3", "Sweden", "HOTEL  bandara", "36.71", "01/03/2025", ""],
        ["Carl Weber", "P123", "Jerman", "Hotel Bandara", "36.71", "2025-03-05", "2025-03-02"],
        ["Dora Ng", "P456", "SG", "Hotel Bandara", "", "2025-03-05", ""],
    ]
    job = upload(people.office_admin, people.office_a, "lodging", csv_bytes(LODGING_HEADER, rows))
    assert refusals(job) == {3: ["duplicate"], 4: ["check_out_before_check_in"], 5: ["required"]}
    row = job.rows.get(line=2)
    assert row.outcome == "created"
    assert [code for code, _params in row.notes] == ["new_place", "new_person"]


def test_the_reason_is_given_in_the_readers_language(people):
    rows = [["Nowhere Man", "Atlantis", "A2", "", "", "", "", "", ""]]
    job = upload(people.office_admin, people.office_a, "persons", csv_bytes(PERSON_HEADER, rows))

    with translation.override("en"):
        english = problems.render_all(job.rows.get().notes)
    assert english == ["Nationality: unknown country “Atlantis”."]


def test_xlsx_formulas_are_refused_and_never_evaluated(people):
    rows = [
        [
            "Anna Eriksson",
            "L898902C3",
            "SE",
            "Hotel Bandara",
            "36.71",
            datetime.date(2025, 3, 1),
            None,
        ],
        ["=1+1", "P1", "SE", "Hotel Bandara", "36.71", "=TODAY()", None],
    ]
    content = xlsx_bytes(LODGING_HEADER, rows)
    job = upload(people.office_admin, people.office_a, "lodging", content, "apoa.xlsx")
    assert job.status == "checked"
    assert refusals(job) == {3: ["formula", "formula"]}
    assert job.rows.get(line=2).outcome == "created"
    assert "=" not in "".join(job.rows.values_list("label", flat=True))


def test_a_utf8_file_with_a_byte_order_mark_and_semicolons_is_read(people):
    content = b"\xef\xbb\xbf" + csv_bytes(PERSON_HEADER, [BRUNO], delimiter=";")
    job = upload(people.office_admin, people.office_a, "persons", content)
    assert job.status == "checked"
    assert job.rows.get().label == "Bruno Müller · C01X00T47"


def test_a_windows_1252_file_is_read_with_its_accents(people):
    rows = [
        [f"José Müller Nuñez {n}", "Spanyol", f"E{n}", "", "", "", "", "", ""] for n in range(30)
    ]
    content = csv_bytes(PERSON_HEADER, rows, encoding="cp1252")
    job = upload(people.office_admin, people.office_a, "persons", content)
    assert job.status == "checked", job.problem
    assert job.rows.get(line=2).label == "José Müller Nuñez 0 · E0"


@pytest.mark.parametrize(
    ("content", "file_name", "code"),
    [
        (bytes(range(256)) * 40, "data.csv", "not_text"),
        (
            csv_bytes(
                PERSON_HEADER, [["Иван Петрович Сидоров", "RU", "7701"]] * 20, encoding="cp1251"
            ),
            "data.csv",
            "unknown_encoding",
        ),
        (b"PK\x03\x04 not really a zip", "data.xlsx", "not_xlsx"),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "data.xls", "old_excel"),
        (b"full_name,nationality\r\nAnna,SE\r\n", "data.csv", "missing_columns"),
        (csv_bytes(PERSON_HEADER, []), "data.csv", "no_rows"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole(people, content, file_name, code):
    before = registry_counts()
    job = upload(people.office_admin, people.office_a, "persons", content, file_name)
    assert job.status == "failed"
    assert job.problem[0] == code
    assert job.rows.count() == 0
    assert registry_counts() == before


def test_too_many_rows_are_refused_whole(people, settings):
    settings.SILAHAP_IMPORT_MAX_ROWS = 2
    job = upload(
        people.office_admin,
        people.office_a,
        "persons",
        csv_bytes(PERSON_HEADER, [ANNA, BRUNO, BRUNO]),
    )
    assert job.problem == ["too_many_rows", {"limit": 2}]


def test_a_file_over_the_size_limit_is_refused(people, settings):
    settings.SILAHAP_IMPORT_MAX_BYTES = 1024
    with pytest.raises(ValidationError):
        services.import_upload(
            by=people.office_admin, office=people.office_a, kind="persons",
            file_name="big.csv", content=b"x" * 2048,
        )  # fmt: skip


@pytest.mark.parametrize("persona", ["officer_a", "analyst", "partner", "leader_b"])
def test_only_the_offices_administrators_and_leaders_may_import(people, persona):
    with pytest.raises(PermissionDenied):
        services.import_upload(
            by=getattr(people, persona), office=people.office_a, kind="persons",
            file_name="a.csv", content=csv_bytes(PERSON_HEADER, [ANNA]),
        )  # fmt: skip


def test_upload_and_dry_run_are_audited(people):
    job = upload(people.office_admin, people.office_a, "persons", csv_bytes(PERSON_HEADER, [ANNA]))
    events = AuditEvent.objects.filter(object_type="registry.importjob", object_id=str(job.pk))
    assert list(events.order_by("sequence").values_list("action", flat=True)) == [
        "import.upload",
        "import.dry_run",
    ]
    assert events.get(action="import.dry_run").summary["created"] == 1


def test_the_upload_page_checks_a_small_file_at_once(
    client, people, django_capture_on_commit_callbacks
):
    client.force_login(people.office_admin)
    content = csv_bytes(PERSON_HEADER, [ANNA])

    key = page_key(client.get(reverse("registry:import_list")))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("registry:import_list"),
            {
                "client_id": key,
                "office": people.office_a.pk,
                "kind": "persons",
                "file": SimpleUploadedFile("a.csv", content),
            },
        )
    assert response.status_code == 302
    detail = client.get(response.url)
    assert detail.context["job"].status == "checked"
    assert b'data-testid="import-confirm"' in detail.content


def test_the_upload_page_refuses_another_file_type_with_422(client, people):

    client.force_login(people.leader_a)
    response = client.post(
        reverse("registry:import_list"),
        {
            "office": people.office_a.pk,
            "kind": "persons",
            "file": SimpleUploadedFile("a.exe", b"MZ"),
        },
    )
    assert response.status_code == 422
    assert response.context["form"].errors["file"]


@pytest.mark.parametrize(
    ("text", "code"),
    [("ID", "ID"), ("idn", "ID"), ("Indonesia", "ID"), ("Jerman", "DE"), ("germany", "DE"),
     ("D", "DE"), ("XXA", "XA"), ("Côte d'Ivoire", "CI"), ("Atlantis", None), ("QQ", None)],
)  # fmt: skip
def test_nationality_is_an_iso_code_or_a_name(text, code):
    assert country_code(text) == code


@pytest.mark.parametrize(
    ("text", "day"),
    [("2025-03-31", datetime.date(2025, 3, 31)), ("31/03/2025", datetime.date(2025, 3, 31)),
     ("2025-03-31 14:00", datetime.date(2025, 3, 31)), ("03/31/2025", None), ("31-03-2025", None),
     ("2025-02-30", None)],
)  # fmt: skip
def test_dates_are_iso_or_day_month_year(text, day):
    assert parse_date(text) == day


def test_an_xlsx_that_unpacks_to_far_more_than_its_size_is_refused(people):

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"A" * (80 * 1024 * 1024))
    job = upload(people.office_admin, people.office_a, "persons", buffer.getvalue(), "bomb.xlsx")
    assert job.problem == ["not_xlsx", {}]
