"""Writes to the registry: persons created and corrected, permits added; through the registry's
own forms (the same validation as the web pages) and services, idempotent per client with an
`Idempotency-Key` header."""

from __future__ import annotations

import hashlib
import json

from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from silahap.idempotency.once import create_once, key_from_header
from silahap.integration.api.registry import (
    PersonSerializer,
    PersonViewSet,
    StayPermitSerializer,
    StayPermitViewSet,
)
from silahap.integration.models import ApiWrite
from silahap.integration.principal import client_of
from silahap.integration.problems import KeyReused
from silahap.registry import services
from silahap.registry.forms.persons import PermitForm, PersonCreateForm, PersonForm
from silahap.registry.models import ForeignNational, PermitType, StayPermit, TravelDocument

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    location=OpenApiParameter.HEADER,
    description="Any string up to 255 characters: a repeat returns the first answer.",
)


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, so a typo is a 400 rather than silently ignored."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise exceptions.ValidationError({name: "Unknown field." for name in unknown})
        return super().to_internal_value(data)


def _text(max_length: int, **kwargs):
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True, **kwargs)


class PersonCreateSerializer(StrictSerializer):
    full_name = serializers.CharField(max_length=200)
    nationality = serializers.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")
    sex = serializers.ChoiceField(
        choices=ForeignNational.Sex.choices, default=ForeignNational.Sex.UNSPECIFIED
    )
    birth_date = serializers.DateField(required=False, allow_null=True)
    birth_place = _text(100)
    occupation = _text(150)
    address = _text(500)
    document_kind = serializers.ChoiceField(
        choices=TravelDocument.Kind.choices, default=TravelDocument.Kind.PASSPORT
    )
    document_number = _text(40)
    document_country = _text(2)
    document_expiry = serializers.DateField(required=False, allow_null=True)
    permit_type = serializers.ChoiceField(
        choices=PermitType.choices, required=False, allow_blank=True
    )
    permit_number = _text(40)
    visa_index = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**31 - 1
    )
    permit_issued_on = serializers.DateField(required=False, allow_null=True)
    permit_valid_until = serializers.DateField(required=False, allow_null=True)
    sponsor = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**31 - 1
    )


class PersonUpdateSerializer(StrictSerializer):
    full_name = serializers.CharField(max_length=200, required=False)
    sex = serializers.ChoiceField(choices=ForeignNational.Sex.choices, required=False)
    birth_date = serializers.DateField(required=False, allow_null=True)
    birth_place = _text(100)
    nationality = serializers.CharField(max_length=2, required=False)
    occupation = _text(150)
    address = _text(500)
    sponsor = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**31 - 1
    )


class PermitCreateSerializer(StrictSerializer):
    permit_type = serializers.ChoiceField(choices=PermitType.choices)
    visa_index = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**31 - 1
    )
    number = _text(40)
    issued_on = serializers.DateField(required=False, allow_null=True)
    valid_until = serializers.DateField(required=False, allow_null=True)
    sponsor = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**31 - 1
    )


def _form_data(values: dict) -> dict:
    """The validated JSON as the web form would have received it."""
    return {name: "" if value is None else str(value) for name, value in values.items()}


def _valid(form) -> dict:
    if not form.is_valid():
        raise exceptions.ValidationError(
            {field or "non_field_errors": messages for field, messages in form.errors.items()}
        )
    return form.cleaned_data


def once_per_key(request, perform) -> Response:
    """Answer a repeated Idempotency-Key with the first answer; nothing is written twice."""
    key = request.headers.get("Idempotency-Key")
    client = client_of(request.user)
    if key is None or client is None:
        with transaction.atomic():
            return perform()
    if not key.strip() or len(key) > 255:
        raise exceptions.ValidationError({"Idempotency-Key": "1 to 255 characters."})

    fingerprint = request_hash(request)

    def write() -> ApiWrite:
        response = perform()
        return ApiWrite.objects.create(
            api_client=client,
            client_id=key_from_header(key),
            method=request.method,
            path=request.path[:255],
            status_code=response.status_code,
            body=response.data,
            request_hash=fingerprint,
        )

    with transaction.atomic():
        record = create_once(
            ApiWrite, client_id=key_from_header(key), owner={"api_client": client}, create=write
        )
    if record.request_hash and record.request_hash != fingerprint:
        raise KeyReused()
    return Response(record.body, status=record.status_code)


