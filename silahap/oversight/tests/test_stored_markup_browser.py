"""Markup typed into any free-text field stays text on every page and map that shows it.

One data set, stored through the services with hostile values in every field a person can fill
(and in the names of the users who act), then one browser page walks every screen that shows them,
hovering the map markers so their tooltips are drawn. The context bypasses the CSP (for Playwright's
evaluate): an injected handler would run and set window.__xss, so the check sees both an element
created from the data and any script it carried.
"""

import csv
import datetime
import io
import uuid

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from silahap.accounts import services as accounts
from silahap.oversight.services import incidents
from silahap.registry import services as registry
from silahap.registry.models import Regency
from silahap.reports import services as reports
from silahap.reports.models import ViolationType
from silahap.supervision import services as supervision
from silahap.testing.personas import PASSWORD, SINCE
from silahap.testing.worker import run_queued

# What this drives is the page in the browser, the same on either database (the services under it
# are tested on both): it runs once, on SQLite (issue 14, a suite half as long).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.one_database("sqlite"),
]

SHORT = '"><img src=x onerror=window.__xss=1>'  # for fields of 60 characters or fewer
MARKUP = SHORT + " <svg onload=window.__xss=1> javascript:window.__xss=1"

INJECTED = """() => {
  const found = document.querySelector(
    'img[src="x"], svg[onload], [onerror], [onload], a[href^="javascript:"], ' +
    'form[action^="javascript:"], iframe[src^="javascript:"]');
  return { element: found ? found.outerHTML : null, ran: window.__xss !== undefined };
}"""


def log_in(page, base_url, username):
    page.context.clear_cookies()
    page.goto(base_url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_selector("[data-testid=home-title]")


def assert_inert(page, where: str) -> None:
    state = page.evaluate(INJECTED)
    assert state == {"element": None, "ran": False}, f"{where}: {state}"


def assert_shows(page, where: str, text: str = MARKUP, selector: str = "main") -> None:
    """The page is not broken: the stored value is there, as text."""
    assert_inert(page, where)
    shown = page.locator(selector).first.inner_text()
    assert text in shown, f"{where}: {text!r} is not shown as text"


def open_page(page, url: str, where: str, text: str = MARKUP, selector: str = "main") -> None:
    response = page.goto(url)
    assert response.status == 200, f"{where}: {response.status}"
    assert_shows(page, where, text, selector)


def hover_each_marker(page, holder: str, where: str, count: int, expected: str = MARKUP) -> None:
    """Hover every marker of a map: each tooltip says the label as plain text."""
    markers = page.locator(f"{holder} .leaflet-marker-icon")
    # Waited for: the board's map adds a polled point after its cluster layer settles.
    expect(markers).to_have_count(count)
    for index in range(count):
        markers.nth(index).hover(force=True)
        tooltip = page.locator(f"{holder} .leaflet-tooltip").last
        tooltip.wait_for()
        assert expected in tooltip.text_content(), f"{where}: tooltip {tooltip.inner_html()!r}"
        assert tooltip.locator("img, svg").count() == 0, f"{where}: {tooltip.inner_html()!r}"
        assert_inert(page, f"{where}, marker {index}")


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 30)).save(buffer, format="JPEG")
    return buffer.getvalue()


def hostile_user(username, unit, role):
    user = accounts.user_create(by=None, username=username, full_name=MARKUP, password=PASSWORD)
    accounts.membership_create(by=None, user=user, unit=unit, role=role, start_date=SINCE)
    return user


def persons_file() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["full_name", "nationality", "document_number", "document_country", "sex"])
    writer.writerow([MARKUP, "NZ", "PC2345678", "NZ", "M"])
    return buffer.getvalue().encode()


