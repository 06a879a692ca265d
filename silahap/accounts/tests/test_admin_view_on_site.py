"""The admin's "view on site" redirect answers 404 for what the user may not see, exactly like a
missing id, so it cannot be used to learn which records exist."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from silahap.accounts.models import User
from silahap.reports.models import DailyReport
from silahap.testing.personas import PASSWORD
from silahap.testing.url_matrix import field_activity


def shortcut(model, object_id):
    content_type = ContentType.objects.get_for_model(model)
    return f"/admin/r/{content_type.pk}/{object_id}/"


@pytest.mark.django_db
def test_a_report_the_administrator_may_not_read_answers_like_a_missing_one(client, people):
    report = field_activity(people).report
    client.force_login(people.office_admin)
    forbidden = client.get(shortcut(DailyReport, report.pk))
    missing = client.get(shortcut(DailyReport, report.pk + 10_000))
    garbage = client.get(shortcut(DailyReport, "abc"))
    assert forbidden.status_code == missing.status_code == garbage.status_code == 404


@pytest.mark.django_db
def test_an_unknown_content_type_or_a_record_without_a_page_answers_404(client, people):
    client.force_login(people.office_admin)
    assert client.get(shortcut(User, people.office_admin.pk)).status_code == 404
    assert client.get("/admin/r/999999/1/").status_code == 404


@pytest.mark.django_db
def test_a_place_the_administrator_may_see_redirects_to_its_page(client, people):
    place = field_activity(people).place
    client.force_login(people.office_admin)
    response = client.get(shortcut(type(place), place.pk))
    assert response.status_code == 302
    assert response["Location"].endswith(place.get_absolute_url())


@pytest.mark.django_db
def test_a_superuser_is_redirected_to_any_report(client, people):
    report = field_activity(people).report
    client.force_login(User.objects.create_superuser("root", "root@example.org", PASSWORD))
    response = client.get(shortcut(DailyReport, report.pk))
    assert response.status_code == 302
    assert response["Location"].endswith(report.get_absolute_url())
