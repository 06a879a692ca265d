"""Metrics from insights, per unit and per officer, for a period: the numbers of the evaluation
pages, with their scope rules.

Every value is read from the rollups through `silahap.insights.queries.measure`, with the
definitions of `silahap.insights.metrics` (one per metric, shared with the pages, the exports
and the league tables), so the API and the pages never disagree. A client evaluates what an
analyst of its unit would (`insights.scope`): a unit outside it is a 404. Closed (intelligence)
activities are never in the rollups, so never in these numbers.

- `/metrics/definitions/`: every metric, its labels and the formula shown to users.
- `/metrics/{unit}/`: the unit's own values (its whole subtree) for the period; ETag.
- `/metrics/?unit=&by=unit`: one row per child unit (each exact: distinct persons are counted
  per child subtree); `by=officer`: one row per officer with a membership in the unit's subtree
  during the period, an audited read (an officer's performance is personal data).
"""

from __future__ import annotations

import base64
import binascii
import datetime

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from silahap.accounts.models import Membership, OrgUnit, User
from silahap.insights import metrics as catalogue
from silahap.insights import periods, queries, scope
from silahap.insights.metrics import Metric
from silahap.insights.periods import Period
from silahap.insights.queries import Rows
from silahap.integration.api.base import ApiView, audit_read, etag_of
from silahap.integration.filters import _whole_number
from silahap.integration.models import Resource

PAGE = 50
MAX_PAGE = 200
MAX_METRICS = len(catalogue.METRICS)
BY = ("unit", "officer")

PERIOD_PARAMETERS = [
    OpenApiParameter(
        "period",
        str,
        description="As on the pages: 2026-11, 2026-Q4, 2026 or 2026-11-03..2026-11-20. Default: "
        "this month in the unit's time zone. Or give date_from and date_to.",
    ),
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="First day (with date_to)."),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="Last day (with date_from)."),
    OpenApiParameter(
        "metric",
        str,
        description="Comma-separated metric keys (see /metrics/definitions/); default: the "
        "metrics the evaluation pages list.",
    ),
]
LIST_PARAMETERS = [
    OpenApiParameter(
        "unit",
        OpenApiTypes.INT,
        description="The unit whose children or officers are listed; default: the caller's "
        "widest unit.",
    ),
    OpenApiParameter("by", str, enum=list(BY), description="One row per child unit or officer."),
    *PERIOD_PARAMETERS,
    OpenApiParameter("cursor", str, description="The `next` link's cursor."),
    OpenApiParameter("page_size", OpenApiTypes.INT, description=f"1 to {MAX_PAGE}."),
]

VALUES = serializers.DictField(
    child=serializers.FloatField(allow_null=True),
    help_text="Metric key → value (null: nothing to compute it from, e.g. a ratio of 0 rows).",
)
ReadingSerializer = inline_serializer(
    "MetricReading",
    {
        "unit": serializers.IntegerField(),
        "unit_name": serializers.CharField(),
        "officer": serializers.IntegerField(allow_null=True),
        "officer_name": serializers.CharField(allow_null=True),
        "date_from": serializers.DateField(),
        "date_to": serializers.DateField(),
        "values": VALUES,
    },
)
PageSerializer = inline_serializer(
    "MetricReadingPage",
    {
        "next": serializers.CharField(allow_null=True),
        "previous": serializers.CharField(allow_null=True),
        "results": inline_serializer(
            "MetricReadingRow",
            {
                "unit": serializers.IntegerField(),
                "unit_name": serializers.CharField(),
                "officer": serializers.IntegerField(allow_null=True),
                "officer_name": serializers.CharField(allow_null=True),
                "date_from": serializers.DateField(),
                "date_to": serializers.DateField(),
                "values": VALUES,
            },
            many=True,
        ),
    },
)
DefinitionSerializer = inline_serializer(
    "MetricDefinition",
    {
        "key": serializers.CharField(),
        "label_id": serializers.CharField(),
        "label_en": serializers.CharField(),
        "formula_id": serializers.CharField(),
        "formula_en": serializers.CharField(),
        "kind": serializers.ChoiceField(choices=["sum", "distinct", "median", "ratio", "total"]),
        "unit": serializers.CharField(),
        "breakdown": serializers.CharField(),
    },
)


