"""Inputs are bounded before work starts (issue 23): the requests that answered 500 with a
traceback now answer 400, the request as a whole is bounded, and free text has a length in
every form."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from decimal import Decimal

import pytest
from django import forms
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import silahap
from silahap import inputs, limits
from silahap.accounts.forms.login import BoundedLoginMixin

# Every product module is read (not a list kept by hand: four apps' forms were missing from it).
SKIPPED_MODULE_PARTS = (".tests", ".migrations", ".management", "silahap.testing", "silahap.demo")


def _product_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(silahap.__path__, "silahap."):
        if any(part in info.name for part in SKIPPED_MODULE_PARTS):
            continue
        if info.name in ("silahap.wsgi", "silahap.asgi"):
            continue
        names.append(info.name)
    return names


@pytest.mark.django_db
@pytest.mark.parametrize("task", ["abc", "NaN", "-1", str(2**70), "1e3", "١"])
def test_activity_form_with_a_task_id_no_page_sends_is_a_bad_request(client, people, task):
    client.force_login(people.officer_a)
    url = reverse("reports:activity_create")
    assert client.get(url, {"task": task}).status_code == 400
    assert client.post(url, {"task": task, "client_id": "x"}).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("notification", ["abc", "0", "-5", str(2**70)])
def test_marking_a_notification_read_with_a_bad_id_is_a_bad_request(client, people, notification):
    client.force_login(people.officer_a)
    response = client.post(reverse("supervision:notification_read"), {"notification": notification})
    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lat", "lng"),
    [("NaN", "1"), ("1", "nan"), ("Infinity", "1"), ("-6", "-Infinity"), ("91", "1"), ("1", "181")],
)
def test_place_options_refuse_a_point_that_is_not_one(client, people, lat, lng):
    client.force_login(people.officer_a)
    response = client.get(reverse("registry:place_options"), {"lat": lat, "lng": lng})
    assert response.status_code == 400


@pytest.mark.django_db
def test_place_options_still_answer_a_real_point(client, people):
    client.force_login(people.officer_a)
    response = client.get(reverse("registry:place_options"), {"lat": "-6.17", "lng": "106.63"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_board_feed_with_a_cursor_no_page_sends_is_a_bad_request(client, people):
    client.force_login(people.leader_a)
    url = reverse("supervision:board_feed")
    assert client.get(url, {"after": "abc"}).status_code == 400
    fine = client.get(url, {"after": "0"})
    assert fine.status_code == 200
    assert fine.json()["rows"] == ""  # nothing new on the persona's board since the start


@pytest.mark.django_db
def test_an_address_longer_than_the_limit_is_refused_before_the_session_is_read(client, people):
    client.force_login(people.officer_a)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("registry:person_search"), {"q": "a" * limits.URL_LENGTH})
    assert response.status_code == 400
    assert queries.captured_queries == []


@pytest.mark.django_db
def test_a_nul_in_a_posted_field_is_refused_before_the_view(client, people):
    client.force_login(people.officer_a)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("registry:place_create"), {"name": "Hotel\x00"})
    assert response.status_code == 400
    assert queries.captured_queries == []


def test_request_bodies_are_bounded_by_the_limits_module():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == limits.REQUEST_BODY_BYTES
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == limits.FORM_FIELDS


@pytest.mark.parametrize("value", ["abc", "NaN", "Infinity", "-1", "0", str(2**70), "1_0", "٣"])
def test_an_id_no_page_sends_is_refused(value):
    with pytest.raises(inputs.InvalidInput):
        inputs.read_id(value)


def test_an_id_as_pages_send_it_is_read():
    assert inputs.read_id("42") == 42
    assert inputs.read_id("") is None
    assert inputs.read_id(None) is None


@pytest.mark.parametrize("value", ["NaN", "-nan", "Infinity", "-Infinity", "91", "abc", "1" * 40])
def test_a_latitude_that_is_not_one_is_refused(value):
    with pytest.raises(ValueError):  # noqa: PT011 — each garbage value has its own message
        inputs.parse_coordinate(value, limits.LATITUDE)


def test_a_real_latitude_is_read():
    assert inputs.parse_coordinate("-6.178", limits.LATITUDE) == Decimal("-6.178")
    assert inputs.parse_coordinate("", limits.LATITUDE) is None


def _form_classes():
    for module_name in _product_modules():
        module = importlib.import_module(module_name)
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__ == module_name:
                yield value


def _fields(form_class) -> dict:
    """The fields as a page gets them: the login forms bound Django's own fields when built."""
    if issubclass(form_class, BoundedLoginMixin):
        return form_class().fields
    return form_class.base_fields


@pytest.mark.django_db
def test_every_text_field_of_every_form_has_a_maximum_length():
    unbounded = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in _form_classes()
        for name, field in _fields(form).items()
        if isinstance(field, forms.CharField)
        and not isinstance(field, forms.UUIDField)
        and field.max_length is None
    ]
    assert unbounded == []


def test_every_whole_number_of_every_form_has_a_maximum():
    unbounded = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in _form_classes()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.IntegerField) and field.max_value is None
    ]
    assert unbounded == []


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["login", "admin:login"])
def test_login_with_an_oversized_username_or_password_is_refused_by_the_form(client, url_name):
    response = client.post(
        reverse(url_name), {"username": "u" * 10_000, "password": "p" * 10_000, "next": "/"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
