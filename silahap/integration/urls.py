"""The API (/api/v1/) and the pages that manage clients and webhooks (/api/v1/console/).

A resource is one `register` line: operations and insights add theirs here the same way.
"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from silahap.integration.api.events import EventFeedView
from silahap.integration.api.registry import PlaceViewSet, SponsorViewSet, StayPermitViewSet
from silahap.integration.api.registry_writes import PersonWriteViewSet
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
router.register("permits", StayPermitViewSet, basename="permit")
router.register("sponsors", SponsorViewSet, basename="sponsor")
router.register("places", PlaceViewSet, basename="place")


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema; public like any published API description."""

    authentication_classes: list = []
    permission_classes: list = []

    @classmethod
    def as_view(cls, *args, **kwargs):
        view = super().as_view(*args, **kwargs)
        view.login_required = False
        return view


urlpatterns = [
    path("schema/", SchemaView.as_view(api_version="1"), name="schema"),
    path("events/", EventFeedView.as_view(), name="events"),
    *router.urls,
]
