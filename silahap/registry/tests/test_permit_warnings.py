"""Permit warnings per office: the 30-day edge, overstays, which office a person belongs to, and
the page leaders and analysts read."""

import datetime
import uuid

import pytest
import time_machine

from silahap.accounts import services as accounts
from silahap.registry import warnings
from silahap.registry.models import ForeignNational, Regency
from silahap.registry.services import permit_add, person_create, person_update
from silahap.reports import services as reports
from silahap.reports.tests.factories import WIB, at, field_activity, place

pytestmark = pytest.mark.django_db

# A Tuesday with no holiday.
TODAY = datetime.date(2025, 3, 11)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(at(10, day=TODAY, zone=WIB), tick=False):
        yield


def foreigner(people, name, *, valid_until, regency="36.71"):
    person = person_create(
        by=people.officer_a,
        full_name=name,
        nationality="AU",
        document_number=f"P{uuid.uuid4().hex[:7].upper()}",
        permit_type="ITAS",
        permit_issued_on=datetime.date(2024, 1, 1),
        permit_valid_until=valid_until,
    ).person
    if regency:
        person = person_update(
            by=people.officer_a, person=person, regency=Regency.objects.get(code=regency)
        )
    return person


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def checked(person, *, by, hours_ago: int):
    activity = field_activity(
        by=by,
        started_at=at(10, day=TODAY, zone=WIB) - datetime.timedelta(hours=hours_ago),
        place=place(by=by, name=f"Hotel {uuid.uuid4().hex[:6]}"),
    )
    return reports.check_create(
        by=by,
        client_id=uuid.uuid4(),
        activity=activity,
        person=person,
        verification_method="physical_document",
        result="compliant",
    )


def counts(people, office):
    [row] = warnings.office_warnings([office], TODAY)
    return row.expiring, row.overstay


def names(people, office, kind=""):
    return {p.full_name for p in warnings.warned_persons([office], TODAY, kind)}


def test_a_permit_ending_within_30_days_warns_and_one_ending_in_31_does_not(people):
    foreigner(people, "Ends Today", valid_until=days(0))
    foreigner(people, "Ends In Thirty", valid_until=days(30))
    foreigner(people, "Ends In Thirty One", valid_until=days(31))
    assert names(people, people.office_a, warnings.EXPIRING) == {"Ends Today", "Ends In Thirty"}
    assert counts(people, people.office_a) == (2, 0)


def test_a_permit_that_ended_yesterday_with_no_newer_one_is_an_overstay(people):
    foreigner(people, "Ended Yesterday", valid_until=days(-1))
    renewed = foreigner(people, "Renewed In Time", valid_until=days(-10))
    permit_add(
        by=people.officer_a,
        person=renewed,
        permit_type="ITAS",
        issued_on=days(-12),
        valid_until=days(200),
    )
    assert names(people, people.office_a, warnings.OVERSTAY) == {"Ended Yesterday"}
    assert counts(people, people.office_a) == (0, 1)


def test_a_renewal_that_itself_ends_soon_counts_as_expiring_not_overstay(people):
    person = foreigner(people, "Short Renewal", valid_until=days(-40))
    permit_add(
        by=people.officer_a,
        person=person,
        permit_type="ITK",
        issued_on=days(-40),
        valid_until=days(5),
    )
    assert counts(people, people.office_a) == (1, 0)


def test_without_a_check_the_address_regency_decides_the_office(people):
    foreigner(people, "Lives In Denpasar", valid_until=days(-3), regency="51.71")
    foreigner(people, "Lives In Tangerang", valid_until=days(-3), regency="36.71")
    foreigner(people, "Address Unknown", valid_until=days(-3), regency="")
    assert names(people, people.office_a) == {"Lives In Tangerang"}
    assert names(people, people.office_b) == {"Lives In Denpasar"}


