"""A sponsor's page: the foreigners it guarantees and, for an individual, the limit."""

import datetime
import uuid

import pytest
import time_machine

from silahap.audit.models import AuditEvent
from silahap.registry.services import person_create, sponsor_create
from silahap.reports.tests.factories import WIB, at

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 3, 11)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(at(10, day=TODAY, zone=WIB), tick=False):
        yield


@pytest.fixture
def individual(people):
    return sponsor_create(
        by=people.officer_a, kind="individual", name="Budi", identity_number="3671011203800001"
    ).sponsor


def guaranteed(people, sponsor, *, valid_until=TODAY + datetime.timedelta(days=200), name=None):
    return person_create(
        by=people.officer_a,
        full_name=name or f"Guest {uuid.uuid4().hex[:6]}",
        nationality="JP",
        document_number=f"TK{uuid.uuid4().hex[:7].upper()}",
        permit_type="ITAS",
        permit_valid_until=valid_until,
        sponsor=sponsor,
    ).person


def page(client, people, sponsor, query=""):
    client.force_login(people.officer_b)
    client.cookies["silahap_language"] = "en"
    response = client.get(f"/registry/sponsors/{sponsor.pk}/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_an_individual_at_the_limit_shows_a_warning(client, people, individual, settings):
    settings.SILAHAP_SPONSOR_INDIVIDUAL_LIMIT = 2
    guaranteed(people, individual, name="Kenji Sato")
    guaranteed(people, individual)
    content = page(client, people, individual)
    assert 'data-testid="sponsor-limit-warning"' in content
    assert 'data-count="2"' in content
    assert "Kenji Sato" in content


def test_below_the_limit_there_is_no_warning_and_ended_guarantees_do_not_count(
    client, people, individual, settings
):
    settings.SILAHAP_SPONSOR_INDIVIDUAL_LIMIT = 2
    guaranteed(people, individual)
    guaranteed(people, individual, valid_until=TODAY - datetime.timedelta(days=1), name="Gone")
    content = page(client, people, individual)
    assert 'data-testid="sponsor-limit-warning"' not in content
    assert 'data-testid="sponsor-current" data-count="1"' in content
    assert 'data-current="0"' in content  # the ended guarantee is still listed
    assert "Gone" in content


def test_a_corporation_has_no_limit(client, people, settings):
    settings.SILAHAP_SPONSOR_INDIVIDUAL_LIMIT = 1
    company = sponsor_create(
        by=people.officer_a, kind="corporation", name="PT Maju", identity_number="9120001234567"
    ).sponsor
    guaranteed(people, company)
    guaranteed(people, company)
    assert 'data-testid="sponsor-limit-warning"' not in page(client, people, company)


def test_the_page_lists_in_pages_in_a_fixed_number_of_queries(
    client, people, individual, django_assert_max_num_queries
):
    for _ in range(23):
        guaranteed(people, individual)
    client.force_login(people.leader_a)
    with django_assert_max_num_queries(14):
        first = client.get(f"/registry/sponsors/{individual.pk}/").content.decode()
    assert first.count('data-testid="sponsor-person"') == 20
    with django_assert_max_num_queries(14):
        second = client.get(f"/registry/sponsors/{individual.pk}/?page=2").content.decode()
    assert second.count('data-testid="sponsor-person"') == 3


def test_opening_the_page_is_audited(client, people, individual):

    page(client, people, individual)
    assert AuditEvent.objects.filter(
        action="sponsor.view", object_id=str(individual.pk), actor=people.officer_b
    ).exists()


def test_partners_get_404(client, people, individual):
    client.force_login(people.partner)
    assert client.get(f"/registry/sponsors/{individual.pk}/").status_code == 404
