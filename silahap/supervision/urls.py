from django.urls import path

from silahap.accounts.offline import field_screen
from silahap.supervision import views

app_name = "supervision"

urlpatterns = [
    path("board/", views.board, name="board"),
    path("board/feed/", views.board_feed, name="board_feed"),
    path("warrants/", views.warrant_list, name="warrant_list"),
    path("warrants/<int:pk>/", views.warrant_detail, name="warrant_detail"),
    path("warrants/<int:pk>/scan", views.warrant_scan, name="warrant_scan"),
    path("warrants/<int:pk>/tasks/", views.task_create, name="task_create"),
    path("tasks/", field_screen(views.my_tasks), name="my_tasks"),
    path("tasks/<int:pk>/link/", views.task_link, name="task_link"),
    path("followups/", views.followup_list, name="followup_list"),
    path("findings/<int:finding_pk>/followup/", views.followup_open, name="followup_open"),
    path("followups/<int:pk>/", views.followup_detail, name="followup_detail"),
    path("followups/<int:pk>/steps/", views.followup_step_add, name="followup_step_add"),
    path("followups/<int:pk>/close/", views.followup_close, name="followup_close"),
    path("steps/<int:pk>/", views.followup_step_update, name="followup_step_update"),
    path("absences/", views.absence_list, name="absence_list"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read/", views.notification_read, name="notification_read"),
]
