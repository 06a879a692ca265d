"""The base of every API serializer: DRF's ModelSerializer, with the same output, made cheaper
where a page of rows spent its time.

Profiled on the reports list (50 rows of 16 fields), a third of the serialising went to finding
the current time zone again for every datetime value (an asgiref Local lookup each); the zone
is now read once per page and kept on the page's root serializer. Profiled again (1,000,000
activities), most of what was left went to DRF finding each value (`Field.get_attribute`, for a
foreign key a `PKOnlyObject`): a field that reads one column of the row now reads it directly,
planned once per page (`row_plan`); any other field goes DRF's way. Both give the same output
(`tests/test_api_serializers.py` holds every API serializer to DRF's own)."""

from __future__ import annotations

from typing import Any, NamedTuple

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from rest_framework import serializers
from rest_framework.fields import Field, SkipField
from rest_framework.relations import PKOnlyObject, PrimaryKeyRelatedField


class PageDateTimeField(serializers.DateTimeField):
    """DRF's DateTimeField, asking for the current time zone once per page, not per value."""

    def default_timezone(self):
        root = self.root
        cached = root.__dict__.get("_page_timezone")
        if cached is None:
            cached = root.__dict__["_page_timezone"] = super().default_timezone()
        return cached


class Column(NamedTuple):
    """How one output field is read: a column of the row by its attribute name (`attname`), as
    the key itself (`is_key`: a foreign key's id), or DRF's way (`attname` None)."""

    name: str
    field: Field
    attname: str | None
    is_key: bool


def column_of(model: type[models.Model], field: Field) -> Column:
    name = field.field_name or ""  # bound: always named
    attrs = field.source_attrs
    if len(attrs) != 1 or isinstance(field, serializers.SerializerMethodField):
        return Column(name, field, None, False)
    try:
        model_field = model._meta.get_field(attrs[0])
    except FieldDoesNotExist:
        return Column(name, field, None, False)
    if not model_field.concrete:
        return Column(name, field, None, False)
    if not model_field.is_relation:
        return Column(name, field, model_field.attname, False)
    if (
        (model_field.many_to_one or model_field.one_to_one)
        and isinstance(field, PrimaryKeyRelatedField)
        and field.pk_field is None
        and field.use_pk_only_optimization()
    ):
        return Column(name, field, model_field.attname, True)
    return Column(name, field, None, False)


class ApiModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: PageDateTimeField,
    }

    def row_plan(self) -> list[Column]:
        """The readable fields and how each is read, once per serializer (a page's rows share
        its child serializer)."""
        plan = self.__dict__.get("_row_plan")
        if plan is None:
            model = self.Meta.model
            plan = self.__dict__["_row_plan"] = [
                column_of(model, field) for field in self._readable_fields
            ]
        return plan

    def to_representation(self, instance) -> dict[str, Any]:
        """DRF's Serializer.to_representation, reading plain columns directly."""
        ret: dict[str, Any] = {}
        for name, field, attname, is_key in self.row_plan():
            if attname is None:
                try:
                    attribute = field.get_attribute(instance)
                except SkipField:
                    continue
                empty = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
                ret[name] = None if empty is None else field.to_representation(attribute)
                continue
            value = getattr(instance, attname)
            ret[name] = value if value is None or is_key else field.to_representation(value)
        return ret
