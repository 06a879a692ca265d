"""The admin's password form: an office administrator sets only the passwords of officers (and
new accounts) of their own office; for anyone above officer a reset link goes to their email."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied

from silahap.accounts import services
from silahap.accounts.models import User
from silahap.testing.personas import PASSWORD

NEW_PASSWORD = "Kata-Sandi-Baru-2026"


@pytest.fixture
def client(client):
    """Messages are asserted in English, the language of the code."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def password_url(user):
    return f"/admin/accounts/user/{user.pk}/password/"


def reset_url(user):
    return f"/admin/accounts/user/{user.pk}/password-reset/"


def set_password(client, admin, user):
    client.force_login(admin)
    return client.post(
        password_url(user),
        {"set_usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


@pytest.mark.django_db
def test_administrator_cannot_set_the_head_of_offices_password(client, people):
    response = set_password(client, people.office_admin, people.head_a)
    assert response.status_code == 403
    people.head_a.refresh_from_db()
    assert people.head_a.check_password(PASSWORD)
    assert "ask a superuser" in response.content.decode()  # head_a has no email address


@pytest.mark.django_db
def test_administrator_cannot_open_the_password_form_of_a_leader(client, people):
    client.force_login(people.office_admin)
    assert client.get(password_url(people.leader_a)).status_code == 403


@pytest.mark.django_db
def test_another_offices_officer_is_not_found(client, people):
    response = set_password(client, people.office_admin, people.officer_b)
    assert response.status_code == 404
    people.officer_b.refresh_from_db()
    assert people.officer_b.check_password(PASSWORD)


@pytest.mark.django_db
def test_administrator_cannot_set_its_own_password_in_the_admin(client, people):
    assert set_password(client, people.office_admin, people.office_admin).status_code == 403


@pytest.mark.django_db
def test_administrator_sets_an_officers_password_and_is_remembered_as_knowing_it(client, people):
    response = set_password(client, people.office_admin, people.officer_a)
    assert response.status_code == 302
    officer = User.objects.get(pk=people.officer_a.pk)
    assert officer.check_password(NEW_PASSWORD)
    assert officer.password_known_to_administrator()


@pytest.mark.django_db
def test_a_mismatched_password_answers_422(client, people):
    client.force_login(people.office_admin)
    response = client.post(
        password_url(people.officer_a),
        {"set_usable_password": "true", "password1": NEW_PASSWORD, "password2": "different"},
    )
    assert response.status_code == 422


@pytest.mark.django_db
def test_a_superuser_sets_the_head_of_offices_password(client, people):
    root = User.objects.create_superuser("root", "root@example.org", PASSWORD)
    assert set_password(client, root, people.head_a).status_code == 302
    people.head_a.refresh_from_db()
    assert people.head_a.check_password(NEW_PASSWORD)
    assert not people.head_a.password_known_to_administrator()


@pytest.mark.django_db
def test_the_service_refuses_a_leaders_password(people):
    with pytest.raises(PermissionDenied):
        services.user_password_set(by=people.office_admin, user=people.leader_a, password="x")


@pytest.mark.django_db
def test_a_reset_link_goes_to_the_head_of_offices_own_email_and_works(
    client, people, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=people.head_a.pk).update(email="kakanim@example.org")
    client.force_login(people.office_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reset_url(people.head_a))
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["kakanim@example.org"]
    link = re.search(r"https?://\S+(/account/reset/\S+/)", mail.outbox[0].body).group(1)
    client.logout()
    page = client.get(link, follow=True)
    assert page.status_code == 200
    assert 'data-testid="password-reset-submit"' in page.content.decode()
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link
    mismatch = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": "lain"})
    assert mismatch.status_code == 200
    assert 'aria-invalid="true" aria-describedby="id_new_password2_error"' in (
        mismatch.content.decode()
    )
    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert 'data-testid="password-reset-done"' in client.get(done.url).content.decode()
    people.head_a.refresh_from_db()
    assert people.head_a.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_a_reset_link_for_someone_without_email_says_so(client, people):
    client.force_login(people.office_admin)
    response = client.post(reset_url(people.head_a), follow=True)
    assert "has no email address" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.django_db
def test_no_reset_link_for_another_offices_leader(client, people):
    User.objects.filter(pk=people.leader_b.pk).update(email="b@example.org")
    client.force_login(people.office_admin)
    assert client.post(reset_url(people.leader_b)).status_code == 404
    assert client.get(reset_url(people.head_a)).status_code == 405
