"""The daily permit warnings job: enqueued once per office per day, telling the office's leaders."""

import datetime
import uuid

import pytest
import time_machine
from django.utils import translation

from silahap.registry import warnings
from silahap.registry.models import Regency, WarningCount
from silahap.registry.services import person_create, person_update
from silahap.supervision import scheduler, tasks
from silahap.supervision.models import Notification
from silahap.supervision.notifications import text
from silahap.testing.worker import run_queued

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
# A Tuesday with no holiday; 07:00 WIB is 00:00 UTC.
TODAY = datetime.date(2025, 3, 11)
SEVEN_WIB = datetime.datetime(2025, 3, 11, 0, 0, tzinfo=UTC)


def foreigner(people, *, valid_until, regency="36.71"):
    person = person_create(
        by=people.officer_a,
        full_name=f"Person {uuid.uuid4().hex[:6]}",
        nationality="CN",
        document_number=f"E{uuid.uuid4().hex[:8].upper()}",
        permit_type="ITAS",
        permit_valid_until=valid_until,
    ).person
    return person_update(
        by=people.officer_a, person=person, regency=Regency.objects.get(code=regency)
    )


@pytest.fixture
def tick(django_capture_on_commit_callbacks):
    def run(now):
        with time_machine.travel(now, tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                keys = scheduler.tick(now)
            run_queued()
        return [key for key in keys if key.startswith("permit-warnings")]

    return run


def warnings_for(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind="permit_warnings"))


def test_the_office_leaders_hear_how_many_permits_expire_and_overstay(people, tick):
    foreigner(people, valid_until=TODAY + datetime.timedelta(days=30))
    foreigner(people, valid_until=TODAY - datetime.timedelta(days=1))
    foreigner(people, valid_until=TODAY - datetime.timedelta(days=100))
    foreigner(people, valid_until=TODAY + datetime.timedelta(days=31))
    tick(SEVEN_WIB + datetime.timedelta(minutes=5))
    for leader in (people.head_a, people.leader_a):
        [notification] = warnings_for(leader)
        assert notification.params == {"expiring": 1, "overstay": 2, "office": "Kanim Tangerang"}
        assert notification.url == f"/registry/warnings/?office={people.office_a.pk}"
    assert warnings_for(people.leader_b) == []
    assert warnings_for(people.officer_a) == []


def test_the_message_reads_as_the_text_says(people):
    foreigner(people, valid_until=TODAY - datetime.timedelta(days=2))
    with time_machine.travel(SEVEN_WIB, tick=False):
        assert tasks.notify_permit_warnings.call(people.office_a.pk, TODAY.isoformat()) == 2
    [notification] = warnings_for(people.head_a)

    with translation.override("en"):
        assert text(notification) == (
            "0 stay permits expire within 30 days and 1 foreigners have overstayed in "
            "Kanim Tangerang."
        )


def test_an_office_with_no_warnings_hears_nothing(people, tick):
    foreigner(people, valid_until=TODAY - datetime.timedelta(days=1), regency="36.71")
    tick(SEVEN_WIB + datetime.timedelta(minutes=5))
    assert warnings_for(people.leader_b) == []  # Denpasar has no warning


def test_the_job_is_enqueued_once_per_office_per_day(people, tick):
    foreigner(people, valid_until=TODAY - datetime.timedelta(days=1))
    before_seven = tick(SEVEN_WIB - datetime.timedelta(minutes=1))
    assert f"permit-warnings:{people.office_a.pk}:{TODAY}" not in before_seven
    first = tick(SEVEN_WIB + datetime.timedelta(minutes=1))
    assert f"permit-warnings:{people.office_a.pk}:{TODAY}" in first
    assert tick(SEVEN_WIB + datetime.timedelta(hours=3)) == []  # nothing again the same day
    assert len(warnings_for(people.head_a)) == 1
    # The task run twice (a retried worker) still tells each leader once a day.
    tasks.notify_permit_warnings.call(people.office_a.pk, TODAY.isoformat())
    assert len(warnings_for(people.head_a)) == 1
    next_day = tick(SEVEN_WIB + datetime.timedelta(days=1, minutes=1))
    assert f"permit-warnings:{people.office_a.pk}:{TODAY + datetime.timedelta(days=1)}" in next_day
    assert len(warnings_for(people.head_a)) == 2


def test_each_office_is_due_at_seven_in_its_own_zone(people, tick):
    # 23:30 UTC: 07:30 WITA in Denpasar, still 06:30 WIB in Tangerang.
    keys = tick(SEVEN_WIB - datetime.timedelta(minutes=30))
    assert keys == [f"permit-warnings:{people.office_b.pk}:{TODAY}"]


def test_the_job_moves_the_kept_counts_to_its_day(people, tick):
    foreigner(people, valid_until=TODAY - datetime.timedelta(days=1))
    foreigner(people, valid_until=TODAY + datetime.timedelta(days=29))
    # Kept as of three days ago: the permit that ended yesterday was expiring then.
    warnings.rebuild_counts(on=TODAY - datetime.timedelta(days=3))
    assert set(WarningCount.objects.values_list("as_of", flat=True)) == {
        TODAY - datetime.timedelta(days=3)
    }
    tick(SEVEN_WIB + datetime.timedelta(minutes=5))
    assert set(WarningCount.objects.values_list("as_of", flat=True)) == {TODAY}
    [notification] = warnings_for(people.leader_a)
    assert notification.params["expiring"] == 1
    assert notification.params["overstay"] == 1