def test_the_latest_check_decides_the_office_over_the_address(people):
    seen_in_bali = foreigner(people, "Seen In Bali", valid_until=days(3), regency="36.71")
    checked(seen_in_bali, by=people.officer_a, hours_ago=30)
    checked(seen_in_bali, by=people.officer_b, hours_ago=2)
    back_home = foreigner(people, "Back Home", valid_until=days(3), regency="51.71")
    checked(back_home, by=people.officer_a, hours_ago=1)
    checked(back_home, by=people.officer_b, hours_ago=26)
    assert names(people, people.office_a) == {"Back Home"}
    assert names(people, people.office_b) == {"Seen In Bali"}
    assert counts(people, people.office_b) == (1, 0)


def test_offices_are_those_at_or_below_the_readers_units(people):
    assert list(warnings.offices_for(people.leader_a)) == [people.office_a]
    assert list(warnings.offices_for(people.analyst)) == [people.office_a]
    assert list(warnings.offices_for(people.leader_b)) == [people.office_b]
    assert set(warnings.offices_for(people.analyst_national)) == {people.office_a, people.office_b}
    assert list(warnings.offices_for(people.officer_a)) == []


def test_the_page_lists_the_offices_warnings_in_a_fixed_number_of_queries(
    client, people, django_assert_max_num_queries
):
    for n in range(30):
        foreigner(people, f"Expiring Person {n:02}", valid_until=days(n % 30))
    foreigner(people, "Overstayer", valid_until=days(-70))
    foreigner(people, "In Bali", valid_until=days(-70), regency="51.71")
    client.force_login(people.leader_a)
    client.cookies["silahap_language"] = "en"
    with django_assert_max_num_queries(16):
        response = client.get("/registry/warnings/")
    content = response.content.decode()
    assert response.status_code == 200
    assert f'data-office-id="{people.office_a.pk}" data-expiring="30" data-overstay="1"' in content
    assert content.count('data-testid="warning-person"') == 25
    assert 'data-kind="overstay"' in content  # the longest overstay comes first
    assert "In Bali" not in content
    with django_assert_max_num_queries(16):
        second = client.get("/registry/warnings/?page=2").content.decode()
    assert second.count('data-testid="warning-person"') == 6


def test_the_page_filters_by_kind(client, people):
    foreigner(people, "Expiring Soon", valid_until=days(4))
    foreigner(people, "Long Gone", valid_until=days(-90))
    client.force_login(people.analyst)
    content = client.get("/registry/warnings/?kind=overstay").content.decode()
    assert "Long Gone" in content
    assert "Expiring Soon" not in content


def test_another_offices_leader_does_not_see_our_warnings(client, people):
    foreigner(people, "Tangerang Overstayer", valid_until=days(-5))
    client.force_login(people.leader_b)
    content = client.get("/registry/warnings/").content.decode()
    assert "Tangerang Overstayer" not in content
    assert f'data-office-id="{people.office_a.pk}"' not in content
    forged = client.get(f"/registry/warnings/?office={people.office_a.pk}").content.decode()
    assert "Tangerang Overstayer" not in forged


def test_officers_partners_and_administrators_may_not_open_the_page(client, people):
    for user in (people.officer_a, people.partner, people.office_admin):
        client.force_login(user)
        assert client.get("/registry/warnings/").status_code == 403


def test_when_work_areas_overlap_the_older_office_keeps_the_address(people):

    newer = accounts.orgunit_create(
        by=None,
        kind="immigration_office",
        code="KI-TNG2",
        name="Kanim Tangerang Dua",
        parent=people.kanwil_banten,
        office_class="II",
        timezone_name="Asia/Jakarta",
        report_deadline=datetime.time(20, 0),
        work_area_codes=["36.71"],
    )
    foreigner(people, "Shared Regency", valid_until=days(-1))
    assert names(people, people.office_a) == {"Shared Regency"}
    assert names(people, newer) == set()


def test_a_merged_record_is_not_counted_twice(people):

    kept = foreigner(people, "Kept Record", valid_until=days(-1))
    duplicate = foreigner(people, "Duplicate Record", valid_until=days(-1))
    ForeignNational.objects.filter(pk=duplicate.pk).update(merged_into=kept)
    assert counts(people, people.office_a) == (0, 1)
