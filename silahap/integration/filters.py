"""The filters integrators need: updated_since, unit subtree, date range, status, parent ids.

Each is declared on the view (which field it reads) and documented in the schema from the same
declaration; a malformed or impossible value is a 400 naming the parameter.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import dateparse, timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions

from silahap.accounts.models import OrgUnit

MAX_ID = 2**53


@dataclass(frozen=True)
class Filters:
    updated_field: str = "updated_at"
    unit_field: str | None = None
    date_field: str | None = None
    status_field: str | None = None
    statuses: tuple[str, ...] = ()
    # Query parameter name → field, for "the rows of this parent" (report=, followup=...).
    parents: tuple[tuple[str, str], ...] = ()

    def parameters(self) -> list[OpenApiParameter]:
        found = [
            OpenApiParameter(
                "updated_since",
                OpenApiTypes.DATETIME,
                description="Rows changed at or after this time (ISO 8601, not in the future).",
            )
        ]
        if self.unit_field:
            found.append(
                OpenApiParameter(
                    "unit", OpenApiTypes.INT, description="Only this unit and the units below it."
                )
            )
        if self.date_field:
            found += [
                OpenApiParameter("date_from", OpenApiTypes.DATE, description="On or after."),
                OpenApiParameter("date_to", OpenApiTypes.DATE, description="On or before."),
            ]
        if self.status_field:
            found.append(OpenApiParameter("status", str, enum=list(self.statuses)))
        found += [OpenApiParameter(name, OpenApiTypes.INT) for name, _field in self.parents]
        return found

    def apply(self, queryset, params):
        if "updated_since" in params:
            queryset = queryset.filter(
                **{f"{self.updated_field}__gte": updated_since(params["updated_since"])}
            )
        if self.unit_field and "unit" in params:
            unit = OrgUnit.objects.filter(pk=_whole_number(params, "unit")).order_by()
            path = next(iter(unit.values_list("path", flat=True)[:1]), None)
            if path is None:
                raise exceptions.ValidationError({"unit": "No such unit."})
            # "." is the unit itself (the units resource): its own path.
            prefix = "" if self.unit_field == "." else f"{self.unit_field}__"
            queryset = queryset.filter(**{f"{prefix}path__startswith": path})
        if self.date_field:
            for name, lookup in (("date_from", "gte"), ("date_to", "lte")):
                if name in params:
                    day = _date(params, name)
                    queryset = queryset.filter(**{f"{self.date_field}__{lookup}": day})
        if self.status_field and "status" in params:
            if params["status"] not in self.statuses:
                raise exceptions.ValidationError(
                    {"status": "One of: " + ", ".join(self.statuses) + "."}
                )
            queryset = queryset.filter(**{self.status_field: params["status"]})
        for name, field in self.parents:
            if name in params:
                queryset = queryset.filter(**{field: _whole_number(params, name)})
        return queryset


def updated_since(value: str) -> datetime.datetime:
    try:
        moment = dateparse.parse_datetime(value.strip())
    except ValueError:
        moment = None
    if moment is None:
        raise exceptions.ValidationError(
            {"updated_since": "An ISO 8601 date and time, e.g. 2026-01-31T08:00:00+07:00."}
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    if moment > timezone.now() + datetime.timedelta(minutes=5):
        raise exceptions.ValidationError({"updated_since": "This time is in the future."})
    return moment


def _date(params, name: str) -> datetime.date:
    try:
        day = dateparse.parse_date(params[name].strip())
    except ValueError:
        day = None
    if day is None:
        raise exceptions.ValidationError({name: "A date as YYYY-MM-DD."})
    return day


def _whole_number(params, name: str) -> int:
    value = params[name].strip()
    if not value.isascii() or not value.isdigit() or int(value) >= MAX_ID:
        raise exceptions.ValidationError({name: "A whole number (an id)."})
    return int(value)
