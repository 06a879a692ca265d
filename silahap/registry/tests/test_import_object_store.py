"""An uploaded import file is kept in the file store (here moto's S3 server on loopback), not in
the database: the dry run and the import read it back from there, a repeated upload stores it
once, backups and `storage_migrate` see it with its SHA-256, and a job uploaded before the move
(its bytes in the row) still imports."""

from __future__ import annotations

import hashlib
import uuid

import pytest

from silahap.registry import services, tasks
from silahap.registry.models import ForeignNational
from silahap.registry.models_imports import ImportJob
from silahap.registry.tests.import_helpers import PERSON_HEADER, confirm, csv_bytes
from silahap.storage import stored_files
from silahap.testing.external import bucket_keys

pytestmark = pytest.mark.django_db

ROWS = [
    ["ANNA MARIA ERIKSSON", "SWE", "L898902C3", "SWE", "F", "1974-08-12", "", "", ""],
    ["JOHN SMITH", "GBR", "123456789", "GBR", "M", "1980-01-31", "", "", ""],
]


def test_the_file_lives_in_the_store_and_the_import_reads_it_from_there(people, s3_store):
    endpoint, bucket = s3_store
    content = csv_bytes(PERSON_HEADER, ROWS)
    client_id = uuid.uuid4()
    job = services.import_upload(
        by=people.leader_a,
        office=people.office_a,
        kind="persons",
        file_name="../../etc/passwd.csv",
        content=content,
        client_id=client_id,
    )
    row = ImportJob.objects.get(pk=job.pk)
    assert bytes(row.content) == b""  # no file bytes in the database
    assert row.size == len(content)
    assert row.file.name.startswith("imports/")
    assert "passwd" not in row.file.name  # never the uploaded name
    assert bucket_keys(endpoint, bucket) == {row.file.name: len(content)}
    assert row.read_bytes() == content
    assert hashlib.sha256(content).hexdigest() == row.sha256

    # The same upload sent again: the same job, one object.
    again = services.import_upload(
        by=people.leader_a,
        office=people.office_a,
        kind="persons",
        file_name="passwd.csv",
        content=content,
        client_id=client_id,
    )
    assert again.pk == job.pk
    assert list(bucket_keys(endpoint, bucket)) == [row.file.name]

    # Backups and the store migration list it, with the hash recorded at upload.
    assert ("registry.ImportJob.file", row.file.name, row.sha256) in set(stored_files())

    tasks.import_check.call(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED
    assert job.total_rows == 2
    job = confirm(people.leader_a, job)
    assert job.status == ImportJob.Status.APPLIED
    assert job.created_count == 2
    assert ForeignNational.objects.filter(full_name="JOHN SMITH").exists()


def test_a_job_uploaded_before_the_move_imports_from_its_row(people):
    content = csv_bytes(PERSON_HEADER, ROWS[:1])
    job = ImportJob.objects.create(
        office=people.office_a,
        kind="persons",
        file_name="old.csv",
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=people.leader_a,
    )
    assert not job.file
    tasks.import_check.call(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED
    assert job.total_rows == 1
    job = confirm(people.leader_a, job)
    assert job.created_count == 1
