"""Leaders' review screens: the queue, the report page, decisions and comments."""

import datetime
import uuid

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from silahap.registry.models import Regency
from silahap.registry.services import person_create, place_create
from silahap.reports import services
from silahap.reports.models import Comment, DailyReport, ReportDecision, ViolationType

pytestmark = pytest.mark.django_db
WIB = datetime.timezone(datetime.timedelta(hours=7))


def submitted_report(
    officer, day: datetime.date, *, hour: int = 10, submit_hour: int = 17, violations=()
):
    place = place_create(
        by=officer,
        name=f"Pabrik {day:%d%m}",
        kind="factory",
        regency=Regency.objects.get(code="36.03"),
        latitude="-6.200000",
        longitude="106.500000",
    )
    started = datetime.datetime.combine(day, datetime.time(hour), tzinfo=WIB)
    activity = services.activity_create(
        by=officer,
        client_id=uuid.uuid4(),
        kind="field",
        source="independent",
        started_at=started,
        place=place,
        warrant_number="W-9",
        warrant_date=day,
        latitude="-6.2",
        longitude="106.5",
    )
    person = person_create(by=officer, full_name=f"Kim Minjun {day:%d}", nationality="KR").person
    services.check_create(
        by=officer,
        client_id=uuid.uuid4(),
        activity=activity,
        person=person,
        verification_method="permit_qr",
        result="compliant" if not violations else "finding",
    )
    for code in violations:
        services.finding_create(
            by=officer,
            client_id=uuid.uuid4(),
            activity=activity,
            person=person,
            violation_type=ViolationType.objects.get(code=code),
            overstay_days=12 if code.startswith("overstay") else None,
        )
    submitted_at = datetime.datetime.combine(day, datetime.time(submit_hour), tzinfo=WIB)
    return services.report_submit(report=activity.report, by=officer, now=submitted_at)


@pytest.fixture
def week(people):
    today = people.office_a.local_today()
    late = submitted_report(people.officer_a, today - datetime.timedelta(days=3), submit_hour=22)
    on_time = submitted_report(people.officer_a2, today - datetime.timedelta(days=2))
    other_office = submitted_report(people.officer_b, today - datetime.timedelta(days=4))
    return late, on_time, other_office


def test_queue_lists_submitted_reports_of_my_units_oldest_first(
    client, people, week, django_assert_max_num_queries
):
    late, on_time, other_office = week
    client.force_login(people.leader_a)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("reports:review_queue"))
    content = response.content.decode()
    assert content.count('data-testid="queue-report"') == 2
    assert content.index(late.officer.full_name) < content.index(on_time.officer.full_name)
    assert other_office.officer.full_name not in content
    assert content.count("badge late") == 1


def test_queue_cards_show_findings_and_overstays(client, people, django_assert_max_num_queries):
    today = people.office_a.local_today()
    submitted_report(people.officer_a, today - datetime.timedelta(days=1))
    submitted_report(
        people.officer_a2,
        today - datetime.timedelta(days=2),
        violations=("overstay_lt_60", "overstay_gte_60", "unauthorized_work"),
    )
    client.force_login(people.leader_a)
    with django_assert_max_num_queries(8):
        content = client.get(reverse("reports:review_queue")).content.decode()
    assert content.count('data-testid="queue-report"') == 2
    assert content.count('data-testid="queue-findings"') == 1
    assert "3 temuan" in content
    assert "2 overstay" in content


def test_the_office_head_sees_the_section_queue_too(client, people, week):
    client.force_login(people.head_a)
    content = client.get(reverse("reports:review_queue")).content.decode()
    assert content.count('data-testid="queue-report"') == 2


def test_report_page_shows_everything_to_the_leader(
    client, people, week, django_assert_max_num_queries
):
    late, _, _ = week
    client.force_login(people.leader_a)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("reports:report_detail", args=[late.pk]))
    content = response.content.decode()
    assert 'data-testid="decision"' in content
    assert 'data-testid="day-map"' in content
    assert "Kim Minjun" in content
    assert "Pabrik" in content


