"""The base of every API serializer: DRF's ModelSerializer, with the same output, made cheaper
where a page of rows spent its time.

Profiled on the reports list (50 rows of 16 fields), a third of the serialising went to finding
the current time zone again for every datetime value (an asgiref Local lookup each); the zone
is now read once per page. Profiled again (1,000,000 activities), most of what was left went to
DRF finding each value (`Field.get_attribute`, for a foreign key a `PKOnlyObject`), to building
the serializer's fields again for every request (a ModelSerializer maps each model field anew)
and to DRF's datetime rendering. So each serializer class plans once per process how each
output field is read (`row_plan`): a field that reads one column of the row (or an annotation
the view put on it) reads it directly, a datetime is written as DRF writes it in ISO 8601, and
any other field goes DRF's way with the fields DRF builds, which only a serializer that has such
a field builds. Both give the same output (`tests/test_api_serializers.py` holds every API
serializer to DRF's own, and the datetime writing to DRF's DateTimeField)."""

from __future__ import annotations

import datetime
from enum import Enum
from typing import Any, ClassVar, NamedTuple, cast

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.fields import Field, SkipField
from rest_framework.relations import PKOnlyObject, PrimaryKeyRelatedField
from rest_framework.settings import api_settings


class PageDateTimeField(serializers.DateTimeField):
    """DRF's DateTimeField, asking for the current time zone once per page, not per value."""

    def default_timezone(self):
        root = self.root
        cached = root.__dict__.get("_page_timezone")
        if cached is None:
            cached = root.__dict__["_page_timezone"] = super().default_timezone()
        return cached


class Reading(Enum):
    """How one output field is read from a row."""

    KEY = "key"  # a foreign key's id, as it is (DRF's PKOnlyObject's pk)
    VALUE = "value"  # a column (or the view's annotation), through the field's to_representation
    DATETIME = "datetime"  # a datetime column, written in ISO 8601 in the page's time zone
    DRF = "drf"  # DRF's way, with the serializer's own bound field


# DRF's fields whose to_representation depends on the value and the field's own arguments only
# (not on the serializer, its context or the request): one instance per class serves every page.
CONTEXT_FREE = (
    serializers.BooleanField,
    serializers.CharField,
    serializers.ChoiceField,
    serializers.DateField,
    serializers.DecimalField,
    serializers.FloatField,
    serializers.IntegerField,
    serializers.UUIDField,
)


class Column(NamedTuple):
    """One output field: its name, how it is read, the row's attribute it reads (`attname`),
    and the field that writes the value (a class's own instance, for VALUE)."""

    name: str
    reading: Reading
    attname: str
    field: Field


def column_of(model: type[models.Model], field: Field) -> Column:
    name = field.field_name or ""  # bound: always named
    drf = Column(name, Reading.DRF, "", field)
    attrs = field.source_attrs
    if len(attrs) != 1 or isinstance(field, serializers.SerializerMethodField):
        return drf
    try:
        model_field = model._meta.get_field(attrs[0])
    except FieldDoesNotExist:
        # Not a model field: an annotation the view adds (read from the row's own attributes,
        # never a property or a method, which DRF would call), or DRF's way.
        if type(field) in CONTEXT_FREE and not hasattr(model, attrs[0]):
            return Column(name, Reading.VALUE, attrs[0], field)
        return drf
    if not model_field.concrete:
        return drf
    if not model_field.is_relation:
        # DRF's default format and zone only (a field with its own goes DRF's way).
        if type(field) is PageDateTimeField and not (
            hasattr(field, "timezone") or hasattr(field, "format")
        ):
            return Column(name, Reading.DATETIME, model_field.attname, field)
        if type(field) in CONTEXT_FREE:
            return Column(name, Reading.VALUE, model_field.attname, field)
        return drf
    if (
        (model_field.many_to_one or model_field.one_to_one)
        and isinstance(field, PrimaryKeyRelatedField)
        and field.pk_field is None
        and field.use_pk_only_optimization()
    ):
        return Column(name, Reading.KEY, model_field.attname, field)
    return drf


def iso_datetime(value: datetime.datetime, zone: datetime.tzinfo) -> str:
    """DRF's DateTimeField.to_representation of an aware datetime in ISO 8601 (UTC as "Z")."""
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


MISSING = object()


class ApiModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: PageDateTimeField,
    }
    # Serializer class → its plan; built from an instance of the class made for the purpose,
    # so no request or context is kept in it.
    _row_plans: ClassVar[dict[type, tuple[Column, ...]]] = {}

    def row_plan(self) -> tuple[Column, ...]:
        """The readable fields and how each is read, once per serializer class; a serializer
        that chooses its fields itself (`get_fields`, e.g. by request) plans once per instance."""
        cls = type(self)
        if cls.get_fields is not ApiModelSerializer.get_fields:
            plan = self.__dict__.get("_row_plan")
            if plan is None:
                fields = self._readable_fields
                plan = self.__dict__["_row_plan"] = tuple(
                    column_of(self.Meta.model, field) for field in fields
                )
            return plan
        plan = ApiModelSerializer._row_plans.get(cls)
        if plan is None:
            model = self.Meta.model
            plan = ApiModelSerializer._row_plans[cls] = tuple(
                column_of(model, field) for field in cls()._readable_fields
            )
        return plan

    def page_timezone(self) -> datetime.tzinfo | None:
        """The zone datetimes are written in, read once per serializer (a page's rows share
        its child serializer); None when DRF's own writing must be used."""
        zone = self.__dict__.get("_page_zone", MISSING)
        if zone is MISSING:
            iso = str(api_settings.DATETIME_FORMAT).lower() == ISO_8601
            zone = timezone.get_current_timezone() if iso and settings.USE_TZ else None
            self.__dict__["_page_zone"] = zone
        return cast(datetime.tzinfo | None, zone)

    def to_representation(self, instance) -> dict[str, Any]:
        """DRF's Serializer.to_representation, reading plain columns directly."""
        ret: dict[str, Any] = {}
        zone = self.page_timezone()
        row = instance.__dict__
        for name, reading, attname, field in self.row_plan():
            if reading is Reading.KEY:
                ret[name] = getattr(instance, attname)
                continue
            if reading is Reading.DATETIME and zone is not None:
                value = getattr(instance, attname)
                if value is None:
                    ret[name] = None
                    continue
                if type(value) is datetime.datetime and value.utcoffset() is not None:
                    ret[name] = iso_datetime(value, zone)
                    continue
            elif reading is Reading.VALUE:
                value = row[attname] if attname in row else getattr(instance, attname, MISSING)
                if value is not MISSING and not callable(value):
                    ret[name] = None if value is None else field.to_representation(value)
                    continue
            field = self.fields[name]
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            empty = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            ret[name] = None if empty is None else field.to_representation(attribute)
        return ret
