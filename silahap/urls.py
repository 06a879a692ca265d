from django.urls import include, path

from silahap import metrics, views
from silahap.accounts.offline import field_screen
from silahap.admin_site import admin_site

urlpatterns = [
    path("", field_screen(views.home), name="home"),
    path("", include("silahap.accounts.urls")),
    path("reports/", include("silahap.reports.urls")),
    path("registry/", include("silahap.registry.urls")),
    path("supervision/", include("silahap.supervision.urls")),
    path("operations/", include("silahap.operations.urls")),
    path("guidance/", include("silahap.guidance.urls")),
    path("insights/", include("silahap.insights.urls")),
    path("api/v1/", include("silahap.integration.urls")),
    path("audit/", include("silahap.oversight.urls")),
    path("admin/", admin_site.urls),
    # For the monitoring server only: 404 without SILAHAP_METRICS_TOKEN (silahap/metrics.py).
    path("metrics", metrics.metrics, name="metrics"),
]
