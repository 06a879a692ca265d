"""Duplicate review and merge of persons and places."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
