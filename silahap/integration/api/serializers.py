"""The base of every API serializer: DRF's ModelSerializer, with the same output, made cheaper
where a page of rows spent its time.

Profiled on the reports list (50 rows of 16 fields), a third of the serialising went to finding
the current time zone again for every datetime value (an asgiref Local lookup each); the zone
is now read once per page and kept on the page's root serializer."""

from __future__ import annotations

from django.db import models
from rest_framework import serializers


class PageDateTimeField(serializers.DateTimeField):
    """DRF's DateTimeField, asking for the current time zone once per page, not per value."""

    def default_timezone(self):
        root = self.root
        cached = root.__dict__.get("_page_timezone")
        if cached is None:
            cached = root.__dict__["_page_timezone"] = super().default_timezone()
        return cached


class ApiModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: PageDateTimeField,
    }
