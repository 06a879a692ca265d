"""CSV and XLSX imports of persons and lodging reports."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
