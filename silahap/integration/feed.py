"""What the event feed and the webhooks publish of a business event: the same minimal summary.

An event names its object; the summary says what happened, when, and where to read the object,
never more personal data than that object's endpoint gives (no payload beyond a few ids and
states). Deletions and merges are tombstones, so `updated_since` plus the feed is a full sync.

An operation's events are read exactly as its resource (`/api/v1/operations/`): only while the
reader may read the operation itself. A national operation's events are held by the spine
until its start (`publish_at`), so they are numbered, and sent to webhooks, from then on.
"""

from __future__ import annotations

import datetime
import functools

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone

from silahap.accounts import access
from silahap.events.models import BusinessEvent
from silahap.events.types import EventType
from silahap.integration.models import Resource
from silahap.integration.principal import client_of
from silahap.operations.models import Operation, OperationKind

E = EventType
RESOURCE_OF_TYPE: dict[str, str] = {
    **{
        t: Resource.REPORTS
        for t in (
            E.REPORT_OPENED, E.REPORT_SUBMITTED, E.REPORT_APPROVED, E.REPORT_RETURNED,
            E.REPORT_CORRECTED, E.ACTIVITY_CREATED, E.ACTIVITY_UPDATED, E.ACTIVITY_DELETED,
            E.CHECK_RECORDED, E.CHECK_UPDATED, E.CHECK_DELETED, E.FINDING_RECORDED,
            E.FINDING_UPDATED, E.FINDING_DELETED, E.EVIDENCE_ADDED, E.EVIDENCE_ORIGINAL_VERIFIED,
            E.EVIDENCE_DELETED, E.COMMENT_POSTED,
        )
    },
    **{
        t: Resource.SUPERVISION
        for t in (
            E.WARRANT_CREATED, E.TASK_ASSIGNED, E.TASK_DONE, E.FOLLOWUP_OPENED,
            E.FOLLOWUP_STEP_ADDED, E.FOLLOWUP_STEP_UPDATED, E.FOLLOWUP_STEP_DONE, E.TAK_DECIDED,
            E.FOLLOWUP_CLOSED,
        )
    },
    **{
        t: Resource.PERSONS
        for t in (
            E.PERSON_CREATED, E.PERSON_UPDATED, E.PERSON_MERGED, E.DOCUMENT_ADDED,
            E.PERMIT_ADDED, E.PERMIT_UPDATED, E.SPONSOR_CREATED, E.SPONSOR_UPDATED,
            E.IMPORT_FINISHED,
        )
    },
    **{t: Resource.PLACES for t in (E.PLACE_CREATED, E.PLACE_UPDATED, E.PLACE_MERGED)},
    # An operation's course as an integrator follows it; its results are at its URL + results/.
    **{
        t: Resource.OPERATIONS
        for t in (
            E.OPERATION_STARTED, E.OPERATION_FINISHED, E.OPERATION_REPORTED,
            E.OPERATION_POSTPONED, E.OPERATION_CANCELLED,
        )
    },
}  # fmt: skip
# Events whose rows belong to a unit: the reader's scope is a unit subtree.
UNIT_BOUND = frozenset({Resource.REPORTS, Resource.SUPERVISION})
TOMBSTONES = frozenset(
    {
        E.ACTIVITY_DELETED, E.CHECK_DELETED, E.FINDING_DELETED, E.EVIDENCE_DELETED,
        E.PERSON_MERGED, E.PLACE_MERGED,
    }
)  # fmt: skip
PUBLISHED_TYPES = tuple(sorted(RESOURCE_OF_TYPE))
# Payload keys that carry ids and states only, never names or free text.
SAFE_PAYLOAD_KEYS = frozenset(
    {"status", "revision", "merged_into", "into", "survivor", "report", "activity", "followup",
     "step", "kind", "date", "permit_type", "flag"}
)  # fmt: skip

DETAIL_ROUTES = {
    "accounts.orgunit": "integration:unit-detail",
    "reports.dailyreport": "integration:report-detail",
    "reports.activity": "integration:activity-detail",
    "reports.check": "integration:check-detail",
    "reports.finding": "integration:finding-detail",
    "reports.evidence": "integration:evidence-detail",
    "supervision.followup": "integration:followup-detail",
    "supervision.followupstep": "integration:followup-step-detail",
    "supervision.warrant": "integration:warrant-detail",
    "supervision.task": "integration:task-detail",
    "registry.foreignnational": "integration:person-detail",
    "registry.staypermit": "integration:permit-detail",
    "registry.sponsor": "integration:sponsor-detail",
    "registry.place": "integration:place-detail",
    "operations.operation": "integration:operation-detail",
}