def wanted_metrics(params) -> list[Metric]:
    if "metric" not in params:
        return list(catalogue.SHOWN)
    keys = [key.strip() for key in params["metric"].split(",") if key.strip()]
    unknown = [key for key in keys if key not in catalogue.BY_KEY]
    if not keys or unknown or len(keys) > MAX_METRICS:
        raise exceptions.ValidationError(
            {"metric": "Comma-separated keys of /metrics/definitions/."}
        )
    return [catalogue.BY_KEY[key] for key in dict.fromkeys(keys)]


def period_of(params, unit: OrgUnit | None) -> Period:
    """The period asked for, checked as the pages check it (order, at most three years)."""
    try:
        if "date_from" in params or "date_to" in params:
            if "period" in params:
                raise exceptions.ValidationError(
                    {"period": "Give either period or date_from and date_to."}
                )
            days = []
            for name in ("date_from", "date_to"):
                try:
                    days.append(datetime.date.fromisoformat(params.get(name, "").strip()))
                except ValueError:
                    raise exceptions.ValidationError({name: "A date as YYYY-MM-DD."}) from None
            return periods.custom(days[0], days[1])
        return periods.parse(params.get("period", ""), today=scope.today_for(unit))
    except periods.PeriodError as error:
        field = "period" if "period" in params else "date_to"
        raise exceptions.ValidationError({field: str(error)}) from None


def _after(params) -> int:
    if "cursor" not in params:
        return 0
    try:
        text = base64.urlsafe_b64decode(params["cursor"].encode("ascii")).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError):
        text = ""
    if not text.isdigit() or len(text) > 15:
        raise exceptions.ValidationError({"cursor": "Invalid cursor."})
    return int(text)


def _page_size(params) -> int:
    if "page_size" not in params:
        return PAGE
    value = params["page_size"].strip()
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= MAX_PAGE:
        raise exceptions.ValidationError({"page_size": f"A whole number from 1 to {MAX_PAGE}."})
    return int(value)


def by_unit(
    unit: OrgUnit, wanted: list[Metric], period: Period, after: int, size: int
) -> tuple[list[dict], bool]:
    """One row per child unit of `unit` after the cursor, each exact for its subtree."""
    children = list(
        OrgUnit.objects.filter(parent=unit, is_active=True, pk__gt=after).order_by("pk")[: size + 1]
    )
    more = len(children) > size
    children = children[:size]
    values: dict[object, dict] = {}
    if children:
        values = queries.measure(
            wanted,
            rows=Rows(paths=tuple(child.path for child in children)),
            start=period.start,
            end=period.end,
            group=queries.child_group(children),
        )
    empty = empty_reading(wanted, period) if len(values) < len(children) else {}
    return [
        reading(child, None, period, wanted, values.get(child.pk) or empty) for child in children
    ], more


def by_officer(
    unit: OrgUnit, wanted: list[Metric], period: Period, after: int, size: int
) -> tuple[list[dict], bool]:
    """One row per officer with a membership in `unit`'s subtree during the period."""
    member_ids = (
        Membership.objects.filter(unit__path__startswith=unit.path)
        .filter(role__in=[Membership.Role.OFFICER, Membership.Role.LEADER])
        .filter(start_date__lte=period.end)
        .exclude(end_date__lt=period.start)
        .values("user_id")
    )
    officers = list(
        User.objects.filter(pk__in=member_ids, pk__gt=after)
        .order_by("pk")
        .only("pk", "full_name", "username")[: size + 1]
    )
    more = len(officers) > size
    officers = officers[:size]
    values: dict[object, dict] = {}
    if officers:
        values = queries.measure(
            wanted,
            rows=Rows(paths=(unit.path,), officer_ids=tuple(o.pk for o in officers)),
            start=period.start,
            end=period.end,
            group="officer_id",
        )
    empty = empty_reading(wanted, period) if len(values) < len(officers) else {}
    return [
        reading(unit, officer, period, wanted, values.get(officer.pk) or empty)
        for officer in officers
    ], more


