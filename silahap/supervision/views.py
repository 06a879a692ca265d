"""Leaders' live board, warrants and tasks, follow-ups, absences and the notification bell."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from silahap import changes, inputs, limits
from silahap.accounts import access
from silahap.accounts.models import Membership
from silahap.reports.models import Activity, Finding
from silahap.reports.queries import pending_reviews, review_queue_heads
from silahap.storage import file_response
from silahap.supervision import board_poll, queries, services
from silahap.supervision.forms import (
    AbsenceForm,
    FollowUpFilterForm,
    StepForm,
    StepUpdateForm,
    TaskForm,
    TaskLinkForm,
    WarrantForm,
)
from silahap.supervision.models import (
    Absence,
    FollowUp,
    FollowUpStep,
    Notification,
    Task,
    Warrant,
)
from silahap.supervision.notifications import text as notification_text

LOOKBACK_DAYS = 7


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _leader_units(request):
    units = queries.leader_units(request.user)
    if not units:
        raise PermissionDenied("the board is for leaders")
    return units


def _point(activity: Activity, show: bool) -> dict | None:
    # The database holds both coordinates or neither (point_is_valid).
    if not show or activity.latitude is None or activity.longitude is None:
        return None
    return {
        "id": activity.pk,
        "lat": float(activity.latitude),
        "lng": float(activity.longitude),
        "label": f"{timezone.localtime(activity.started_at):%H:%M} {activity.report.officer}",
    }


def _board_rows(request, activities) -> list[Activity]:
    for activity in activities:
        activity.show_details = access.can(request.user, "read_details", activity)
        activity.point = _point(activity, activity.show_details)
    return activities


# ---------------------------------------------------------------------------- live board


@require_GET
def board(request):
    """Today in the leader's units: activities as they arrive, a map, who filed, what waits."""
    units = _leader_units(request)
    today = timezone.localdate()
    activities = _board_rows(request, list(queries.board_activities(request.user, units)))
    # Today's states and the week's missing reports ask about the same officers: read once.
    roster = queries.roster(units, today - datetime.timedelta(days=LOOKBACK_DAYS), today)
    return render(
        request,
        "supervision/board.html",
        {
            "units": units,
            "activities": activities,
            "cursor": max((a.pk for a in activities), default=0),
            "points": [a.point for a in activities if a.point],
            "officers": queries.officers_today(units, roster),
            "missing": queries.missing_reports(
                units=units, start=roster.start, end=roster.end, given=roster
            ),
            "late": list(
                queries.late_reports(units, today - datetime.timedelta(days=LOOKBACK_DAYS), today)[
                    :50
                ]
            ),
            "queue": list(review_queue_heads(request.user)[:20]),
            "queue_count": pending_reviews(request.user).count(),
            "overdue_steps": list(queries.overdue_steps(request.user, units, today)[:50]),
            "poll_seconds": settings.SILAHAP_BOARD_POLL_SECONDS,
        },
    )


@require_GET
@never_cache
def board_feed(request):
    """What changed on the board since `after`, for its poll: new activity rows (the page's
    own template), each officer's state and activity count, and the review queue's count, so
    rows, counts and the badge move together. The session is only read, never written, so
    polling does not keep an idle session alive; the leader's units are read afresh, so a
    leadership that ended since the board was opened gets 403, not the unit's news.

    A poll that sends back its last answer's label (If-None-Match) while nothing it showed can
    have changed is answered 304 from the change tokens of the leader's units, without reading
    the board (`board_poll`); without a shared cache, or while it is down, every answer is full."""
    units = _leader_units(request)
    paths = [unit.path for unit in units]
    after = inputs.read_int(request.GET.get("after"), low=0, high=limits.ID_MAX, default=0)
    now = timezone.now()
    # Read before the board, so an answer's label is never newer than what it shows.
    tokens = changes.tokens(paths)
    if tokens is not None:
        seen = board_poll.unchanged(request, tokens=tokens, cursor=after, now=now)
        if seen is not None:
            not_modified = HttpResponseNotModified()
            not_modified["ETag"] = seen
            not_modified["X-Board-Cursor"] = str(after)
            return not_modified
    activities = list(queries.board_feed(units, after=after, limit=50))
    rows = ""
    if activities:
        rows = render_to_string(
            "supervision/_board_activities.html",
            {"activities": _board_rows(request, activities)},
            request=request,
        )
    cursor = max((a.pk for a in activities), default=after)
    officers, expires = board_poll.officer_states(units, tokens=tokens, now=now)
    response = JsonResponse(
        {
            "cursor": str(cursor),
            "rows": rows,
            "officers": officers,
            "queue_count": pending_reviews(request.user).count(),
        }
    )
    response["X-Board-Cursor"] = str(cursor)
    if tokens is not None:
        response["ETag"] = board_poll.label(request, tokens=tokens, cursor=cursor, expires=expires)
    return response


