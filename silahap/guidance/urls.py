from django.urls import path

from silahap.guidance.views import directions

app_name = "guidance"

urlpatterns = [
    path("directions/", directions.direction_list, name="direction_list"),
    path("directions/new/", directions.direction_create, name="direction_create"),
    path("directions/<int:pk>/", directions.direction_detail, name="direction_detail"),
    path(
        "directions/<int:pk>/read/", directions.direction_acknowledge, name="direction_acknowledge"
    ),
    path("directions/<int:pk>/done/", directions.direction_done, name="direction_done"),
    path("directions/<int:pk>/note/", directions.direction_note, name="direction_note"),
    path("directions/<int:pk>/remind/", directions.direction_remind, name="direction_remind"),
    path(
        "directions/<int:pk>/attachment/",
        directions.direction_attachment,
        name="direction_attachment",
    ),
]
