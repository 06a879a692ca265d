"""The SOP library: versions supersede, history stays, required ones are read again, search."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from silahap.guidance import completion
from silahap.guidance.models import Sop, SopVersion
from silahap.guidance.services import library
from silahap.guidance.tests.helpers import tiny_pdf

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 1)


def make_sop(people, **values):
    values.setdefault("title", "Pengawasan lapangan")
    values.setdefault("category", "field")
    values.setdefault("number", "1")
    values.setdefault("effective_date", DAY)
    values.setdefault("data", tiny_pdf("Surat perintah wajib dibawa"))
    values.setdefault("client_id", uuid.uuid4())
    return library.sop_create(by=values.pop("by", people.leader_a), **values)


def test_a_new_version_supersedes_and_the_old_stays_readable(people):
    sop = make_sop(people)
    second = library.sop_version_publish(
        by=people.head_a,
        sop=sop,
        number="2",
        effective_date=DAY,
        changes="Pasal 30.",
        data=tiny_pdf("Versi dua"),
    )
    versions = list(SopVersion.objects.filter(sop=sop).order_by("number"))
    assert [(v.number, v.is_current) for v in versions] == [("1", False), ("2", True)]
    assert second.sha256 != versions[0].sha256
    assert len(second.sha256) == 64
    assert second.published_by == people.head_a


def test_a_required_sops_new_version_must_be_read_again(people):
    sop = make_sop(people, required_roles=["officer"])
    library.sop_acknowledge(by=people.officer_a, version=sop.versions.get())
    assert [cell.done_at is not None for _, cell in completion.for_officer(people.officer_a)] == [
        True
    ]
    library.sop_version_publish(
        by=people.leader_a,
        sop=sop,
        number="2",
        effective_date=DAY,
        changes="Baru.",
        data=tiny_pdf("Versi dua"),
    )
    assert [cell.done_at for _, cell in completion.for_officer(people.officer_a)] == [None]


def test_an_old_version_cannot_be_acknowledged(people):
    sop = make_sop(people)
    first = sop.versions.get()
    library.sop_version_publish(
        by=people.leader_a,
        sop=sop,
        number="2",
        effective_date=DAY,
        changes="Baru.",
        data=tiny_pdf(),
    )
    first.refresh_from_db()
    with pytest.raises(ValidationError):
        library.sop_acknowledge(by=people.officer_a, version=first)


def test_only_a_pdf_is_published_and_nothing_is_half_saved(people):
    with pytest.raises(ValidationError) as refused:
        make_sop(people, data=b"PK\x03\x04 not a pdf")
    assert "file" in refused.value.message_dict
    assert not Sop.objects.exists()


def test_an_officer_does_not_publish(people):
    with pytest.raises(PermissionDenied):
        make_sop(people, by=people.officer_a)


def test_search_finds_words_of_the_text(client, people):
    make_sop(people, title="Timpora", category="timpora", data=tiny_pdf("Rapat koordinasi"))
    make_sop(people, title="TAK", category="tak", data=tiny_pdf("Deportasi"))
    client.force_login(people.officer_a)
    page = client.get(reverse("guidance:sop_list"), {"q": "koordinasi"}).content.decode()
    assert "Timpora" in page
    assert "Deportasi" not in page
    assert ">TAK<" not in page


@pytest.mark.parametrize("size", [1, 5])
def test_the_library_costs_the_same_at_any_size(
    client, people, size, django_assert_max_num_queries
):
    for index in range(size):
        make_sop(people, title=f"SOP {index}", required_roles=["officer"])
    client.force_login(people.officer_a)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("guidance:sop_list")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("guidance:training")).status_code == 200