def hostile_records(people):
    """Every free-text field, filled through the services by users whose names are markup too."""
    team = accounts.orgunit_create(
        by=None, kind="team", code="KI-TNG-TIM-X", name=MARKUP, parent=people.section_a
    )
    officer = hostile_user("officer_markup", team, "officer")
    leader = hostile_user("leader_markup", people.section_a, "leader")
    regency = Regency.objects.get(code="36.71")
    born = datetime.date(1990, 5, 17)
    sponsor = registry.sponsor_create(
        by=officer,
        kind="individual",
        name=MARKUP,
        identity_number="3671012345678901",
        address=MARKUP,
        regency=regency,
    ).sponsor
    person = registry.person_create(
        by=officer,
        full_name=MARKUP,
        nationality="AU",
        birth_date=born,
        birth_place=MARKUP,
        occupation=MARKUP,
        address=MARKUP,
        document_number="PA1234567",
        permit_type="ITAS",
        permit_number=SHORT,
        permit_valid_until=timezone.localdate() + datetime.timedelta(days=20),
        sponsor=sponsor,
    ).person
    # The same name and birth date under another passport: a pair for the duplicates page.
    registry.person_create(
        by=officer,
        full_name=MARKUP,
        nationality="AU",
        birth_date=born,
        document_number="PA7654321",
    )
    place = registry.place_create(
        by=officer,
        name=MARKUP,
        kind="hotel",
        regency=regency,
        address=MARKUP,
        latitude="-6.178000",
        longitude="106.630000",
    )
    registry.place_create(
        by=people.officer_a,
        name=MARKUP,
        kind="hotel",
        regency=regency,
        latitude="-6.178100",
        longitude="106.630100",
    )
    now = timezone.now()
    activity = reports.activity_create(
        by=officer,
        client_id=uuid.uuid4(),
        kind="field",
        source="independent",
        started_at=now - datetime.timedelta(minutes=20),
        ended_at=now - datetime.timedelta(minutes=15),
        warrant_number=MARKUP,
        warrant_date=timezone.localdate(),
        place=place,
        latitude="-6.178000",
        longitude="106.630000",
        description=MARKUP,
        conclusion=MARKUP,
        recommendation=MARKUP,
    )
    check = reports.check_create(
        by=officer,
        client_id=uuid.uuid4(),
        activity=activity,
        person=person,
        verification_method="physical_document",
        result="finding",
        activity_observed=MARKUP,
        notes=MARKUP,
    )
    finding = reports.finding_create(
        by=officer,
        client_id=uuid.uuid4(),
        activity=activity,
        violation_type=ViolationType.objects.order_by("pk").first(),
        person=person,
        check=check,
        description=MARKUP,
    )
    reports.evidence_add(
        by=officer, client_id=uuid.uuid4(), activity=activity, data=photo(), caption=MARKUP
    )
    warrant = supervision.warrant_create(
        by=leader,
        unit=people.section_a,
        number=MARKUP,
        issued_on=timezone.localdate(),
        signer=MARKUP,
        period_start=timezone.localdate(),
        period_end=timezone.localdate() + datetime.timedelta(days=30),
        basis=MARKUP,
        targets=MARKUP,
        members=[officer],
    )
    supervision.task_create(
        by=leader,
        warrant=warrant,
        instructions=MARKUP,
        due_date=timezone.localdate() + datetime.timedelta(days=3),
        assignee=officer,
        target_area=MARKUP,
    )
    followup = supervision.followup_open(finding=finding, by=leader)
    step = supervision.followup_step_add(
        by=leader,
        followup=followup,
        kind="guidance",
        assignee=officer,
        due_date=timezone.localdate() + datetime.timedelta(days=7),
        notes=MARKUP,
    )
    supervision.followup_step_update(by=leader, step=step, decision_number=MARKUP)
    supervision.absence_record(
        by=leader,
        user=people.officer_a2,
        kind="leave",
        start_date=timezone.localdate() + datetime.timedelta(days=10),
        end_date=timezone.localdate() + datetime.timedelta(days=11),
        note=MARKUP,
    )
    incident = incidents.incident_create(
        by=people.office_admin,
        client_id=uuid.uuid4(),
        office=people.office_a,
        reference=SHORT,
        discovered_at=now - datetime.timedelta(hours=2),
        description=MARKUP,
        data_categories=["identity"],
        subjects_count=1,
        measures=MARKUP,
    )
    job = registry.import_upload(
        by=people.office_admin,
        office=people.office_a,
        kind="persons",
        file_name=SHORT + ".csv",
        content=persons_file(),
    )
    registry.import_confirm(by=people.office_admin, job=job)
    return {
        "job": job,
        "officer": officer,
        "leader": leader,
        "sponsor": sponsor,
        "person": person,
        "place": place,
        "activity": activity,
        "warrant": warrant,
        "followup": followup,
        "incident": incident,
    }