# ---------------------------------------------------------------------------- warrants and tasks


@require_http_methods(["GET", "POST"])
def warrant_list(request):
    """Warrants the user may see; a leader records a new one here."""
    warrants = list(
        Warrant.objects.visible_to(request.user)
        .select_related("unit", "created_by")
        .order_by("-issued_on", "-pk")[:200]
    )
    units = queries.leader_units(request.user)
    form = None
    status = 200
    if units:
        form = WarrantForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("only leaders record warrants")
        if form.is_valid():
            data = dict(form.cleaned_data)
            upload = data.pop("scan")
            if upload is not None and upload.size > settings.SILAHAP_WARRANT_SCAN_MAX_BYTES:
                form.add_error("scan", _("The scan is too large."))
            else:
                try:
                    warrant = services.warrant_create(
                        by=request.user, scan=upload.read() if upload else None, **data
                    )
                except ValidationError as error:
                    _apply_errors(form, error)
                else:
                    messages.success(request, _("Warrant recorded."))
                    return redirect(warrant.get_absolute_url())
        status = 422
    return render(
        request,
        "supervision/warrant_list.html",
        {"warrants": warrants, "form": form},
        status=status,
    )


def _warrant_or_404(request, pk: int) -> Warrant:
    return get_object_or_404(
        Warrant.objects.visible_to(request.user).select_related("unit", "created_by"), pk=pk
    )


@require_GET
def warrant_detail(request, pk: int):
    return _warrant_page(request, _warrant_or_404(request, pk))


def _warrant_page(request, warrant: Warrant, *, task_form=None, status=200):
    today = timezone.localdate()
    tasks = (
        Task.objects.visible_to(request.user)
        .filter(warrant=warrant)
        .with_state(today)
        .select_related("assignee", "team", "target_place", "target_person")
    )
    may_assign = access.can(request.user, "assign_task", warrant)
    return render(
        request,
        "supervision/warrant_detail.html",
        {
            "warrant": warrant,
            "members": list(warrant.members.all()),
            "tasks": list(tasks),
            "may_assign": may_assign,
            "task_form": task_form or (TaskForm(unit=warrant.unit) if may_assign else None),
        },
        status=status,
    )


@require_GET
def warrant_scan(request, pk: int):
    """The signed paper, only to those who may see the warrant; never from a public URL."""
    warrant = _warrant_or_404(request, pk)
    if not warrant.scan:
        raise Http404
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
    filename = f"surat-perintah-{warrant.pk}.{extension.get(warrant.scan_content_type, 'bin')}"
    return file_response(
        request,
        warrant.scan,
        content_type=warrant.scan_content_type,
        filename=filename,
        as_attachment=False,
        sandbox=True,
    )


