"""Registering a sponsor (penjamin): an individual with a NIK, a corporation with a NIB."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from silahap.registry.models import Regency, Sponsor
from silahap.registry.services import sponsor_create
from silahap.reports.tests.factories import audit_records

pytestmark = pytest.mark.django_db
NIK = "3671011203800001"
NIB = "9120001234567"


def test_an_officer_registers_an_individual_with_a_nik_copied_with_dots(people):
    with audit_records("sponsor.create"):
        result = sponsor_create(
            by=people.officer_a,
            kind="individual",
            name="  Budi   Santoso ",
            identity_number="3671.0112.0380.0001",
            regency=Regency.objects.get(code="36.71"),
        )
    assert result.created
    assert result.sponsor.name == "Budi Santoso"
    assert result.sponsor.identity_number == NIK


def test_a_nik_already_registered_leads_to_its_sponsor_and_writes_nothing(people):
    first = sponsor_create(by=people.officer_a, kind="individual", name="Budi", identity_number=NIK)
    with audit_records():
        again = sponsor_create(
            by=people.officer_b, kind="individual", name="Budi S.", identity_number=NIK
        )
    assert not again.created
    assert again.sponsor == first.sponsor
    assert Sponsor.objects.count() == 1


@pytest.mark.parametrize(
    ("kind", "number"),
    [
        ("individual", NIB),
        ("corporation", NIK),
        ("individual", ""),
        ("corporation", "91200A1234567"),
    ],
)
def test_a_number_of_the_wrong_length_or_not_digits_is_refused(people, kind, number):
    with pytest.raises(ValidationError) as error:
        sponsor_create(by=people.officer_a, kind=kind, name="PT Maju", identity_number=number)
    assert "identity_number" in error.value.message_dict
    assert not Sponsor.objects.exists()


def test_a_partner_may_not_register_a_sponsor(people):
    with pytest.raises(PermissionDenied):
        sponsor_create(by=people.partner, kind="corporation", name="PT Maju", identity_number=NIB)


def test_the_form_keeps_what_was_typed_and_answers_422(client, people):
    client.force_login(people.officer_a)
    client.cookies["silahap_language"] = "en"
    response = client.post(
        "/registry/sponsors/new",
        {"kind": "individual", "name": "Siti Aminah", "identity_number": "12345"},
    )
    content = response.content.decode()
    assert response.status_code == 422
    assert 'value="Siti Aminah"' in content
    assert "NIK has 16 digits" in content


def test_the_form_registers_and_a_double_submit_opens_the_same_sponsor(client, people):
    client.force_login(people.officer_a)
    data = {"kind": "corporation", "name": "PT Maju Jaya", "identity_number": NIB}
    first = client.post("/registry/sponsors/new", data)
    second = client.post("/registry/sponsors/new", data)
    sponsor = Sponsor.objects.get()
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == f"/registry/sponsors/{sponsor.pk}/"


def test_partners_are_refused_the_form(client, people):
    client.force_login(people.partner)
    assert client.get("/registry/sponsors/new").status_code == 403
