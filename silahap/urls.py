from django.urls import include, path

from silahap import views
from silahap.admin_site import admin_site

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("silahap.accounts.urls")),
    path("reports/", include("silahap.reports.urls")),
    path("registry/", include("silahap.registry.urls")),
    path("supervision/", include("silahap.supervision.urls")),
    path("audit/", include("silahap.audit.urls")),
    path("admin/", admin_site.urls),
]