# A detail route's URL with this id in it, cut around it once per route (reversing per event was
# a third of a feed page's Python).
_ID_MARK = "9081726354"
# The columns `published` reads, for the feed's page (rows, not model instances).
PUBLISHED_COLUMNS = (
    "position", "pk", "type", "occurred_at", "object_type", "object_id", "payload",
)  # fmt: skip


@functools.lru_cache(maxsize=256)
def _route_around_id(route: str, urlconf: str | None, prefix: str) -> tuple[str, str] | None:
    try:
        parts = reverse(route, args=[_ID_MARK], urlconf=urlconf).split(_ID_MARK)
    except NoReverseMatch:
        return None
    return (parts[0], parts[1]) if len(parts) == 2 else None


def resource_url(object_type: str, object_id: str) -> str | None:
    route = DETAIL_ROUTES.get(object_type)
    if route is None or not object_id.isascii() or not object_id.isdigit():
        return None
    around = _route_around_id(route, get_urlconf(), get_script_prefix())
    return None if around is None else around[0] + object_id + around[1]


def summary(event: BusinessEvent) -> dict:
    """The published form of an event (feed item and webhook body alike)."""
    return published(*(getattr(event, column) for column in PUBLISHED_COLUMNS))


def published(
    position: int | None,
    event_id: int,
    type: str,
    occurred_at: datetime.datetime,
    object_type: str,
    object_id: str,
    payload: object,
) -> dict:
    """`summary` of an event read as the row of PUBLISHED_COLUMNS."""
    payload = payload if isinstance(payload, dict) else {}
    return {
        # A webhook may go out before the sweep numbers the event (within a minute): no cursor.
        "id": str(position) if position is not None else None,
        "event_id": event_id,
        "type": type,
        "occurred_at": occurred_at.isoformat().replace("+00:00", "Z"),
        "object_type": object_type,
        "object_id": object_id,
        "url": resource_url(object_type, object_id),
        "tombstone": type in TOMBSTONES,
        "data": {
            key: value
            for key, value in payload.items()
            if key in SAFE_PAYLOAD_KEYS
            and isinstance(value, int | bool | str)
            and len(str(value)) <= 40
        },
    }


def not_confidential(now: datetime.datetime) -> Q:
    """The operations whose existence may be told to an API client now: a national operation
    only from its start (the moment the spine releases its held events)."""
    return ~Q(kind=OperationKind.NATIONAL) | Q(starts_at__lte=now)


def readable_operations(user, now: datetime.datetime | None = None) -> QuerySet[Operation]:
    """The operations `/api/v1/operations/` gives this caller: visible_to, and for a client
    never a national operation before its start."""
    now = now or timezone.now()
    operations = Operation.objects.visible_to(user, now)
    if client_of(user) is not None:
        operations = operations.filter(not_confidential(now))
    return operations


def readable_events(user, now: datetime.datetime | None = None) -> Q:
    """The events a caller may read: their resources' types, inside their unit subtrees;
    an operation's events while the caller may read that operation."""
    client = client_of(user)
    if client is not None:
        if not client.allows(Resource.EVENTS):
            return Q(pk__in=[])
        resources = {r for r in Resource.values if client.allows(r)}
        units = [client.unit]
    else:
        resources = {Resource.UNITS}
        if access.is_immigration_staff(user):
            resources |= {Resource.PERSONS, Resource.PLACES, Resource.OPERATIONS}
        units = access.supervised_units(user)
        if units:
            resources |= UNIT_BOUND
    query = Q(pk__in=[])
    for resource in resources:
        types = [t for t, r in RESOURCE_OF_TYPE.items() if r == resource]
        if not types:
            continue
        if resource == Resource.OPERATIONS:
            keys = readable_operations(user, now).annotate(key=Cast("pk", CharField()))
            query |= Q(
                type__in=types,
                object_type=Operation._meta.label_lower,
                object_id__in=keys.values("key"),
            )
        elif resource in UNIT_BOUND:
            within = Q(pk__in=[])
            for unit in units:
                within |= Q(unit_path__startswith=unit.path)
            query |= Q(type__in=types) & within
        else:
            query |= Q(type__in=types)
    return query
