from django.urls import path

from silahap.guidance.views import completion, directions, library, tutorials

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
    path("sop/", library.sop_list, name="sop_list"),
    path("sop/new/", library.sop_create, name="sop_create"),
    path("sop/<int:pk>/", library.sop_detail, name="sop_detail"),
    path("sop/<int:pk>/versions/", library.sop_version_publish, name="sop_version_publish"),
    path("sop/versions/<int:pk>/file/", library.sop_version_file, name="sop_version_file"),
    path("sop/versions/<int:pk>/read/", library.sop_acknowledge, name="sop_acknowledge"),
    path("tutorials/", tutorials.tutorial_list, name="tutorial_list"),
    path("tutorials/new/", tutorials.tutorial_create, name="tutorial_create"),
    path("tutorials/<int:pk>/", tutorials.tutorial_detail, name="tutorial_detail"),
    path("tutorials/<int:pk>/media/<str:kind>/", tutorials.tutorial_media, name="tutorial_media"),
    path("tutorials/<int:pk>/progress/", tutorials.tutorial_progress, name="tutorial_progress"),
    path("tutorials/<int:pk>/quiz/", tutorials.tutorial_quiz, name="tutorial_quiz"),
    path("training/", completion.training, name="training"),
    path("completion/", completion.completion_matrix, name="completion_matrix"),
    path("completion/remind/", completion.completion_remind, name="completion_remind"),
    path("completion/export/", completion.completion_export, name="completion_export"),
]
