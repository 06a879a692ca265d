"""The sponsor list: by name, NIK / NIB, kind and regency, in pages."""

import pytest

from silahap.registry.models import Regency
from silahap.registry.services import sponsor_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def sponsors(people):
    made = {}
    for n in range(25):
        made[n] = sponsor_create(
            by=people.officer_a,
            kind="individual",
            name=f"Warga {n:02}",
            identity_number=f"36710112038{n:05}",
            regency=Regency.objects.get(code="36.71" if n % 2 else "51.71"),
        ).sponsor
    made["pt"] = sponsor_create(
        by=people.officer_a,
        kind="corporation",
        name="PT Bali Indah",
        identity_number="9120001234567",
    ).sponsor
    return made


def results(client, people, query=""):
    client.force_login(people.officer_b)
    response = client.get(f"/registry/sponsors/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_comes_in_pages_in_a_fixed_number_of_queries(
    client, people, sponsors, django_assert_max_num_queries
):
    client.force_login(people.officer_b)
    with django_assert_max_num_queries(10):
        content = client.get("/registry/sponsors/").content.decode()
    assert content.count('data-testid="sponsor-result"') == 20
    assert 'data-count="26"' in content


def test_a_nik_typed_with_spaces_finds_its_sponsor(client, people, sponsors):
    content = results(client, people, "?q=3671+0112+0380+0007")
    assert f'data-sponsor-id="{sponsors[7].pk}"' in content
    assert content.count('data-testid="sponsor-result"') == 1


def test_filters_by_name_kind_and_regency(client, people, sponsors):
    assert results(client, people, "?q=bali").count('data-testid="sponsor-result"') == 1
    assert results(client, people, "?kind=corporation").count('data-testid="sponsor-result"') == 1
    by_regency = results(client, people, "?regency=51.71&kind=individual")
    assert 'data-count="13"' in by_regency


def test_partners_are_refused(client, people):
    client.force_login(people.partner)
    assert client.get("/registry/sponsors/").status_code == 403
