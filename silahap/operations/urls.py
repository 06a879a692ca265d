from django.urls import path

from silahap.operations.views import documents, live, national, operations, teams

app_name = "operations"

urlpatterns = [
    path("", operations.operation_list, name="operation_list"),
    path("new/", operations.operation_create, name="operation_create"),
    path("<int:pk>/", operations.operation_detail, name="operation_detail"),
    path(
        "<int:pk>/plan/<slug:part>/",
        operations.operation_plan,
        name="operation_plan",
    ),
    path("<int:pk>/approve/", operations.operation_approve, name="operation_approve"),
    path("<int:pk>/finish/", operations.operation_finish, name="operation_finish"),
    path("<int:pk>/report/", operations.operation_report, name="operation_report"),
    path("<int:pk>/stop/", operations.operation_stop, name="operation_stop"),
    path("<int:pk>/live/", live.operation_live, name="operation_live"),
    path("<int:pk>/live/feed/", live.operation_live_feed, name="operation_live_feed"),
    path("<int:pk>/actions/", live.partner_action_create, name="partner_action_create"),
    path("actions/<int:pk>/photo/", live.partner_action_photo, name="partner_action_photo"),
    path("<int:pk>/report.pdf", documents.operation_pdf, name="operation_pdf"),
    path("<int:pk>/report.xlsx", documents.operation_xlsx, name="operation_xlsx"),
    path("teams/", teams.team_list, name="team_list"),
    path("teams/<int:pk>/", teams.team_detail, name="team_detail"),
    path("teams/<int:pk>/members/", teams.team_member_add, name="team_member_add"),
    path("teams/<int:pk>/meetings/", teams.meeting_record, name="meeting_record"),
    path("decisions/<int:pk>/done/", teams.decision_complete, name="decision_complete"),
    path("national/", national.national_list, name="national_list"),
    path("national/<int:pk>/", national.national_rollup, name="national_rollup"),
    path(
        "national/<int:pk>/league.xlsx", national.national_rollup_xlsx, name="national_rollup_xlsx"
    ),
]
