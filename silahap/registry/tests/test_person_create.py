"""Registering a person: validation beside the fields, a known document leads to its person,
one audit event per write; and the rules the service keeps whoever calls it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from silahap.audit.models import AuditEvent
from silahap.registry.models import ForeignNational, TravelDocument, VisaIndex
from silahap.registry.services import person_create

pytestmark = pytest.mark.django_db

URL = "registry:person_create"


def post(client, **fields):
    data = {
        "full_name": "Anna Maria Eriksson",
        "sex": "F",
        "birth_date": "1974-08-12",
        "nationality": "SE",
        "document_kind": "passport",
        "document_number": "l898902 c3",
        "document_country": "",
        "permit_type": "ITAS",
        "permit_issued_on": "2025-01-10",
        "permit_valid_until": "2026-01-09",
    }
    data.update(fields)
    return client.post(reverse(URL), data)


def field_errors(response) -> dict[str, list[str]]:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


def test_a_person_is_registered_and_the_record_opened(client, people):
    client.force_login(people.officer_a)
    response = post(client)
    person = ForeignNational.objects.get(full_name="Anna Maria Eriksson")
    assert response.status_code == 302
    assert response["Location"] == person.get_absolute_url() + "?purpose=data_correction"
    assert person.normalized_name == "anna eriksson maria"
    [document] = person.documents.all()
    assert (document.number, document.issuing_country.code) == ("L898902C3", "SE")
    [permit] = person.permits.all()
    assert permit.issued_on == datetime.date(2025, 1, 10)
    assert AuditEvent.objects.filter(action="person.create", object_id=str(person.pk)).count() == 1


def test_a_known_document_leads_to_its_person(client, people):
    existing = person_create(
        by=people.officer_b,
        full_name="Anna Eriksson",
        nationality="SE",
        document_number="L898902C3",
    ).person
    client.force_login(people.officer_a)
    creates = AuditEvent.objects.filter(action="person.create").count()
    response = post(client, full_name="Ana Erikson")
    assert response.status_code == 302
    assert response["Location"] == existing.get_absolute_url()
    assert ForeignNational.objects.count() == 1
    assert AuditEvent.objects.filter(action="person.create").count() == creates
    page = client.get(response["Location"])
    assert b'data-testid="purpose-form"' in page.content  # the purpose of opening it is asked


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"full_name": "   "}, "full_name"),
        ({"full_name": "12345"}, "full_name"),
        ({"nationality": ""}, "nationality"),
        ({"nationality": "QQ"}, "nationality"),
        ({"birth_date": "2999-01-01"}, "birth_date"),
        ({"birth_date": "1899-12-31"}, "birth_date"),
        ({"document_number": "E1234567890"}, "document_number"),  # a passport has at most 9
        ({"document_number": "É123-45!"}, "document_number"),
        (
            {"permit_issued_on": "2025-06-01", "permit_valid_until": "2025-05-01"},
            "permit_valid_until",
        ),
        (
            {"permit_issued_on": "2999-06-01", "permit_valid_until": "2999-07-01"},
            "permit_issued_on",
        ),
        ({"permit_type": "", "permit_valid_until": "2026-01-01"}, "permit_type"),
    ],
)
def test_implausible_data_is_refused_beside_its_field(client, people, fields, field):
    client.force_login(people.officer_a)
    response = post(client, **fields)
    assert response.status_code == 422
    assert field in field_errors(response), field_errors(response)
    assert b'aria-invalid="true"' in response.content  # shown beside the field
    assert not ForeignNational.objects.exists()


def test_an_identity_card_number_may_be_longer_than_a_passports(client, people):
    client.force_login(people.officer_a)
    response = post(client, document_kind="id_card", document_number="IDSWE1234567890")
    assert response.status_code == 302
    assert TravelDocument.objects.get().number == "IDSWE1234567890"


def test_a_visa_index_of_another_permit_type_is_refused(client, people):
    visa = VisaIndex.objects.filter(permit_type="ITK").first()
    client.force_login(people.officer_a)
    response = post(client, permit_type="ITAS", visa_index=visa.pk)
    assert "visa_index" in field_errors(response)


def test_the_form_starts_with_the_name_searched_for(client, people):
    client.force_login(people.officer_a)
    response = client.get(reverse(URL), {"full_name": "Zhang Wei"})
    assert response.context["form"]["full_name"].value() == "Zhang Wei"


def test_partners_may_not_register(client, people):
    client.force_login(people.partner)
    assert post(client).status_code == 403


# The service's own rules, for callers without the form (the check screen, imports).


def test_service_refuses_a_future_birth_date(people):
    with pytest.raises(ValidationError) as error:
        person_create(
            by=people.officer_a,
            full_name="Li Na",
            nationality="CN",
            birth_date=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert "birth_date" in error.value.error_dict


def test_service_refuses_a_permit_ending_before_its_issue(people):
    with pytest.raises(ValidationError) as error:
        person_create(
            by=people.officer_a,
            full_name="Li Na",
            nationality="CN",
            permit_type="ITAS",
            permit_issued_on=datetime.date(2025, 5, 1),
            permit_valid_until=datetime.date(2025, 4, 1),
        )
    assert "permit_valid_until" in error.value.error_dict
    assert not ForeignNational.objects.exists()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("id", "terbaca dengan keyakinan %(percent)s%%"),
        ("en", "read with %(percent)s%% certainty"),
    ],
)
def test_the_document_photos_certainty_line_speaks_the_users_language(
    client, people, settings, language, expected
):
    """The message the photo reader fills with its certainty (static/js/mrz_photo.js) is a
    {% translate %} literal with a percent sign: the catalogue must hold it as Django looks it
    up, its % doubled; it did not, and the Indonesian page said it in English."""
    client.force_login(people.officer_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(reverse(URL), headers={"accept-language": language}).content.decode()
    assert f'data-msg-confidence="{expected}"' in html
