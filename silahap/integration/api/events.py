"""The event feed: business events in commit order (`position`), resumable from any cursor."""

from __future__ import annotations

from django.db.models import Max
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from silahap.events.models import BusinessEvent
from silahap.integration.api.base import ApiView
from silahap.integration.feed import (
    PUBLISHED_COLUMNS,
    PUBLISHED_TYPES,
    published,
    readable_events,
)
from silahap.integration.models import Resource

PAGE = 100
MAX_PAGE = 500


class EventSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="The event's cursor: pass it as ?after= to resume.")
    event_id = serializers.IntegerField()
    type = serializers.ChoiceField(choices=PUBLISHED_TYPES)
    occurred_at = serializers.DateTimeField()
    object_type = serializers.CharField()
    object_id = serializers.CharField()
    url = serializers.CharField(allow_null=True)
    tombstone = serializers.BooleanField()
    # The published shape names this field "data"; it shadows Serializer.data only here, where
    # the serializer documents the schema and never renders.
    data = serializers.DictField()  # type: ignore[assignment]


def _position(value: str, name: str) -> int:
    value = value.strip()
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise exceptions.ValidationError({name: "A cursor from this feed (digits)."})
    return int(value)


class EventFeedView(ApiView, APIView):
    resource = Resource.EVENTS

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "after",
                str,
                description="Cursor: the last event id read; 0 or absent from the start.",
            ),
            OpenApiParameter("limit", int, description=f"Events per page, 1 to {MAX_PAGE}."),
        ],
        responses=inline_serializer(
            "EventPage",
            {
                "results": EventSerializer(many=True),
                "next": serializers.CharField(help_text="Pass as ?after= for the next page."),
                "has_more": serializers.BooleanField(),
            },
        ),
    )
    def get(self, request):
        params = request.query_params
        after = _position(params["after"], "after") if "after" in params else 0
        limit = _position(params["limit"], "limit") if "limit" in params else PAGE
        if not 1 <= limit <= MAX_PAGE:
            raise exceptions.ValidationError({"limit": f"From 1 to {MAX_PAGE}."})
        # Only numbered (committed, sequenced) events; everything up to `high` is scanned once
        # this page is short, so the next cursor may move past events the caller may not read.
        high = BusinessEvent.objects.aggregate(high=Max("position"))["high"] or 0
        if after > high:
            raise exceptions.ValidationError({"after": "This cursor is ahead of the feed."})
        rows = list(
            BusinessEvent.objects.filter(position__gt=after, position__lte=high)
            .filter(readable_events(request.user))
            .order_by("position")
            .values_list(*PUBLISHED_COLUMNS)[: limit + 1]
        )
        has_more = len(rows) > limit
        rows = rows[:limit]
        next_cursor = rows[-1][0] if has_more else high
        return Response(
            {
                "results": [published(*row) for row in rows],
                "next": str(next_cursor),
                "has_more": has_more,
            }
        )
