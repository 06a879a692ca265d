"""CSV and XLSX imports of persons and lodging reports."""

from django.urls import path

from silahap.registry.views import imports

urlpatterns = [
    path("imports/", imports.import_list, name="import_list"),
    path("imports/layout/<str:kind>/", imports.import_layout, name="import_layout"),
    path("imports/template/<str:kind>.csv", imports.import_template, name="import_template"),
    path("imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress", imports.import_progress, name="import_progress"),
    path("imports/<int:pk>/confirm", imports.import_confirm, name="import_confirm"),
]
