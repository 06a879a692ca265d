"""Sponsor and place lists, pages and forms; places near a point; permit warnings."""

from django.urls import path

from silahap.registry.views import places, sponsors, warnings

urlpatterns = [
    path("sponsors/", sponsors.sponsor_list, name="sponsor_list"),
    path("sponsors/new", sponsors.sponsor_create, name="sponsor_create"),
    path("sponsors/<int:pk>/", sponsors.sponsor_detail, name="sponsor_detail"),
    path("sponsors/<int:pk>/edit", sponsors.sponsor_update, name="sponsor_update"),
    path("places/", places.place_list, name="place_list"),
    path("places/new", places.place_create, name="place_create"),
    path("places/near", places.places_near, name="places_near"),
    path("places/<int:pk>/edit", places.place_update, name="place_update"),
    path("warnings/", warnings.permit_warnings, name="permit_warnings"),
]
