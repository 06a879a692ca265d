"""What every API view shares: who may call it, how it pages, filters, caches and audits."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.authentication import BaseAuthentication
from rest_framework.parsers import BaseParser, JSONParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from silahap.audit import services as audit
from silahap.integration.authentication import ApiTokenAuthentication, SessionAuthentication
from silahap.integration.filters import Filters
from silahap.integration.pagination import StableCursorPagination
from silahap.integration.principal import client_of
from silahap.integration.problems import PayloadTooLarge, problem_exception_handler
from silahap.integration.throttling import ClientRateThrottle

if TYPE_CHECKING:
    from rest_framework.permissions import _PermissionClass
    from rest_framework.throttling import BaseThrottle

# A person or a permit is a few hundred bytes; nothing the API accepts needs more.
MAX_BODY_BYTES = 64 * 1024
AUDITED_IDS = 200


class ClientScope(permissions.BasePermission):
    """A client reads only the resources of its scope (approved when sensitive) and writes only
    with read-write access; a signed-in person is limited by visible_to and the services."""

    message = "This client's scope does not include this resource or method."

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        client = client_of(request.user)
        if client is None:
            return True
        if not client.allows(view.resource):
            return False
        return request.method in permissions.SAFE_METHODS or client.can_write


class ApiView:
    """Settings of every API view; `as_view` opts out of the site's login redirect, since the
    API answers 401 with a problem document instead."""

    authentication_classes: Sequence[type[BaseAuthentication]] = [
        ApiTokenAuthentication,
        SessionAuthentication,
    ]
    permission_classes: Sequence[_PermissionClass] = [ClientScope]
    throttle_classes: Sequence[type[BaseThrottle]] = [ClientRateThrottle]
    parser_classes: Sequence[type[BaseParser]] = [JSONParser]
    renderer_classes: Sequence[type[BaseRenderer]] = [JSONRenderer]
    resource = ""

    @classmethod
    def as_view(cls, *args, **kwargs):
        view = super().as_view(*args, **kwargs)
        view.login_required = False
        return view

    def get_exception_handler(self):
        return problem_exception_handler

    def initial(self, request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY_BYTES:
            raise PayloadTooLarge()
        super().initial(request, *args, **kwargs)


def audit_read(request, *, object_type: str, ids: list, resource: str) -> None:
    """Every read of personal data through the API is on the trail, naming who read it."""
    client = client_of(request.user)
    # Committed with the request, durably (a read of personal data is never lost from the
    # trail); sealed into the chain by the next sealer, not while the client waits.
    audit.record(
        action="api.read",
        actor=request.user,
        object_type=object_type,
        object_id=ids[0] if len(ids) == 1 else "",
        summary={
            "client": client.name if client else None,
            "client_id": client.pk if client else None,
            "resource": resource,
            "ids": ids[:AUDITED_IDS],
            "count": len(ids),
        },
        purpose="api",
        seal_after_commit=False,
    )


def etag_of(data) -> str:
    text = json.dumps(data, sort_keys=True, cls=DjangoJSONEncoder)
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:40] + '"'


class ResourceViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    """A read-only resource over `Model.objects.visible_to(user)`, filtered, paged by cursor."""

    serializer_class: type[serializers.ModelSerializer[Any]]
    pagination_class = StableCursorPagination
    filters = Filters()
    # Rows holding personal data are audited on every read.
    personal = False

    def scope(self, queryset):
        """Narrow visible rows further (closed activities...); select what the serializer reads."""
        return queryset

    def get_queryset(self):
        model = self.serializer_class.Meta.model
        if getattr(self, "swagger_fake_view", False):
            return model.objects.none()  # the schema generator has no user
        return self.scope(model.objects.visible_to(self.request.user))

    def filter_queryset(self, queryset):
        return self.filters.apply(queryset, self.request.query_params)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        if self.personal:
            ids = [row["id"] for row in response.data["results"]]
            if ids:
                audit_read(request, object_type=self.object_type(), ids=ids, resource=self.basename)
        return response

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self.get_serializer(instance).data
        etag = etag_of(data)
        if self.personal:
            audit_read(
                request, object_type=self.object_type(), ids=[instance.pk], resource=self.basename
            )
        # no-store, like every page with personal data: no browser or proxy keeps the body. A
        # client keeps the ETag itself and sends it back in If-None-Match to get a 304.
        headers = {"ETag": etag, "Cache-Control": "no-store"}
        if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
        return Response(data, headers=headers)

    def object_type(self) -> str:
        # The serializer's model, as get_queryset reads it (without building the query again).
        model: type[Model] = self.serializer_class.Meta.model
        return model._meta.label_lower


def documented(viewset):
    """Put the view's filters into the schema of its list."""
    return extend_schema_view(
        list=extend_schema(parameters=viewset.filters.parameters()),
        retrieve=extend_schema(responses={200: viewset.serializer_class, 304: None}),
    )(viewset)
