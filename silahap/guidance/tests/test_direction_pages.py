"""Direction pages: the today slot, the form's messages, the follow-up table, query counts."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from silahap.guidance.models import Direction
from silahap.guidance.services import directions as services
from silahap.guidance.tests.helpers import send

pytestmark = pytest.mark.django_db


def test_unread_directions_lead_the_today_page_until_read(client, people):
    urgent = send(people, priority="urgent", body="Segera ke Hotel Cikokol.")
    client.force_login(people.officer_a)
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="today-direction"' in page
    assert "Segera ke Hotel Cikokol." in page
    # At the top: under the page's title, above the day's activities.
    title = page.index('data-testid="home-title"')
    assert title < page.index('data-testid="today-direction"') < page.index("add-activity")
    answer = client.post(
        reverse("guidance:direction_acknowledge", args=[urgent.pk]), {"next": reverse("home")}
    )
    assert answer.status_code == 302
    assert answer.url == reverse("home")
    assert "Segera ke Hotel Cikokol." not in client.get(reverse("home")).content.decode()


def test_the_form_says_in_indonesian_what_to_fix_and_keeps_the_text(client, people):
    client.force_login(people.leader_a)
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("guidance:direction_create"),
        {
            "client_id": "7a1f7d0e-8c55-4c1e-9b9f-2f1c1d0c0a11",
            "unit": people.section_a.pk,
            "body": "Cek WNA di proyek.",
            "priority": "normal",
            "due_date": yesterday,
            "people": [people.officer_b.pk],
        },
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "Cek WNA di proyek." in page
    assert "Tenggat tidak boleh di masa lalu." in page
    assert "Pilih hanya orang dan unit di dalam unit Anda" in page
    assert not Direction.objects.exists()


def test_the_sender_sees_who_read_and_did_it(client, people):
    direction = send(people)
    services.direction_done(by=people.officer_a, direction=direction, note="Selesai diperiksa.")
    client.force_login(people.leader_a)
    with translation.override("en"):
        page = client.get(direction.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert 'data-user="officer_a"' in html
    assert "Selesai diperiksa." in html
    assert 'data-testid="remind"' in html  # officer_a2 has not read it


@pytest.mark.parametrize("size", [1, 6])
def test_the_list_and_the_detail_cost_the_same_at_any_size(
    client, people, size, django_assert_max_num_queries
):
    for _ in range(size):
        direction = send(people)
    client.force_login(people.leader_a)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("guidance:direction_list")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(direction.get_absolute_url()).status_code == 200
    client.force_login(people.officer_a)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("home")).status_code == 200


def test_leaders_get_the_cards_staff_the_menu_link_partners_neither(client, people):
    client.force_login(people.leader_a)
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="guidance-cards"' in page
    assert 'data-testid="nav-directions"' in page
    client.force_login(people.officer_a)
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="guidance-cards"' not in page
    assert 'data-testid="nav-training"' in page
    client.force_login(people.partner)
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="nav-directions"' not in page


def test_times_are_shown_in_the_offices_zone(client, people):
    with time_machine.travel(datetime.datetime(2025, 3, 11, 2, 0, tzinfo=datetime.UTC)):
        direction = send(
            people, by=people.leader_b, unit=people.section_b, units=[people.section_b]
        )
    client.force_login(people.leader_b)
    page = client.get(direction.get_absolute_url()).content.decode()
    assert "11-03-2025 10:00" in page  # 02:00 UTC is 10:00 WITA in Denpasar
