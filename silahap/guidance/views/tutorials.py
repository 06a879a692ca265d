"""Video tutorials: list, upload, watch (ranged media), progress reports and the quiz."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from silahap import limits
from silahap.guidance import config
from silahap.guidance.forms import TutorialForm
from silahap.guidance.models import QuizQuestion, Tutorial, TutorialProgress
from silahap.guidance.rules import may_publish_any
from silahap.guidance.services import tutorials as services
from silahap.guidance.views.common import apply_errors
from silahap.guidance.views.library import staff_only
from silahap.guidance.views.ranges import ranged_response

MEDIA = {
    "small": ("small", "video/mp4"),
    "poster": ("poster", "image/jpeg"),
    "captions": ("captions", "text/vtt; charset=utf-8"),
}


@require_GET
def tutorial_list(request):
    staff_only(request)
    tutorials = list(
        Tutorial.objects.visible_to(request.user).select_related("sop").order_by("title")[:200]
    )
    done = dict(
        TutorialProgress.objects.filter(user=request.user, tutorial__in=tutorials).values_list(
            "tutorial_id", "completed_at"
        )
    )
    for tutorial in tutorials:
        tutorial.my_completed_at = done.get(tutorial.pk)
    return render(
        request,
        "guidance/tutorial_list.html",
        {"tutorials": tutorials, "may_publish": may_publish_any(request.user)},
    )


@require_http_methods(["GET", "POST"])
def tutorial_create(request):
    staff_only(request)
    if not may_publish_any(request.user):
        raise PermissionDenied("leaders and office administrators keep the library")
    form = TutorialForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = dict(form.cleaned_data)
            captions = data.pop("captions")
            if captions is not None and captions.size > config.captions_max_bytes():
                form.add_error("captions", _("The caption file is too large."))
            else:
                try:
                    tutorial = services.tutorial_upload(
                        by=request.user, captions=captions.read() if captions else None, **data
                    )
                except ValidationError as error:
                    apply_errors(form, error)
                else:
                    messages.success(
                        request, _("Video uploaded; the copy for phones is being prepared.")
                    )
                    return redirect(tutorial.get_absolute_url())
    return render(request, "guidance/tutorial_form.html", {"form": form}, status=status)


def _tutorial_or_404(request, pk: int) -> Tutorial:
    staff_only(request)
    return get_object_or_404(Tutorial.objects.visible_to(request.user).select_related("sop"), pk=pk)


def _page(request, tutorial: Tutorial, *, result=None, status=200):
    row = TutorialProgress.objects.filter(tutorial=tutorial, user=request.user).first()
    questions = list(QuizQuestion.objects.filter(tutorial=tutorial)) if tutorial.pass_mark else []
    return render(
        request,
        "guidance/tutorial_detail.html",
        {
            "tutorial": tutorial,
            "progress": row,
            "percent": round(100 * row.covered_seconds / tutorial.duration_seconds)
            if row and tutorial.duration_seconds
            else 0,
            "questions": questions,
            "result": result,
            "is_uploader": tutorial.created_by_id == request.user.pk,
        },
        status=status,
    )


@require_GET
def tutorial_detail(request, pk: int):
    return _page(request, _tutorial_or_404(request, pk))


@require_safe
def tutorial_media(request, pk: int, kind: str):
    """The phone copy, poster or captions, with ranges, through the same access check."""
    tutorial = _tutorial_or_404(request, pk)
    if kind not in MEDIA or not tutorial.is_ready:
        raise Http404
    field, content_type = MEDIA[kind]
    fieldfile = getattr(tutorial, field)
    if not fieldfile:
        raise Http404
    return ranged_response(request, fieldfile, content_type)


def _ranges(request) -> list[tuple[float, float]]:
    if request.content_type != "application/json":
        raise ValidationError(_("The progress report could not be read."))
    try:
        data = json.loads(request.body or b"{}")
        ranges = [
            (float(start), float(end))
            for start, end in data.get("ranges", [])[: config.PROGRESS_RANGES + 1]
        ]
    except (ValueError, TypeError, AttributeError):
        raise ValidationError(_("The progress report could not be read.")) from None
    if any(not (0 <= s <= limits.COUNT_MAX and 0 <= e <= limits.COUNT_MAX) for s, e in ranges):
        raise ValidationError(_("The progress report could not be read."))
    return ranges


@require_POST
def tutorial_progress(request, pk: int):
    """What the player actually played (its `played` ranges), as JSON; answers the coverage."""
    tutorial = _tutorial_or_404(request, pk)
    try:
        row = services.tutorial_progress_record(
            by=request.user, tutorial=tutorial, ranges=_ranges(request)
        )
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse(
        {
            "covered": row.covered_seconds,
            "duration": tutorial.duration_seconds,
            "watched": row.watched_at is not None,
            "completed": row.completed_at is not None,
        }
    )


@require_POST
def tutorial_quiz(request, pk: int):
    tutorial = _tutorial_or_404(request, pk)
    if tutorial.pass_mark is None:
        raise Http404
    answers = {}
    for question in QuizQuestion.objects.filter(tutorial=tutorial):
        value = request.POST.get(f"q{question.pk}", "")
        if value.isdigit() and int(value) < len(question.choices):
            answers[question.pk] = int(value)
    try:
        result = services.tutorial_quiz_answer(by=request.user, tutorial=tutorial, answers=answers)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(tutorial.get_absolute_url() + "#quiz")
    return _page(request, tutorial, result=result)