def test_markup_stored_in_every_field_stays_text_on_every_page_and_map(
    live_server, people, desktop, settings
):
    settings.SILAHAP_BOARD_POLL_SECONDS = 1
    page, base = desktop, live_server.url
    data = hostile_records(people)
    officer, leader = data["officer"], data["leader"]

    # The officer's own screens while the report is a draft: the place and person pickers.
    log_in(page, base, "officer_markup")
    assert_shows(page, "officer's home (the name in the top bar)", selector="header")
    page.goto(base + "/reports/activities/new/")
    page.fill("#place-search", "javascript")
    page.wait_for_selector("[data-testid=place-options] input[name=place]", state="attached")
    assert_shows(page, "activity form's place options", selector="#place-options")
    page.click("[data-testid=place-tab-new]")  # the area selects fill from fragments as well
    page.select_option("[data-testid=province]", "36")
    page.wait_for_selector("[data-testid=regency] option[value='36.71']", state="attached")
    assert_inert(page, "activity form's area selects")
    open_page(page, f"{base}{data['activity'].get_absolute_url()}", "activity (draft)")
    page.click("[data-testid=check-section] > summary")
    page.fill("#person-search", "javascript")
    page.wait_for_selector("[data-testid=person-result]")
    assert_shows(page, "check form's person results", selector="#person-results")

    # The live board: the first activity from the page, a second one from a poll.
    log_in(page, base, "leader_markup")
    open_page(page, base + "/supervision/board/", "live board")
    second = reports.activity_create(
        by=officer,
        client_id=uuid.uuid4(),
        kind="administrative",
        source="apoa",
        started_at=timezone.now() - datetime.timedelta(minutes=5),
        latitude="-6.900000",
        longitude="107.600000",
        description=MARKUP,
    )
    page.wait_for_selector(f"[data-testid=board-activity][data-activity='{second.pk}']")
    assert_shows(page, "live board after a poll", selector="#board-activities")
    assert page.locator("#board-activities [data-testid=board-activity]").count() == 2
    hover_each_marker(page, "#board-map", "live board map", count=2)

    # Submitted, returned with a reason, commented, submitted again: every review text exists.
    report = reports.report_submit(report=data["activity"].report, by=officer)
    report = reports.report_return(report=report, by=leader, reason=MARKUP)
    reports.comment_create(by=leader, client_id=uuid.uuid4(), report=report, body=MARKUP)
    report = reports.report_submit(report=report, by=officer)
    report = reports.report_approve(report=report, by=leader)
    report = reports.report_revise(report=report, by=officer, reason=MARKUP)
    report = reports.report_submit(report=report, by=officer)
    run_queued()

    open_page(page, f"{base}{report.get_absolute_url()}", "report")
    # The day map's tooltips are permanent (drawn on load) and say each activity's time.
    assert page.locator("#day-map .leaflet-tooltip").count() == 2
    open_page(page, f"{base}{data['activity'].get_absolute_url()}", "activity")
    open_page(page, f"{base}{second.get_absolute_url()}", "second activity")
    open_page(page, base + "/reports/review/", "review queue")
    open_page(page, base + "/supervision/notifications/", "leader's notifications")
    open_page(page, base + "/supervision/followups/", "follow-ups")
    open_page(page, f"{base}{data['followup'].get_absolute_url()}", "follow-up")
    open_page(page, base + "/supervision/warrants/", "warrants")
    open_page(page, f"{base}{data['warrant'].get_absolute_url()}", "warrant and its tasks")
    open_page(page, base + "/supervision/absences/", "absences")
    open_page(page, base + "/audit/", "audit search")

    place = data["place"]
    open_page(page, f"{base}{place.get_absolute_url()}", "place")
    assert MARKUP in page.locator("#day-map .leaflet-tooltip").first.text_content()
    open_page(page, base + "/registry/places/?q=javascript", "place search")
    open_page(page, base + "/registry/places/near?lat=-6.179&lng=106.63&radius=1000", "near")
    hover_each_marker(page, "#near-map", "places near", count=2)
    person = data["person"]
    open_page(page, f"{base}{person.get_absolute_url()}?purpose=supervision", "person")
    hover_each_marker(page, "#person-map", "person's map", count=1)
    open_page(page, base + "/registry/persons/?q=javascript", "person search")
    open_page(page, f"{base}/registry/sponsors/{data['sponsor'].pk}/", "sponsor")
    open_page(page, base + "/registry/sponsors/?q=javascript", "sponsor search")
    open_page(page, base + "/registry/warnings/", "permit warnings")
    open_page(page, base + "/registry/persons/duplicates/", "duplicate persons")
    open_page(page, base + "/registry/places/duplicates/", "duplicate places")

    # The officer: the returned report's reason, the task, the comment, the follow-up step.
    log_in(page, base, "officer_markup")
    open_page(page, base + "/reports/today/", "officer's day")
    open_page(page, base + "/supervision/notifications/", "officer's notifications")
    open_page(page, base + "/supervision/tasks/", "officer's tasks")
    open_page(page, base + "/reports/mine/", "officer's reports", text=SHORT, selector="header")
    open_page(page, f"{base}{report.get_absolute_url()}", "officer's report")

    log_in(page, base, "office_admin")
    open_page(page, base + "/registry/imports/", "imports", text=SHORT)
    open_page(page, f"{base}/registry/imports/{data['job'].pk}/", "import", text=SHORT)
    open_page(page, base + "/supervision/notifications/", "import notification", text=SHORT)
    open_page(page, base + "/audit/incidents/", "incidents", text=SHORT)
    open_page(page, f"{base}/audit/incidents/{data['incident'].pk}/", "incident", text=SHORT)
