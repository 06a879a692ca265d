"""What reports hands down to the registry (silahap.registry.links), and the registry without it."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.utils import timezone

from silahap.registry import links, queries, warnings
from silahap.registry.models import ForeignNational, Place


def test_reports_provides_who_was_seen_where_the_check_office_and_the_link_sources():
    assert len(links._seen_at) == 1
    assert len(links._check_office) == 1
    assert links.source_kinds() == ["activity", "report"]


def test_a_second_provider_of_the_same_fact_is_a_mistake():
    with pytest.raises(ImproperlyConfigured):
        links.provide_seen_at(lambda places: Q())
    with pytest.raises(ImproperlyConfigured):
        links.provide_source("activity", lambda user, person, pk: True)
    assert links.came_from("nothing", None, None, 1) is False


@pytest.mark.django_db
def test_without_reports_nobody_was_seen_and_the_check_office_stays(people, monkeypatch):
    person = ForeignNational.objects.create(
        full_name="Anna Berg", nationality="SE", last_check_office=people.office_a
    )
    person.permits.create(permit_type="ITK", valid_until=datetime.date(2030, 1, 1))
    monkeypatch.setattr(links, "_seen_at", [])
    monkeypatch.setattr(links, "_check_office", [])
    found = queries.persons_filtered(
        ForeignNational.objects.all(), on=timezone.localdate(), places=Place.objects.all()
    )
    assert not found.exists()
    assert warnings.refresh_warning_columns([person.pk]) == 1
    person.refresh_from_db()
    assert person.permit_valid_until == datetime.date(2030, 1, 1)
    assert person.last_check_office == people.office_a
