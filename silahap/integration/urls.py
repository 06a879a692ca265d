"""The API (/api/v1/) and the pages that manage clients and webhooks (/api/v1/console/).

A resource is one `register` line: operations and insights add theirs here the same way.
"""

import functools

from django.urls import path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from silahap.integration.api.events import EventFeedView
from silahap.integration.api.metrics import MetricViewSet
from silahap.integration.api.operations import OperationViewSet
from silahap.integration.api.registry import PlaceViewSet, SponsorViewSet
from silahap.integration.api.registry_writes import PermitWriteViewSet, PersonWriteViewSet
from silahap.integration.api.reports import (
    ActivityViewSet,
    CheckViewSet,
    DailyReportViewSet,
    EvidenceViewSet,
    FindingViewSet,
)
from silahap.integration.api.supervision import (
    FollowUpStepViewSet,
    FollowUpViewSet,
    TaskViewSet,
    WarrantViewSet,
)
from silahap.integration.api.units import OrgUnitViewSet
from silahap.integration.views import console
from silahap.integration.views.permit_status import permit_status
from silahap.integration.views.reference import reference

app_name = "integration"

router = SimpleRouter()
router.register("units", OrgUnitViewSet, basename="unit")
router.register("reports", DailyReportViewSet, basename="report")
router.register("activities", ActivityViewSet, basename="activity")
router.register("checks", CheckViewSet, basename="check")
router.register("findings", FindingViewSet, basename="finding")
router.register("evidence", EvidenceViewSet, basename="evidence")
router.register("followups", FollowUpViewSet, basename="followup")
router.register("followup-steps", FollowUpStepViewSet, basename="followup-step")
router.register("warrants", WarrantViewSet, basename="warrant")
router.register("tasks", TaskViewSet, basename="task")
router.register("persons", PersonWriteViewSet, basename="person")
router.register("permits", PermitWriteViewSet, basename="permit")
router.register("sponsors", SponsorViewSet, basename="sponsor")
router.register("places", PlaceViewSet, basename="place")
router.register("operations", OperationViewSet, basename="operation")
router.register("metrics", MetricViewSet, basename="metric")


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema; public like any published API description."""

    authentication_classes: list = []
    permission_classes: list = []

    @classmethod
    def as_view(cls, *args, **kwargs):
        view = super().as_view(*args, **kwargs)

        @functools.wraps(view)
        def schema(request, *view_args, **view_kwargs):
            response = view(request, *view_args, **view_kwargs)
            # Like every page: the schema changes with each release; nothing keeps an old one.
            response["Cache-Control"] = "no-store"
            return response

        schema.login_required = False
        return schema


urlpatterns = [
    path("console/", RedirectView.as_view(pattern_name="integration:client_list"), name="console"),
    path("schema/", SchemaView.as_view(api_version="1"), name="schema"),
    path("reference/", reference, name="reference"),
    path("permit-status/", permit_status, name="permit_status"),
    path("console/clients/", console.client_list, name="client_list"),
    path("console/clients/<int:pk>/", console.client_detail, name="client_detail"),
    path("console/clients/<int:pk>/approve/", console.client_approve, name="client_approve"),
    path("console/clients/<int:pk>/revoke/", console.client_revoke, name="client_revoke"),
    path("console/clients/<int:pk>/tokens/", console.token_issue, name="token_issue"),
    path(
        "console/clients/<int:pk>/webhooks/",
        console.subscription_create,
        name="subscription_create",
    ),
    path("console/tokens/<int:pk>/revoke/", console.token_revoke, name="token_revoke"),
    path("console/webhooks/<int:pk>/", console.subscription_detail, name="subscription_detail"),
    path(
        "console/webhooks/<int:pk>/enable/",
        console.subscription_enable,
        name="subscription_enable",
    ),
    path("console/deliveries/<int:pk>/resend/", console.delivery_resend, name="delivery_resend"),
    path("events/", EventFeedView.as_view(), name="events"),
    *router.urls,
]
