"""Correcting a sponsor's record."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from silahap.registry.services import sponsor_create, sponsor_update
from silahap.reports.tests.factories import audit_records

pytestmark = pytest.mark.django_db
NIK = "3671011203800001"


@pytest.fixture
def sponsor(people):
    return sponsor_create(
        by=people.officer_a, kind="individual", name="Budi", identity_number=NIK
    ).sponsor


def test_an_officer_of_another_office_corrects_the_phone_and_address(people, sponsor):
    with audit_records("sponsor.update"):
        updated = sponsor_update(
            by=people.officer_b, sponsor=sponsor, phone=" 0812 1111 2222 ", address="Jl. Merdeka 1"
        )
    assert updated.phone == "0812 1111 2222"
    sponsor.refresh_from_db()
    assert sponsor.address == "Jl. Merdeka 1"


def test_nothing_changed_writes_nothing(people, sponsor):
    with audit_records():
        sponsor_update(by=people.officer_a, sponsor=sponsor, name="Budi")


def test_the_nik_of_another_sponsor_is_refused(people, sponsor):
    other = sponsor_create(
        by=people.officer_a, kind="individual", name="Siti", identity_number="5171014506900002"
    ).sponsor
    with pytest.raises(ValidationError) as error:
        sponsor_update(by=people.officer_a, sponsor=other, identity_number=NIK)
    assert "identity_number" in error.value.message_dict


def test_becoming_a_corporation_needs_a_nib(people, sponsor):
    with pytest.raises(ValidationError) as error:
        sponsor_update(by=people.officer_a, sponsor=sponsor, kind="corporation")
    assert "identity_number" in error.value.message_dict


def test_a_partner_may_not_correct_a_sponsor(people, sponsor):
    with pytest.raises(PermissionDenied):
        sponsor_update(by=people.partner, sponsor=sponsor, name="X")


def test_the_form_shows_the_record_and_saves_a_correction(client, people, sponsor):
    client.force_login(people.officer_a)
    url = f"/registry/sponsors/{sponsor.pk}/edit"
    assert 'value="Budi"' in client.get(url).content.decode()
    response = client.post(
        url, {"kind": "individual", "name": "Budi Santoso", "identity_number": NIK}
    )
    assert response.status_code == 302
    sponsor.refresh_from_db()
    assert sponsor.name == "Budi Santoso"


def test_a_refused_correction_answers_422_with_what_was_typed(client, people, sponsor):
    client.force_login(people.officer_a)
    response = client.post(
        f"/registry/sponsors/{sponsor.pk}/edit",
        {"kind": "corporation", "name": "Budi Corp", "identity_number": NIK},
    )
    assert response.status_code == 422
    assert 'value="Budi Corp"' in response.content.decode()


def test_partners_get_404(client, people, sponsor):
    client.force_login(people.partner)
    assert client.get(f"/registry/sponsors/{sponsor.pk}/edit").status_code == 404
