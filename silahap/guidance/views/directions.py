"""Directions: write one, read and answer one, follow who read and did it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from silahap.accounts import access
from silahap.guidance import config, queries
from silahap.guidance.forms import DirectionForm, DoneForm, NoteForm
from silahap.guidance.models import Direction, DirectionRecipient
from silahap.guidance.services import directions as services
from silahap.guidance.views.common import apply_errors, safe_next
from silahap.reports.models import Activity
from silahap.storage import file_response

LIST_SIZE = 100


def _staff(request) -> None:
    if not access.is_immigration_staff(request.user):
        raise Http404


@require_GET
def direction_list(request):
    """Directions received, and those the user sent or leads over with their counts."""
    _staff(request)
    return render(
        request,
        "guidance/direction_list.html",
        {
            "received": list(queries.received_by(request.user)[:LIST_SIZE]),
            "followed": list(queries.followed_by(request.user)[:LIST_SIZE]),
            "may_send": bool(queries.leader_units(request.user)),
        },
    )


@require_http_methods(["GET", "POST"])
def direction_create(request):
    _staff(request)
    units = queries.leader_units(request.user)
    if not units:
        raise PermissionDenied("only leaders give directions")
    form = DirectionForm(request.POST or None, request.FILES or None, leader_units=units)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = dict(form.cleaned_data)
            upload = data.pop("attachment")
            if upload is not None and upload.size > config.attachment_max_bytes():
                form.add_error(
                    "attachment",
                    _("The file is larger than %(mb)d MB.")
                    % {"mb": config.attachment_max_bytes() // (1024 * 1024)},
                )
            else:
                try:
                    direction = services.direction_send(
                        by=request.user,
                        attachment=upload.read() if upload else None,
                        **data,
                    )
                except ValidationError as error:
                    apply_errors(form, error)
                else:
                    messages.success(request, _("Direction sent."))
                    return redirect(direction.get_absolute_url())
    return render(request, "guidance/direction_form.html", {"form": form}, status=status)


def _direction_or_404(request, pk: int) -> Direction:
    _staff(request)
    return get_object_or_404(
        Direction.objects.visible_to(request.user).select_related("created_by", "unit"), pk=pk
    )


def _detail(request, direction: Direction, *, done_form=None, note_form=None, status=200):
    mine = (
        DirectionRecipient.objects.filter(direction=direction, user=request.user)
        .select_related("done_activity")
        .first()
    )
    follows = access.can(request.user, "follow", direction)
    recipients = []
    if follows:
        recipients = list(
            DirectionRecipient.objects.filter(direction=direction).select_related("user")
        )
    return render(
        request,
        "guidance/direction_detail.html",
        {
            "direction": direction,
            "mine": mine,
            "notes": list(mine.notes.all()) if mine else [],
            "follows": follows,
            "recipients": recipients,
            "unread_count": sum(1 for r in recipients if r.read_at is None),
            "about": queries.about_record(direction, request.user),
            "about_label": queries.about_label(direction),
            "done_form": done_form or DoneForm(),
            "note_form": note_form or NoteForm(),
        },
        status=status,
    )


@require_GET
def direction_detail(request, pk: int):
    return _detail(request, _direction_or_404(request, pk))


@require_POST
def direction_acknowledge(request, pk: int):
    direction = _direction_or_404(request, pk)
    services.direction_acknowledge(by=request.user, direction=direction)
    messages.success(request, _("Marked as read."))
    return redirect(safe_next(request, direction.get_absolute_url()))


@require_POST
def direction_done(request, pk: int):
    direction = _direction_or_404(request, pk)
    form = DoneForm(request.POST)
    if form.is_valid():
        activity = None
        if form.cleaned_data["activity"]:
            activity = (
                Activity.objects.visible_to(request.user)
                .select_related("report")
                .filter(pk=form.cleaned_data["activity"])
                .first()
            )
            if activity is None:
                form.add_error("activity", _("No activity with this number that you can see."))
        if form.is_valid():
            try:
                services.direction_done(
                    by=request.user,
                    direction=direction,
                    note=form.cleaned_data["note"],
                    activity=activity,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Marked as done."))
                return redirect(direction.get_absolute_url())
    return _detail(request, direction, done_form=form, status=422)


@require_POST
def direction_note(request, pk: int):
    direction = _direction_or_404(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.direction_note_add(by=request.user, direction=direction, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Note added."))
            return redirect(direction.get_absolute_url())
    return _detail(request, direction, note_form=form, status=422)


@require_POST
def direction_remind(request, pk: int):
    direction = _direction_or_404(request, pk)
    try:
        reminded = services.direction_remind(by=request.user, direction=direction)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Reminded %(count)d people who have not read it.") % {"count": len(reminded)}
        )
    return redirect(direction.get_absolute_url())


@require_GET
def direction_attachment(request, pk: int):
    direction = _direction_or_404(request, pk)
    if not direction.attachment:
        raise Http404
    extension = "pdf" if direction.attachment_content_type == "application/pdf" else "jpg"
    return file_response(
        request,
        direction.attachment,
        content_type=direction.attachment_content_type,
        filename=f"arahan-{direction.pk}.{extension}",
        as_attachment=False,
    )
