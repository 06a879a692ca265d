"""Audit search, the PDP export, retention and the incident register."""

from django.urls import path  # noqa: F401

app_name = "audit"

urlpatterns: list = []
