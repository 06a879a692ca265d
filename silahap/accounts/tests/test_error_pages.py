"""The pages Django's error handlers render (400, 403, 404, 500) are SiLAHAP's, in the reader's
language, with a way home; not Django's bare English "Forbidden" or "Not Found"."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from django.views import defaults

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def test_an_unknown_address_says_so_in_indonesian_with_the_menu(client, people):
    client.force_login(people.officer_a)
    response = client.get("/tidak-ada/<script>alert(1)</script>/")
    assert response.status_code == 404
    page = text(response)
    assert "Halaman tidak ditemukan" in page
    assert 'data-testid="error-home"' in page
    assert 'data-testid="who"' in page  # the signed-in menu, as on every page
    assert "<script>alert(1)" not in page
    assert "Not Found" not in page


def test_a_page_not_for_this_account_says_so_and_who_to_ask(client, people):
    # A partner agency's member may not open the national registry (403, not a bare page).
    client.force_login(people.partner)
    response = client.get("/registry/places/")
    assert response.status_code == 403
    page = text(response)
    assert "Tidak diizinkan" in page
    assert "hubungi pimpinan Anda atau administrator kantor Anda" in page
    assert "Forbidden" not in page


def test_the_pages_follow_the_readers_language(people):
    english = Client()
    english.cookies["silahap_language"] = "en"
    english.force_login(people.officer_a)
    response = english.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in text(response)
    assert "Back to the home page" in text(response)


def test_a_request_that_cannot_be_read_gets_a_page_without_the_menu():
    response = Client(HTTP_HOST="elsewhere.example").get("/")  # not an allowed host: 400
    assert response.status_code == 400
    page = text(response)
    assert "Permintaan tidak dapat dibaca" in page
    assert 'data-testid="error-home"' in page
    assert "Bad Request" not in page


def test_the_server_error_page_renders_without_a_request_context():
    request = RequestFactory().get("/")
    with translation.override("id"):
        response = defaults.server_error(request)
    assert response.status_code == 500
    page = text(response)
    assert "Terjadi kesalahan" in page
    assert "hubungi administrator kantor Anda" in page
    with translation.override("en"):
        assert "Something went wrong" in text(defaults.server_error(request))
