"""Sponsor and place lists, pages and forms."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
