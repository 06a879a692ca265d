"""The bell's unread count for every page, computed only when a template shows it."""

from __future__ import annotations

from django.db.models import Count

from silahap.statements import Statement
from silahap.supervision import services
from silahap.supervision.models import Notification
from silahap.supervision.queries import tasks_for_officer

# Counted on every page with the bell: compiled once per connection (silahap/statements.py),
# as the COUNT the ORM would build (~0.5 ms of building and compiling it each time). One row, or
# none when nothing is unread.
_UNREAD = Statement(
    lambda user: (
        Notification.objects.filter(recipient_id=user)
        .unread()
        .order_by()
        .values("recipient_id")
        .annotate(unread=Count("pk"))
        .values_list("unread")
    ),
    Notification._meta.get_field("recipient"),
)


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    rows = _UNREAD.rows(Notification.objects.db, user.pk)
    return rows[0][0] if rows else 0


def officer_tasks_context(user) -> dict:
    """What `supervision/_officer_tasks.html` needs: the officer's open tasks, overdue marked."""
    if not user.is_authenticated:
        return {"supervision_tasks": []}
    return {"supervision_tasks": list(tasks_for_officer(user)[:20])}


def notifications(request):
    """Add `notification_unread`; a callable, so pages without the bell run no query. A page
    that a notification points to clears it when opened, before the bell counts."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"notification_unread": 0}

    return {"notification_unread": lambda: bell_count(request)}


def bell_count(request) -> int:
    """The bell's number: unread notifications about things still open (a decided report's,
    a step done's are read when it closes). Opening the page a notification points to clears
    it first; a page with nothing unread costs one query, as before."""
    user = request.user
    unread = unread_count(user)
    if unread and request.method == "GET":
        unread -= services.notifications_opened(by=user, url=request.path)
    return unread
