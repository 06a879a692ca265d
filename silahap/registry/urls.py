from django.urls import path

from silahap.registry import urls_directory, urls_duplicates, urls_imports, views
from silahap.registry.views.hub import registry_index
from silahap.registry.views.places import place_detail

app_name = "registry"

urlpatterns = [
    path("", registry_index, name="index"),
    path("persons/", views.person_search, name="person_search"),
    path("persons/new", views.person_create, name="person_create"),
    path("persons/lookup", views.person_lookup, name="person_lookup"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("persons/<int:pk>/edit", views.person_update, name="person_update"),
    path("persons/<int:pk>/documents/add", views.document_add, name="document_add"),
    path("persons/<int:pk>/permits/add", views.permit_add, name="permit_add"),
    path("places/options", views.place_options, name="place_options"),
    path("places/<int:pk>/", place_detail, name="place_detail"),
    path("areas/<str:level>/options", views.area_options, name="area_options"),
    path("mrz/parse", views.mrz_parse, name="mrz_parse"),
]
# Each part keeps its routes beside its views.
urlpatterns += urls_directory.urlpatterns + urls_duplicates.urlpatterns + urls_imports.urlpatterns
