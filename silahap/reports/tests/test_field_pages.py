"""The officer's field screens: what they show, what they refuse, and what they cost in queries."""

import datetime
import uuid

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from silahap.audit.models import AuditEvent
from silahap.events.models import BusinessEvent
from silahap.registry.models import Regency
from silahap.registry.services import person_create, place_create
from silahap.reports import services
from silahap.reports.models import Activity, DailyReport, ViolationType

pytestmark = pytest.mark.django_db


def add_activity(officer, *, place=None, minutes_ago=30, **extra):
    return services.activity_create(
        by=officer,
        client_id=uuid.uuid4(),
        kind="field",
        source="independent",
        started_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
        place=place,
        warrant_number="W-1",
        warrant_date=timezone.localdate(),
        **extra,
    )


@pytest.fixture
def hotel(people):
    return place_create(
        by=people.officer_a,
        name="Hotel Aryaduta",
        kind="hotel",
        regency=Regency.objects.get(code="36.71"),
        latitude="-6.178300",
        longitude="106.631900",
    )


def test_the_today_page_writes_nothing_the_first_activity_opens_the_day_once(client, people, hotel):
    client.force_login(people.officer_a)
    audit_before, spine_before = AuditEvent.objects.count(), BusinessEvent.objects.count()
    for url in ("/", reverse("reports:today")):
        response = client.get(url)
        assert response.status_code == 200
        assert b'data-testid="add-activity"' in response.content
        assert b'data-testid="no-activities"' in response.content
    # A GET writes no business data (#14 item 4): no report, no audit or spine event.
    assert not DailyReport.objects.exists()
    assert (AuditEvent.objects.count(), BusinessEvent.objects.count()) == (
        audit_before,
        spine_before,
    )
    now = timezone.localtime()
    form = {
        "client_id": str(uuid.uuid4()),
        "kind": "field",
        "source": "independent",
        "classification": "open",
        "warrant_number": "SP-1/2026",
        "warrant_date": now.date().isoformat(),
        "started_at": now.strftime("%Y-%m-%dT%H:%M"),
        "place": hotel.pk,
        "place_mode": "existing",
    }
    url = reverse("reports:activity_create")
    first, second = client.post(url, form), client.post(url, form)  # a double tap
    assert first.status_code == second.status_code == 302
    report = DailyReport.objects.get(officer=people.officer_a)
    assert (report.status, report.report_date) == ("draft", people.office_a.local_today())
    assert report.activities.count() == 1
    assert BusinessEvent.objects.filter(type="report.opened").count() == 1
    assert client.get("/").content.count(b'data-testid="activity-card"') == 1


def test_today_page_costs_a_fixed_number_of_queries(
    client, people, hotel, django_assert_max_num_queries
):
    client.force_login(people.officer_a)
    for minutes in (90, 60, 30):
        add_activity(people.officer_a, place=hotel, minutes_ago=minutes)
    # Fixed cost: session, user, memberships, report, its parts, tasks and the bell.
    with django_assert_max_num_queries(18):
        response = client.get(reverse("reports:today"))
    assert response.content.count(b'data-testid="activity-card"') == 3


def test_activity_form_costs_a_fixed_number_of_queries(
    client, people, django_assert_max_num_queries
):
    client.force_login(people.officer_a)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("reports:activity_create"))
    assert response.status_code == 200
    assert b'name="client_id"' in response.content


def test_my_reports_costs_a_fixed_number_of_queries(
    client, people, hotel, django_assert_max_num_queries
):
    client.force_login(people.officer_a)
    today = people.office_a.local_today()
    for days_ago in range(1, 8):
        services.report_open(
            officer=people.officer_a, day=today - datetime.timedelta(days=days_ago)
        )
    with django_assert_max_num_queries(8):
        response = client.get(reverse("reports:my_reports") + f"?month={today:%Y-%m}")
    shown = response.content.count(b'data-testid="my-report"')
    assert (
        shown
        == DailyReport.objects.filter(
            officer=people.officer_a, report_date__month=today.month, report_date__year=today.year
        ).count()
    )


def test_activity_form_keeps_what_was_typed_when_invalid(client, people):
    client.force_login(people.officer_a)
    response = client.post(
        reverse("reports:activity_create"),
        {
            "client_id": str(uuid.uuid4()),
            "kind": "field",
            "source": "independent",
            "classification": "open",
            "started_at": "2026-11-27T10:00",
            "ended_at": "2026-11-27T09:00",
            "description": "Tamu hotel diperiksa",
            "place_mode": "new",
            "new_place-name": "Hotel Baru",
        },
    )
    assert response.status_code == 422
    content = response.content.decode()
    assert "Tamu hotel diperiksa" in content
    assert 'value="Hotel Baru"' in content
    assert "Waktu selesai tidak boleh sebelum waktu mulai." in content
    assert Activity.objects.count() == 0


