from django.urls import path

from silahap.accounts.offline import field_screen
from silahap.reports.views import corrections, field, review

app_name = "reports"

urlpatterns = [
    path("today/", field_screen(field.today), name="today"),
    path("mine/", field_screen(field.my_reports), name="my_reports"),
    path("<int:pk>/", field_screen(field.report_detail), name="report_detail"),
    path("<int:pk>/submit/", field.report_submit, name="report_submit"),
    path("activities/new/", field_screen(field.activity_create), name="activity_create"),
    path("activities/new/area/", field.area_proposal, name="area_proposal"),
    path("activities/<int:pk>/", field_screen(field.activity_detail), name="activity_detail"),
    path(
        "activities/<int:pk>/edit/",
        field_screen(corrections.activity_update),
        name="activity_update",
    ),
    path("activities/<int:pk>/delete/", corrections.activity_delete, name="activity_delete"),
    path("activities/<int:pk>/checks/", field.check_create, name="check_create"),
    path("checks/<int:pk>/edit/", corrections.check_update, name="check_update"),
    path("checks/<int:pk>/delete/", corrections.check_delete, name="check_delete"),
    path(
        "checks/<int:pk>/identity/",
        corrections.check_identity_confirm,
        name="check_identity_confirm",
    ),
    path("findings/<int:pk>/edit/", corrections.finding_update, name="finding_update"),
    path("findings/<int:pk>/delete/", corrections.finding_delete, name="finding_delete"),
    path("photos/<int:pk>/delete/", corrections.evidence_delete, name="evidence_delete"),
    path("activities/<int:pk>/findings/", field.finding_create, name="finding_create"),
    path("activities/<int:pk>/photos/", field.evidence_add, name="evidence_add"),
    path("photos/<uuid:key>/original/", field.evidence_original_add, name="evidence_original_add"),
    path("photos/<int:pk>/<str:variant>", field.evidence_file, name="evidence_file"),
    path("review/", review.review_queue, name="review_queue"),
    path("<int:pk>/approve/", review.report_approve, name="report_approve"),
    path("<int:pk>/return/", review.report_return, name="report_return"),
    path("<int:pk>/revise/", review.report_revise, name="report_revise"),
    path("<int:pk>/comments/", review.comment_create, name="comment_create"),
]
