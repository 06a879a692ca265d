"""The registry's pages, grouped by the record they show."""

from django.urls import path

from silahap.registry.views import (
    duplicates,
    hub,
    imports,
    lookups,
    mrz_photo,
    persons,
    places,
    sponsors,
    warnings,
)

app_name = "registry"

urlpatterns = [
    path("", hub.registry_index, name="index"),
    # Foreign nationals, their documents and permits.
    path("persons/", persons.person_search, name="person_search"),
    path("persons/new", persons.person_create, name="person_create"),
    path("persons/lookup", lookups.person_lookup, name="person_lookup"),
    path("persons/<int:pk>/", persons.person_detail, name="person_detail"),
    path("persons/<int:pk>/edit", persons.person_update, name="person_update"),
    path("persons/<int:pk>/documents/add", persons.document_add, name="document_add"),
    path("persons/<int:pk>/permits/add", persons.permit_add, name="permit_add"),
    path("mrz/parse", lookups.mrz_parse, name="mrz_parse"),
    path("mrz/photo", mrz_photo.mrz_photo_read, name="mrz_photo_read"),
    # Places under supervision.
    path("places/", places.place_list, name="place_list"),
    path("places/new", places.place_create, name="place_create"),
    path("places/near", places.places_near, name="places_near"),
    path("places/options", lookups.place_options, name="place_options"),
    path("places/<int:pk>/", places.place_detail, name="place_detail"),
    path("places/<int:pk>/edit", places.place_update, name="place_update"),
    path("areas/<str:level>/options", lookups.area_options, name="area_options"),
    # Sponsors (penjamin).
    path("sponsors/", sponsors.sponsor_list, name="sponsor_list"),
    path("sponsors/new", sponsors.sponsor_create, name="sponsor_create"),
    path("sponsors/<int:pk>/", sponsors.sponsor_detail, name="sponsor_detail"),
    path("sponsors/<int:pk>/edit", sponsors.sponsor_update, name="sponsor_update"),
    # Stay permits ending or ended.
    path("warnings/", warnings.permit_warnings, name="permit_warnings"),
    # Duplicate review and merge of persons and places.
    path("persons/duplicates/", duplicates.person_duplicates, name="person_duplicates"),
    path(
        "persons/duplicates/<int:first>/<int:second>/merge",
        duplicates.person_merge,
        name="person_merge",
    ),
    path(
        "persons/duplicates/<int:first>/<int:second>/dismiss",
        duplicates.person_duplicate_dismiss,
        name="person_duplicate_dismiss",
    ),
    path("places/duplicates/", duplicates.place_duplicates, name="place_duplicates"),
    path(
        "places/duplicates/<int:first>/<int:second>/merge",
        duplicates.place_merge,
        name="place_merge",
    ),
    path(
        "places/duplicates/<int:first>/<int:second>/dismiss",
        duplicates.place_duplicate_dismiss,
        name="place_duplicate_dismiss",
    ),
    # CSV and XLSX imports of persons and lodging reports.
    path("imports/", imports.import_list, name="import_list"),
    path("imports/layout/<str:kind>/", imports.import_layout, name="import_layout"),
    path("imports/template/<str:kind>.csv", imports.import_template, name="import_template"),
    path("imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress", imports.import_progress, name="import_progress"),
    path("imports/<int:pk>/confirm", imports.import_confirm, name="import_confirm"),
]
