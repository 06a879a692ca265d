"""Duplicate review and merge of persons and places."""

from django.urls import path

from silahap.registry.views import duplicates

urlpatterns: list = [
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
]
