"""What the phone keeps is the officer's own field work, and only for their session: pages of
the registry are never kept, kept pages go when the session ends (here: ended on the server, as
a logout in another tab, a password change or a timeout does), unsent entries stay on the phone
and are sent only when their owner signs in again (issue "Field reporting III", item 10)."""

import datetime
import uuid

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError
from django.utils import timezone

from silahap.reports import services
from silahap.reports.models import DailyReport, ReportStatus
from silahap.testing.browser import controlled_by_service_worker
from silahap.testing.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEPT = """async () => {
  for (let round = 0; round < 100; round++) {
    const names = (await caches.keys()).filter(name => name.startsWith("silahap-pages-"));
    const pages = [];
    for (const name of names) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) pages.push(new URL(request.url).pathname);
    }
    if (pages.includes(location.pathname) || round === 99) return {names, pages};
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}"""
PAGE_CACHES = """async () =>
  (await caches.keys()).filter(name => name.startsWith("silahap-pages-"))"""
OUTBOX = """() => new Promise(resolve => {
  const open = indexedDB.open("silahap-outbox", 1);
  open.onupgradeneeded = () => open.result.createObjectStore("requests", {keyPath: "id"});
  open.onsuccess = () => {
    const read = open.result.transaction("requests").objectStore("requests").getAll();
    read.onsuccess = () => resolve(read.result.map(entry => entry.url));
  };
})"""


def log_in(page, base_url, username):
    page.goto(base_url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_selector("[data-testid=who]", state="attached")


def test_kept_pages_are_the_officers_own_and_end_with_the_session(live_server, people, browser):
    services.activity_create(
        by=people.officer_a,
        client_id=uuid.uuid4(),
        kind="administrative",
        source="independent",
        started_at=timezone.now() - datetime.timedelta(minutes=30),
        description="Pemeriksaan dokumen penjamin",
    )
    report = DailyReport.objects.get(officer=people.officer_a)
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    phone = context.new_page()
    log_in(phone, live_server.url, "officer_a")
    phone.evaluate("navigator.serviceWorker.ready.then(() => true)")
    phone.reload()
    controlled_by_service_worker(phone)

    today = live_server.url + "/reports/today/"
    phone.goto(live_server.url + "/registry/")
    phone.goto(today)
    kept = phone.evaluate(KEPT)
    assert len(kept["names"]) == 1
    assert "/reports/today/" in kept["pages"]
    assert not [page for page in kept["pages"] if page.startswith("/registry/")]

    # No signal: the kept page opens, the registry (never kept) shows the offline shell.
    context.set_offline(True)
    phone.goto(today)
    phone.wait_for_selector("[data-testid=submit-report]")
    phone.click("[data-testid=submit-report]")
    phone.wait_for_selector("[data-testid=outbox-status].returned")
    assert phone.evaluate(OUTBOX) == [live_server.url + f"/reports/{report.pk}/submit/"]
    phone.goto(live_server.url + "/registry/")
    phone.wait_for_selector("[data-testid=offline-shell]")

    # The session ends on the server; back online, the entry is refused and kept, and the
    # first answer naming no session empties the kept pages.
    Session.objects.all().delete()
    context.set_offline(False)
    phone.goto(today)
    phone.wait_for_selector("#id_username")
    for _round in range(100):
        if not phone.evaluate(PAGE_CACHES):
            break
        phone.wait_for_timeout(100)
    assert phone.evaluate(PAGE_CACHES) == []
    assert phone.evaluate(OUTBOX) == [live_server.url + f"/reports/{report.pk}/submit/"]
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT

    # Another officer on this phone neither sees nor sends it.
    log_in(phone, live_server.url, "officer_a2")
    phone.wait_for_load_state("networkidle")
    assert phone.locator("[data-testid=outbox-status]").count() == 0
    assert phone.evaluate(OUTBOX) == [live_server.url + f"/reports/{report.pk}/submit/"]
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    phone.click("[data-logout] button")
    phone.wait_for_selector("#id_username")

    # Its owner signs in again: it is sent, once.
    log_in(phone, live_server.url, "officer_a")
    for _round in range(150):
        try:
            report.refresh_from_db()
        except OperationalError:
            # SQLite: this thread shares the live server's one in-memory connection, and the
            # outbox's submit may hold the table right now ("database table is locked").
            phone.wait_for_timeout(200)
            continue
        if report.status == ReportStatus.SUBMITTED:
            break
        phone.wait_for_timeout(200)
    assert report.status == ReportStatus.SUBMITTED
    phone.wait_for_selector("[data-testid=submitted-at]")  # the page the server sent it to
    assert phone.evaluate(OUTBOX) == []
    context.close()
