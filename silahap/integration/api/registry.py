"""The national registry: foreign nationals with documents, permits and sightings; places;
sponsors. Writes (persons, permits) are in `registry_writes`."""

from __future__ import annotations

from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from silahap.integration.api.base import ResourceViewSet, audit_read, documented
from silahap.integration.api.reports import CheckSerializer, open_or_readable
from silahap.integration.api.serializers import ApiModelSerializer
from silahap.integration.filters import Filters, updated_since
from silahap.integration.models import Resource
from silahap.registry.models import ForeignNational, Place, Sponsor, StayPermit, TravelDocument
from silahap.reports.models import Check


class TravelDocumentSerializer(ApiModelSerializer):
    issuing_country = serializers.CharField(read_only=True)

    class Meta:
        model = TravelDocument
        fields = [
            "id",
            "kind",
            "number",
            "issuing_country",
            "expiry_date",
            "created_at",
            "updated_at",
        ]


class StayPermitSerializer(ApiModelSerializer):
    visa_index_code = serializers.CharField(
        source="visa_index.code", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = StayPermit
        fields = [
            "id",
            "person",
            "permit_type",
            "visa_index",
            "visa_index_code",
            "number",
            "issued_on",
            "valid_until",
            "sponsor",
            "created_at",
            "updated_at",
        ]


class PersonSerializer(ApiModelSerializer):
    nationality = serializers.CharField(read_only=True)
    documents = TravelDocumentSerializer(many=True, read_only=True)
    permits = StayPermitSerializer(many=True, read_only=True)

    class Meta:
        model = ForeignNational
        fields = [
            "id",
            "full_name",
            "sex",
            "birth_date",
            "birth_place",
            "nationality",
            "occupation",
            "address",
            "regency",
            "sponsor",
            "merged_into",
            "permit_valid_until",
            "documents",
            "permits",
            "created_at",
            "updated_at",
        ]


PERSON_FILTERS = Filters(parents=(("sponsor", "sponsor_id"),))


@documented
class PersonViewSet(ResourceViewSet):
    resource = Resource.PERSONS
    serializer_class = PersonSerializer
    personal = True
    filters = PERSON_FILTERS

    def scope(self, queryset):
        return queryset.prefetch_related("documents", "permits__visa_index")

    def filter_queryset(self, queryset):
        """A person changes with their nested documents and permits: `updated_since` finds them
        too (and the warning columns, kept by bulk updates, follow the permits)."""
        params = self.request.query_params
        if "updated_since" not in params:
            return super().filter_queryset(queryset)
        since = updated_since(params["updated_since"])
        rest = params.copy()
        del rest["updated_since"]
        changed = (
            Q(updated_at__gte=since)
            | Q(pk__in=StayPermit.objects.filter(updated_at__gte=since).values("person_id"))
            | Q(pk__in=TravelDocument.objects.filter(updated_at__gte=since).values("person_id"))
        )
        return self.filters.apply(queryset, rest).filter(changed)

    @extend_schema(responses=CheckSerializer(many=True))
    @action(detail=True, methods=["get"])
    def sightings(self, request, pk=None):
        """Where the person was checked, as far as the caller may read those reports."""
        person = self.get_object()
        checks = (
            Check.objects.visible_to(request.user)
            .filter(person=person)
            .filter(open_or_readable(request.user, "activity__"))
            .order_by("id")
        )
        page = self.paginate_queryset(checks)
        data = CheckSerializer(page, many=True, context=self.get_serializer_context()).data
        audit_read(
            request, object_type="registry.foreignnational", ids=[person.pk], resource="sightings"
        )
        return self.get_paginated_response(data)


@documented
class StayPermitViewSet(ResourceViewSet):
    resource = Resource.PERSONS
    serializer_class = StayPermitSerializer
    personal = True
    filters = Filters(
        date_field="valid_until",
        parents=(("person", "person_id"), ("sponsor", "sponsor_id")),
    )

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return StayPermit.objects.none()
        persons = ForeignNational.objects.visible_to(self.request.user)
        return StayPermit.objects.filter(person__in=persons).select_related("visa_index")


class SponsorSerializer(ApiModelSerializer):
    class Meta:
        model = Sponsor
        fields = [
            "id",
            "kind",
            "name",
            "identity_number",
            "address",
            "regency",
            "phone",
            "created_at",
            "updated_at",
        ]


@documented
class SponsorViewSet(ResourceViewSet):
    resource = Resource.PERSONS
    serializer_class = SponsorSerializer
    personal = True
    filters = Filters()


class PlaceSerializer(ApiModelSerializer):
    class Meta:
        model = Place
        fields = [
            "id",
            "name",
            "kind",
            "address",
            "regency",
            "district",
            "village",
            "latitude",
            "longitude",
            "merged_into",
            "created_at",
            "updated_at",
        ]


@documented
class PlaceViewSet(ResourceViewSet):
    resource = Resource.PLACES
    serializer_class = PlaceSerializer
    filters = Filters()