def request_hash(request) -> str:
    """What a write asked for: method, path and its JSON body in a canonical form."""
    body = json.dumps(request.data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


class PersonWriteViewSet(PersonViewSet):
    """Persons, read and written."""

    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(
        request=PersonCreateSerializer,
        responses={201: PersonSerializer, 200: PersonSerializer},
        parameters=[IDEMPOTENCY_KEY],
    )
    def create(self, request, *args, **kwargs):
        values = PersonCreateSerializer(data=request.data)
        values.is_valid(raise_exception=True)

        def perform():
            data = _valid(PersonCreateForm(data=_form_data(values.validated_data)))
            data.pop("client_id", None)
            result = services.person_create(by=request.user, **data)
            person = self.get_queryset().get(pk=result.person.pk)
            code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
            return Response(PersonSerializer(person).data, status=code)

        return once_per_key(request, perform)

    @extend_schema(
        request=PersonUpdateSerializer, responses=PersonSerializer, parameters=[IDEMPOTENCY_KEY]
    )
    def partial_update(self, request, *args, **kwargs):
        person = self.get_object()
        values = PersonUpdateSerializer(data=request.data)
        values.is_valid(raise_exception=True)

        def perform():
            current = PersonSerializer(person).data
            merged = {name: current.get(name) for name in PersonForm.Meta.fields}
            merged.update(values.validated_data)
            form = PersonForm(data=_form_data(merged), instance=ForeignNational(pk=person.pk))
            cleaned = _valid(form)
            changes = {name: cleaned[name] for name in values.validated_data}
            services.person_update(by=request.user, person=person, **changes)
            return Response(PersonSerializer(self.get_queryset().get(pk=person.pk)).data)

        return once_per_key(request, perform)

    @extend_schema(
        request=PermitCreateSerializer,
        responses={201: StayPermitSerializer},
        parameters=[IDEMPOTENCY_KEY],
    )
    @action(detail=True, methods=["post"])
    def permits(self, request, pk=None):
        person = self.get_object()
        values = PermitCreateSerializer(data=request.data)
        values.is_valid(raise_exception=True)

        def perform():
            data = _valid(PermitForm(data=_form_data(values.validated_data)))
            permit = services.permit_add(by=request.user, person=person, **data)
            return Response(StayPermitSerializer(permit).data, status=status.HTTP_201_CREATED)

        return once_per_key(request, perform)


class PermitUpdateSerializer(StrictSerializer):
    permit_type = serializers.ChoiceField(choices=PermitType.choices, required=False)
    visa_index = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**31 - 1
    )
    number = _text(40)
    issued_on = serializers.DateField(required=False, allow_null=True)
    valid_until = serializers.DateField(required=False, allow_null=True)
    sponsor = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**31 - 1
    )


class PermitWriteViewSet(StayPermitViewSet):
    """Stay permits, read and corrected (PATCH): through PermitForm and registry.permit_update."""

    http_method_names = ["get", "patch", "head", "options"]

    @extend_schema(
        request=PermitUpdateSerializer, responses=StayPermitSerializer, parameters=[IDEMPOTENCY_KEY]
    )
    def partial_update(self, request, *args, **kwargs):
        permit = self.get_object()
        values = PermitUpdateSerializer(data=request.data)
        values.is_valid(raise_exception=True)

        def perform():
            current = {
                "permit_type": permit.permit_type,
                "visa_index": permit.visa_index_id,
                "number": permit.number,
                "issued_on": permit.issued_on,
                "valid_until": permit.valid_until,
                "sponsor": permit.sponsor_id,
            }
            current.update(values.validated_data)
            cleaned = _valid(PermitForm(data=_form_data(current)))
            changes = {name: cleaned[name] for name in values.validated_data}
            services.permit_update(by=request.user, permit=permit, **changes)
            return Response(StayPermitSerializer(StayPermit.objects.get(pk=permit.pk)).data)

        return once_per_key(request, perform)
