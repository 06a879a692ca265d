from django.urls import path

from silahap.registry import views

app_name = "registry"

urlpatterns = [
    path("persons/lookup", views.person_lookup, name="person_lookup"),
    path("places/options", views.place_options, name="place_options"),
    path("areas/<str:level>/options", views.area_options, name="area_options"),
    path("mrz/parse", views.mrz_parse, name="mrz_parse"),
]