def test_submit_problems_are_shown_beside_the_activity(client, people):
    client.force_login(people.officer_a)
    activity = services.activity_create(
        by=people.officer_a,
        client_id=uuid.uuid4(),
        kind="field",
        source="patrol",
        started_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    response = client.post(
        reverse("reports:report_submit", args=[activity.report_id]),
        {"client_id": str(uuid.uuid4())},
    )
    assert response.status_code == 422
    content = response.content.decode()
    assert "Kegiatan lapangan harus memiliki tempat." in content
    assert content.count('data-testid="activity-problem"') == 2
    assert DailyReport.objects.get().status == "draft"


def test_submit_twice_with_the_same_id_submits_once(client, people, hotel):
    client.force_login(people.officer_a)
    activity = add_activity(people.officer_a, place=hotel)
    url = reverse("reports:report_submit", args=[activity.report_id])
    client_id = str(uuid.uuid4())
    first = client.post(url, {"client_id": client_id})
    second = client.post(url, {"client_id": client_id})
    assert first.status_code == second.status_code == 302
    report = DailyReport.objects.get()
    assert report.status == "submitted"
    assert report.revisions.count() == 1


def test_a_returned_report_shows_the_reason_and_can_be_resubmitted(client, people, hotel):
    activity = add_activity(people.officer_a, place=hotel)
    report = services.report_submit(report=activity.report, by=people.officer_a)
    services.report_return(
        report=report, by=people.leader_a, reason="Lengkapi kesimpulan kegiatan."
    )
    client.force_login(people.officer_a)
    response = client.get(reverse("reports:report_detail", args=[report.pk]))
    assert "Lengkapi kesimpulan kegiatan." in response.content.decode()
    services.activity_update(by=people.officer_a, activity=activity, conclusion="Tamu sesuai izin.")
    client.post(
        reverse("reports:report_submit", args=[report.pk]), {"client_id": str(uuid.uuid4())}
    )
    report.refresh_from_db()
    assert report.status == "submitted"
    assert report.revisions.count() == 2
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert 'data-testid="revisions"' in page
    assert "(2)" in page


def test_a_first_submit_shows_no_list_of_versions_yet(client, people, hotel):
    activity = add_activity(people.officer_a, place=hotel)
    report = services.report_submit(report=activity.report, by=people.officer_a)
    client.force_login(people.officer_a)
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert 'data-testid="revisions"' not in page


def test_check_with_an_expired_permit_proposes_an_overstay_finding(client, people, hotel):
    ViolationType.objects.get_or_create(
        code="overstay_lt_60", defaults={"name": "Overstay < 60", "article": "Pasal 78"}
    )
    activity = add_activity(people.officer_a, place=hotel)
    expired = activity.report.report_date - datetime.timedelta(days=12)
    person = person_create(
        by=people.officer_a,
        full_name="Wei Zhang",
        nationality="CN",
        document_number="E12345678",
        permit_type="ITAS",
        permit_valid_until=expired,
    ).person
    client.force_login(people.officer_a)
    response = client.post(
        reverse("reports:check_create", args=[activity.pk]),
        {
            "client_id": str(uuid.uuid4()),
            "person": person.pk,
            "verification_method": "physical_document",
            "matches_permit": "no",
            "result": "finding",
        },
    )
    assert response.status_code == 302
    assert "propose=" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="overstay-proposal"' in page
    assert 'value="12"' in page


def test_the_proposed_finding_is_recorded_with_the_check_once_on_a_double_submit(
    client, people, hotel
):
    ViolationType.objects.get_or_create(
        code="overstay_lt_60", defaults={"name": "Overstay < 60", "article": "Pasal 78"}
    )
    activity = add_activity(people.officer_a, place=hotel)
    expired = activity.report.report_date - datetime.timedelta(days=9)
    client.force_login(people.officer_a)
    page = client.get(activity.get_absolute_url()).content.decode()
    # Visible and ticked on the check form, with the MRZ box, before any tap.
    assert 'name="record_proposed_finding" id="id_record_proposed_finding" checked' in page
    assert 'id="mrz"' in page.split('id="person-new"')[0]
    form = {
        "client_id": str(uuid.uuid4()),
        "person_mode": "new",
        "person-full_name": "Li Na",
        "person-sex": "F",
        "person-nationality": "CN",
        "person-document_number": "E55555555",
        "person-document_country": "CN",
        "person-document_kind": "passport",
        "person-permit_type": "ITAS",
        "person-permit_valid_until": expired.isoformat(),
        "verification_method": "physical_document",
        "matches_permit": "no",
        "result": "finding",
        "record_proposed_finding": "on",
    }
    url = reverse("reports:check_create", args=[activity.pk])
    first, second = client.post(url, form), client.post(url, form)
    assert first.status_code == second.status_code == 302
    assert first["Location"].endswith("#photos")
    finding = activity.findings.get()
    assert (finding.violation_type.code, finding.overstay_days) == ("overstay_lt_60", 9)
    assert finding.check_record == activity.checks.get()
    # Not ticked: the check alone, and the finding is proposed on the next page as before.
    form.update(
        {"client_id": str(uuid.uuid4()), "person-document_number": "E66666666"},
        record_proposed_finding="",
    )
    form["person-full_name"] = "Wang Fang"
    response = client.post(url, form)
    assert "propose=" in response["Location"]
    assert activity.findings.count() == 1


def test_closed_activity_details_are_hidden_from_analysts(client, people, hotel):
    activity = add_activity(people.officer_a, place=hotel, classification="closed")
    client.force_login(people.analyst)
    response = client.get(reverse("reports:activity_detail", args=[activity.pk]))
    assert response.status_code == 200
    assert b'data-testid="closed-activity"' in response.content
    assert b"Hotel Aryaduta" not in response.content
    client.force_login(people.leader_a)
    response = client.get(reverse("reports:activity_detail", args=[activity.pk]))
    assert b"Hotel Aryaduta" in response.content


def test_person_lookup_answers_json_best_match_first(client, people):
    person_create(
        by=people.officer_a, full_name="Zhang Wei", nationality="CN", document_number="E1"
    )
    person_create(
        by=people.officer_a, full_name="Zhang Weiming", nationality="CN", document_number="E2"
    )
    client.force_login(people.officer_a)
    response = client.get(reverse("registry:person_lookup"), {"q": "wei zhang", "limit": 5})
    data = response.json()
    assert [row["full_name"] for row in data][0] == "Zhang Wei"
    assert set(data[0]) == {
        "id",
        "full_name",
        "nationality",
        "birth_date",
        "document_number",
        "permit_type",
        "permit_expiry",
    }
    short = client.get(reverse("registry:person_lookup"), {"q": "we"})
    assert short.status_code == 400


def test_mrz_errors_name_the_field_in_the_users_language(client, people):
    client.force_login(people.officer_a)
    bad = (
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C46UTO7408122F1204159ZE184226B<<<<<10"
    )
    response = client.post(reverse("registry:mrz_parse"), {"mrz": bad})
    assert response.status_code == 400
    data = response.json()
    assert data["field"] == "document_number"
    assert data["error"] == "Nomor dokumen tidak cocok dengan digit periksanya."


def test_places_near_a_point_come_nearest_first(client, people, hotel):
    place_create(
        by=people.officer_a,
        name="Apartemen Jauh",
        kind="apartment",
        regency=Regency.objects.get(code="36.71"),
        latitude="-6.190000",
        longitude="106.640000",
    )
    client.force_login(people.officer_a)
    response = client.get(reverse("registry:place_options"), {"lat": "-6.1784", "lng": "106.6320"})
    content = response.content.decode()
    assert content.index("Hotel Aryaduta") < content.index("Apartemen Jauh")


def test_an_activity_without_a_warrant_ends_its_line_without_a_dangling_dot(client, people):
    activity = services.activity_create(
        by=people.officer_a,
        client_id=uuid.uuid4(),
        kind="administrative",
        source="sponsor_check",
        started_at=timezone.now() - datetime.timedelta(hours=1),
    )
    client.force_login(people.officer_a)
    url = reverse("reports:report_detail", args=[activity.report.pk])
    page = " ".join(client.get(url).content.decode().split())
    assert "· </p>" not in page


def test_every_page_names_its_icon_so_no_browser_asks_for_a_missing_favicon(client, people):
    client.force_login(people.officer_a)
    page = client.get(reverse("reports:today")).content.decode()
    assert 'rel="icon"' in page
    assert finders.find("img/favicon.svg") is not None


def test_what_is_missing_is_told_before_the_officer_tries_and_submit_is_at_hand(client, people):
    client.force_login(people.officer_a)
    activity = services.activity_create(
        by=people.officer_a,
        client_id=uuid.uuid4(),
        kind="field",
        source="patrol",
        started_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    page = client.get(activity.get_absolute_url()).content.decode()
    assert 'data-testid="missing-before-submit"' in page
    assert "Kegiatan lapangan harus memiliki tempat." in page
    assert reverse("reports:report_submit", args=[activity.report_id]) in page
    today = client.get(reverse("reports:today")).content.decode()
    assert today.count('data-testid="activity-problem"') == 2
    assert DailyReport.objects.get().status == "draft"


def test_a_new_places_name_without_a_listed_place_makes_the_place_without_the_script(
    client, people
):
    # The script switches to "new place" as the name is typed; without it the form still says
    # place_mode=existing, and a name with no listed place is taken as a new place.
    client.force_login(people.officer_a)
    now = timezone.localtime()
    response = client.post(
        reverse("reports:activity_create"),
        {
            "client_id": str(uuid.uuid4()),
            "kind": "field",
            "source": "independent",
            "classification": "open",
            "warrant_number": "SP-1/2026",
            "warrant_date": now.date().isoformat(),
            "started_at": now.strftime("%Y-%m-%dT%H:%M"),
            "place_mode": "existing",
            "place": "",
            "new_place-name": "Wisma Cikokol",
            "new_place-kind": "hotel",
            "new_place-province": "36",
            "new_place-regency": "36.71",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert (activity.place.name, activity.place.regency_id) == ("Wisma Cikokol", "36.71")