def test_leader_approves_and_the_report_is_frozen(client, people, week):
    late, _, _ = week
    client.force_login(people.leader_a)
    response = client.post(reverse("reports:report_approve", args=[late.pk]))
    assert response.status_code == 302
    late.refresh_from_db()
    assert late.status == "approved"
    assert late.decided_by == people.leader_a
    assert ReportDecision.objects.get(report=late).outcome == "approved"
    client.force_login(people.officer_a)
    page = client.get(reverse("reports:report_detail", args=[late.pk])).content.decode()
    assert 'data-testid="add-activity"' not in page


def test_return_needs_a_reason_and_keeps_the_form(client, people, week):
    late, _, _ = week
    client.force_login(people.leader_a)
    response = client.post(reverse("reports:report_return", args=[late.pk]), {"reason": "   "})
    assert response.status_code == 422
    late.refresh_from_db()
    assert late.status == "submitted"
    response = client.post(
        reverse("reports:report_return", args=[late.pk]), {"reason": "Foto belum ada."}
    )
    late.refresh_from_db()
    assert late.status == "returned"
    assert late.return_reason == "Foto belum ada."


def test_a_second_leader_is_told_the_report_was_already_decided(client, people, week):
    late, _, _ = week
    services.report_approve(report=late, by=people.head_a)
    client.force_login(people.leader_a)
    response = client.post(reverse("reports:report_approve", args=[late.pk]), follow=True)
    assert "sudah diputuskan" in response.content.decode()
    assert ReportDecision.objects.filter(report=late).count() == 1


def test_nobody_decides_on_their_own_report(client, people):
    report = submitted_report(
        people.leader_a, people.office_a.local_today() - datetime.timedelta(days=1)
    )
    client.force_login(people.leader_a)
    assert client.post(reverse("reports:report_approve", args=[report.pk])).status_code == 403
    report.refresh_from_db()
    assert report.status == "submitted"


def test_comments_are_kept_and_shown_to_author_and_leaders(client, people, week):
    late, _, _ = week
    client.force_login(people.leader_a)
    client.post(
        reverse("reports:comment_create", args=[late.pk]),
        {"client_id": str(uuid.uuid4()), "body": "Tolong cek izin kerja."},
    )
    client.force_login(people.officer_a)
    page = client.get(reverse("reports:report_detail", args=[late.pk])).content.decode()
    assert "Tolong cek izin kerja." in page
    client.force_login(people.analyst)
    response = client.post(
        reverse("reports:comment_create", args=[late.pk]),
        {"client_id": str(uuid.uuid4()), "body": "Analis menulis"},
    )
    assert response.status_code == 403
    assert Comment.objects.count() == 1


def test_changes_between_versions_are_listed(client, people, week):
    late, _, _ = week
    services.report_return(report=late, by=people.leader_a, reason="Lengkapi kesimpulan.")
    activity = late.activities.get()
    with time_machine.travel(timezone.now(), tick=False):
        services.activity_update(by=people.officer_a, activity=activity, conclusion="Sesuai izin.")
        services.report_submit(report=DailyReport.objects.get(pk=late.pk), by=people.officer_a)
    client.force_login(people.leader_a)
    page = client.get(reverse("reports:report_detail", args=[late.pk])).content.decode()
    start = page.index('data-testid="revision-changes"')
    assert "diubah kesimpulan" in page[start:]


def test_a_leader_comments_on_one_activity_and_the_officer_reads_it(client, people, week):
    late, _, _ = week
    activity = late.activities.get()
    client.force_login(people.leader_a)
    response = client.post(
        reverse("reports:comment_create", args=[late.pk]),
        {
            "client_id": str(uuid.uuid4()),
            "activity": activity.pk,
            "body": "Foto tampak depan kurang jelas.",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/activities/{activity.pk}/#comments")
    comment = Comment.objects.get()
    assert comment.activity == activity
    client.force_login(people.officer_a)
    page = client.get(reverse("reports:activity_detail", args=[activity.pk])).content.decode()
    assert 'data-testid="activity-comment"' in page
    assert "Foto tampak depan kurang jelas." in page