def empty_reading(wanted: list[Metric], period: Period) -> dict:
    """A reading of no rows: zeros for counts, null for medians and ratios."""
    return queries.measure(wanted, rows=Rows(), start=period.start, end=period.end)[None]


def reading(
    unit: OrgUnit, officer: User | None, period: Period, wanted: list[Metric], found: dict
) -> dict:
    return {
        "unit": unit.pk,
        "unit_name": unit.name,
        "officer": officer.pk if officer else None,
        "officer_name": (officer.full_name or officer.username) if officer else None,
        "date_from": period.start.isoformat(),
        "date_to": period.end.isoformat(),
        "values": {metric.key: found.get(metric.key) for metric in wanted},
    }


class PageSchema(AutoSchema):
    """The list answers one page object (its rows inside), not a bare array."""

    def _is_list_view(self, serializer=None) -> bool:
        return getattr(self.view, "action", None) == "definitions"


class MetricViewSet(ApiView, viewsets.ViewSet):
    """Metric values of a unit, its child units or its officers for a period, from the rollups."""

    resource = Resource.METRICS
    schema = PageSchema()
    lookup_value_regex = r"[0-9]{1,15}"

    def _unit(self, params) -> OrgUnit | None:
        if "unit" in params:
            return scope.unit_or_404(self.request.user, _whole_number(params, "unit"))
        found = scope.home_unit(self.request.user)
        return scope.unit_or_404(self.request.user, found.pk) if found else None

    @extend_schema(
        operation_id="metrics_list", parameters=LIST_PARAMETERS, responses=PageSerializer
    )
    def list(self, request):
        params = request.query_params
        by = params.get("by", "unit")
        if by not in BY:
            raise exceptions.ValidationError({"by": "unit or officer."})
        wanted = wanted_metrics(params)
        size, after = _page_size(params), _after(params)
        unit = self._unit(params)
        period = period_of(params, unit)
        if unit is None:
            return Response({"next": None, "previous": None, "results": []})
        if by == "unit":
            rows, more = by_unit(unit, wanted, period, after, size)
        else:
            rows, more = by_officer(unit, wanted, period, after, size)
            if rows:
                audit_read(
                    request,
                    object_type="accounts.user",
                    ids=[row["officer"] for row in rows],
                    resource="metric",
                )
        next_url = None
        if more:
            last = rows[-1]["officer" if by == "officer" else "unit"]
            cursor = base64.urlsafe_b64encode(str(last).encode()).decode()
            next_url = replace_query_param(request.build_absolute_uri(), "cursor", cursor)
        previous = remove_query_param(request.build_absolute_uri(), "cursor") if after else None
        return Response({"next": next_url, "previous": previous, "results": rows})

    @extend_schema(parameters=PERIOD_PARAMETERS, responses={200: ReadingSerializer, 304: None})
    def retrieve(self, request, pk=None):
        """The unit's own values (its whole subtree) for the period."""
        params = request.query_params
        wanted = wanted_metrics(params)
        unit = scope.unit_or_404(request.user, int(pk or 0))
        period = period_of(params, unit)
        found = queries.measure(
            wanted, rows=Rows(paths=(unit.path,)), start=period.start, end=period.end
        )[None]
        data = reading(unit, None, period, wanted, found)
        etag = etag_of(data)
        headers = {"ETag": etag, "Cache-Control": "no-store"}
        if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
        return Response(data, headers=headers)

    @extend_schema(responses=DefinitionSerializer)
    @action(detail=False)
    def definitions(self, request):
        """Every metric: its key, labels and the formula the pages show ("how is this counted?")."""
        return Response(
            [
                {
                    "key": metric.key,
                    "label_id": metric.label_id,
                    "label_en": metric.label_en,
                    "formula_id": metric.formula_id,
                    "formula_en": metric.formula_en,
                    "kind": metric.kind,
                    "unit": metric.unit,
                    "breakdown": metric.breakdown,
                }
                for metric in catalogue.METRICS
            ]
        )