@require_POST
def task_create(request, pk: int):
    warrant = _warrant_or_404(request, pk)
    access.require(request.user, "assign_task", warrant)
    form = TaskForm(request.POST, unit=warrant.unit)
    if form.is_valid():
        try:
            services.task_create(by=request.user, warrant=warrant, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Task assigned."))
            return redirect(warrant.get_absolute_url())
    return _warrant_page(request, warrant, task_form=form, status=422)


@require_GET
def my_tasks(request):
    """The officer's open tasks, each with today's activities that could carry it out."""
    tasks = list(queries.tasks_for_officer(request.user))
    unlinked = list(
        Activity.objects.filter(report__officer=request.user, task_link__isnull=True)
        .filter(queries.local_today_q())
        .select_related("place")
        .order_by("started_at")
    )
    return render(
        request, "supervision/my_tasks.html", {"tasks": tasks, "unlinked_activities": unlinked}
    )


@require_POST
def task_link(request, pk: int):
    work = get_object_or_404(Task.objects.visible_to(request.user), pk=pk)
    access.require(request.user, "carry_out", work)
    form = TaskLinkForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=422)
    activity = get_object_or_404(
        Activity.objects.visible_to(request.user).select_related("report"),
        pk=form.cleaned_data["activity"],
    )
    try:
        services.task_link_activity(task=work, activity=activity, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Activity linked to the task."))
    return redirect("supervision:my_tasks")


# ---------------------------------------------------------------------------- follow-ups


@require_GET
def followup_list(request):
    units = access.supervised_units(request.user)
    form = FollowUpFilterForm(request.GET or None, units=units)
    filters = form.cleaned_data if form.is_valid() else {}
    followups = list(
        queries.followup_list(
            request.user,
            status=filters.get("status") or "",
            kind=filters.get("kind") or "",
            overdue=bool(filters.get("overdue")),
            unit=filters.get("unit"),
        )[:200]
    )
    return render(request, "supervision/followup_list.html", {"followups": followups, "form": form})


@require_POST
def followup_open(request, finding_pk: int):
    finding = get_object_or_404(
        Finding.objects.filter(
            activity__in=Activity.objects.visible_to(request.user)
        ).select_related("activity__report__unit"),
        pk=finding_pk,
    )
    followup = services.followup_open(finding=finding, by=request.user)
    return redirect(followup.get_absolute_url())


def _followup_or_404(request, pk: int) -> FollowUp:
    return get_object_or_404(
        FollowUp.objects.visible_to(request.user).select_related(
            "unit__office",
            "finding__violation_type",
            "finding__person",
            "finding__activity__report__officer",
        ),
        pk=pk,
    )


@dataclass(frozen=True)
class StepRow:
    """A follow-up step as its page shows it: whether this user may update it, and the form."""

    step: FollowUpStep
    may_update: bool
    is_overdue: bool
    update_form: StepUpdateForm


def _followup_page(request, followup: FollowUp, *, step_form=None, status=200):
    today = timezone.localdate()
    steps = [
        StepRow(
            step=step,
            may_update=step.status == "open" and access.can(request.user, "update", step),
            is_overdue=bool(step.status == "open" and step.due_date and step.due_date < today),
            update_form=StepUpdateForm(
                initial={
                    "status": step.status,
                    "decision_number": step.decision_number,
                    "notes": step.notes,
                },
                prefix=f"step{step.pk}",
            ),
        )
        for step in followup.steps.select_related("assignee", "basis_step").order_by("position")
    ]
    may_direct = access.can(request.user, "direct", followup)
    return render(
        request,
        "supervision/followup_detail.html",
        {
            "followup": followup,
            "steps": steps,
            "may_direct": may_direct and followup.status == "open",
            "step_form": step_form or (StepForm(unit=followup.unit) if may_direct else None),
        },
        status=status,
    )


@require_GET
def followup_detail(request, pk: int):
    return _followup_page(request, _followup_or_404(request, pk))


@require_POST
def followup_step_add(request, pk: int):
    followup = _followup_or_404(request, pk)
    access.require(request.user, "direct", followup)
    form = StepForm(request.POST, unit=followup.unit)
    if form.is_valid():
        try:
            services.followup_step_add(by=request.user, followup=followup, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Step added."))
            return redirect(followup.get_absolute_url())
    return _followup_page(request, followup, step_form=form, status=422)


@require_POST
def followup_step_update(request, pk: int):
    step = get_object_or_404(
        FollowUpStep.objects.filter(
            followup__in=FollowUp.objects.visible_to(request.user)
        ).select_related("followup__unit"),
        pk=pk,
    )
    access.require(request.user, "update", step)
    form = StepUpdateForm(request.POST, prefix=f"step{step.pk}")
    if form.is_valid():
        try:
            services.followup_step_update(by=request.user, step=step, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Step updated."))
    else:
        messages.error(request, _("Check the step's fields and try again."))
    return redirect(step.followup.get_absolute_url())


@require_POST
def followup_close(request, pk: int):
    followup = _followup_or_404(request, pk)
    try:
        services.followup_close(by=request.user, followup=followup)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Follow-up closed."))
    return redirect(followup.get_absolute_url())


# ---------------------------------------------------------------------------- absences


@require_http_methods(["GET", "POST"])
def absence_list(request):
    """Leave, sickness and duty travel of the people a leader or administrator looks after."""
    units = access.units_with_role(request.user, [Membership.Role.LEADER, Membership.Role.ADMIN])
    if not units:
        raise PermissionDenied("for leaders and administrators")
    form = AbsenceForm(request.POST or None, units=units)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.absence_record(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Absence recorded."))
                return redirect("supervision:absence_list")
        status = 422
    absences = list(
        Absence.objects.visible_to(request.user)
        .filter(end_date__gte=timezone.localdate() - datetime.timedelta(days=31))
        .select_related("user")
        .order_by("-start_date")[:200]
    )
    return render(
        request,
        "supervision/absence_list.html",
        {"absences": absences, "form": form},
        status=status,
    )


# ---------------------------------------------------------------------------- notifications


@require_GET
def notification_list(request):
    notifications = list(Notification.objects.visible_to(request.user)[:100])
    for notification in notifications:
        notification.text = notification_text(notification)
    return render(request, "supervision/notification_list.html", {"notifications": notifications})


@require_POST
def notification_read(request):
    notification = None
    notification_id = inputs.read_id(request.POST.get("notification"), name="notification")
    if notification_id is not None:
        notification = get_object_or_404(
            Notification.objects.visible_to(request.user), pk=notification_id
        )
    services.notification_read(by=request.user, notification=notification)
    if notification is not None and notification.url:
        return redirect(notification.url)
    return redirect("supervision:notification_list")
