from django.urls import path

from silahap.insights import views, views_map

app_name = "insights"

urlpatterns = [
    path("", views.index, name="index"),
    path("me/", views.me, name="me"),
    path("metrics/", views.metric_help, name="metric_help"),
    path("league/", views.league, name="league"),
    path("map/", views_map.supervision_map, name="map"),
    path("map/feed/", views_map.map_feed, name="map_feed"),
    path("map/list/", views_map.map_list, name="map_list"),
    path("officer/<int:pk>/", views.officer, name="officer"),
    path("officer/<int:pk>/metrics.<str:fmt>", views.officer_export, name="officer_export"),
    path("unit/<int:pk>/", views.unit, name="unit"),
    path("unit/<int:pk>/recap.pdf", views.unit_recap_pdf, name="unit_recap_pdf"),
    path("unit/<int:pk>/comment/", views.recap_comment, name="recap_comment"),
    path("unit/<int:pk>/<str:table>.<str:fmt>", views.unit_export, name="unit_export"),
    path("unit/<int:pk>/rows/<str:kind>.csv", views.unit_rows_csv, name="unit_rows_csv"),
    path("unit/<int:pk>/rows/<str:kind>.xlsx", views.unit_rows_xlsx, name="unit_rows_xlsx"),
    path("exports/<int:pk>/", views.export_job, name="export_job"),
    path("exports/<int:pk>/file", views.export_download, name="export_download"),
    path("exports/<int:pk>/progress", views.export_progress, name="export_progress"),
]
