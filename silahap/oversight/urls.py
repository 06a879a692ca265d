"""Audit search, the PDP export, retention and the incident register."""

from django.urls import path

from silahap.oversight import views

app_name = "audit"

urlpatterns = [
    path("", views.search, name="search"),
    path("person/<int:pk>/export/", views.person_data_export, name="person_data_export"),
    path("incidents/", views.incident_list, name="incident_list"),
    path("incidents/new/", views.incident_create, name="incident_create"),
    path("incidents/<int:pk>/", views.incident_update, name="incident_update"),
]
