from django.urls import path

from silahap.insights.views import evaluation, exports, league
from silahap.insights.views import map as map_pages

app_name = "insights"

urlpatterns = [
    path("", evaluation.index, name="index"),
    path("me/", evaluation.me, name="me"),
    path("metrics/", evaluation.metric_help, name="metric_help"),
    path("league/", league.league, name="league"),
    path("map/", map_pages.supervision_map, name="map"),
    path("map/feed/", map_pages.map_feed, name="map_feed"),
    path("map/list/", map_pages.map_list, name="map_list"),
    path("officer/<int:pk>/", evaluation.officer, name="officer"),
    path("officer/<int:pk>/metrics.<str:fmt>", evaluation.officer_export, name="officer_export"),
    path("unit/<int:pk>/", evaluation.unit, name="unit"),
    path("unit/<int:pk>/recap.pdf", evaluation.unit_recap_pdf, name="unit_recap_pdf"),
    path("unit/<int:pk>/comment/", evaluation.recap_comment, name="recap_comment"),
    path("unit/<int:pk>/<str:table>.<str:fmt>", evaluation.unit_export, name="unit_export"),
    path("unit/<int:pk>/rows/<str:kind>.csv", exports.unit_rows_csv, name="unit_rows_csv"),
    path("unit/<int:pk>/rows/<str:kind>.xlsx", exports.unit_rows_xlsx, name="unit_rows_xlsx"),
    path("exports/<int:pk>/", exports.export_job, name="export_job"),
    path("exports/<int:pk>/file", exports.export_download, name="export_download"),
    path("exports/<int:pk>/progress", exports.export_progress, name="export_progress"),
]
