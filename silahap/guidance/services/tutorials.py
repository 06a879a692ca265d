"""Video tutorials: upload (checked by probing), progress and quiz (the background conversion ends
in conversion.py).

A tutorial counts as completed when the distinct ranges actually played cover at least 90 % of
it (seeking to the end plays nothing) and, when it has a quiz, the quiz is passed.
"""

from __future__ import annotations

import datetime
import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from silahap.accounts import access
from silahap.accounts.models import User
from silahap.audit import services as audit
from silahap.events import spine
from silahap.events.types import EventType
from silahap.guidance import config, media, progress, tasks
from silahap.guidance.models import QuizQuestion, Sop, Tutorial, TutorialProgress
from silahap.guidance.rules import may_publish_any
from silahap.guidance.services.conversion import (
    # The conversion worker's write lives beside the task, so the task does not import this module
    # (which enqueues it); callers still find it here with the other tutorial writes.
    tutorial_conversion_finish as tutorial_conversion_finish,
)
from silahap.guidance.services.library import clean_roles
from silahap.idempotency.once import idempotent

# A player reports what it played; more new seconds than this allows since the last report
# (played at double speed, plus slack for the report's own delay) is not believed.
PLAYBACK_RATE_ALLOWED = 2.5
PLAYBACK_SLACK_SECONDS = 15


@dataclass(frozen=True)
class Question:
    text: str
    choices: list[str]
    correct_index: int


def parse_quiz(text: str) -> list[Question]:
    """Questions written as "Q: …" followed by choices "- wrong" and "* right", one per line."""
    questions: list[dict] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line[:2].upper() == "Q:":
            questions.append({"text": line[2:].strip(), "choices": [], "right": []})
        elif line[0] in "-*" and questions:
            current = questions[-1]
            if line[0] == "*":
                current["right"].append(len(current["choices"]))
            current["choices"].append(line[1:].strip())
        else:
            raise ValidationError(
                {
                    "quiz": _(
                        "Line %(line)d of the quiz: start a question with Q:, a wrong choice "
                        "with - and the right one with *."
                    )
                    % {"line": number}
                }
            )
    if len(questions) > config.QUIZ_QUESTIONS:
        raise ValidationError(
            {"quiz": _("A quiz has at most %(n)d questions.") % {"n": config.QUIZ_QUESTIONS}}
        )
    parsed = []
    for position, question in enumerate(questions, start=1):
        if not question["text"] or not 2 <= len(question["choices"]) <= config.QUIZ_CHOICES:
            raise ValidationError(
                {
                    "quiz": _("Question %(n)d needs a text and 2 to %(max)d choices.")
                    % {"n": position, "max": config.QUIZ_CHOICES}
                }
            )
        if len(question["right"]) != 1:
            raise ValidationError(
                {
                    "quiz": _("Question %(n)d must have exactly one right answer, marked with *.")
                    % {"n": position}
                }
            )
        parsed.append(Question(question["text"], question["choices"], question["right"][0]))
    return parsed


def _rejected(field: str, rejected: media.VideoRejected) -> ValidationError:
    return ValidationError({field: [rejected.message]}, code=rejected.code)


@idempotent(Tutorial, owner="created_by")
@transaction.atomic
def tutorial_upload(
    *,
    by: User,
    client_id: uuid.UUID | None = None,
    title: str,
    video: File,
    description: str = "",
    sop: Sop | None = None,
    captions: bytes | None = None,
    quiz: str = "",
    pass_mark: int | None = None,
    required_roles: Iterable[str] = (),
) -> Tutorial:
    """Keep an uploaded video once it probes as MP4 or WebM; the worker makes the phone copy."""
    if not may_publish_any(by):
        raise PermissionDenied("leaders and office administrators keep the library")
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the tutorial a title.")})
    questions = parse_quiz(quiz)
    if questions and pass_mark is None:
        raise ValidationError({"pass_mark": _("Give the quiz a pass mark (1 to 100 %).")})
    if pass_mark is not None and not questions:
        raise ValidationError(
            {"quiz": _("Write the quiz's questions, or leave the pass mark out.")}
        )
    try:
        probed = media.probe(
            video,
            size=video.size,
            max_bytes=config.tutorial_max_bytes(),
            max_seconds=config.tutorial_max_seconds(),
        )
    except media.VideoRejected as rejected:
        raise _rejected("video", rejected) from None
    vtt = None
    if captions:
        try:
            vtt = media.check_captions(captions, max_bytes=config.captions_max_bytes())
        except media.VideoRejected as rejected:
            raise _rejected("captions", rejected) from None
    digest = hashlib.sha256()
    video.seek(0)
    for chunk in video.chunks():
        digest.update(chunk)
    tutorial = Tutorial(
        title=title,
        description=description.strip(),
        sop=sop,
        required_roles=clean_roles(required_roles),
        original_sha256=digest.hexdigest(),
        original_bytes=video.size,
        duration_seconds=probed.duration,
        pass_mark=pass_mark if questions else None,
        created_by=by,
        client_id=client_id,
    )
    video.seek(0)
    tutorial.original.save(f"original.{probed.container}", video, save=False)
    if vtt is not None:
        tutorial.captions.save("captions.vtt", ContentFile(vtt.encode()), save=False)
    tutorial.full_clean(exclude=["original", "captions", "client_id"])
    tutorial.save()
    QuizQuestion.objects.bulk_create(
        [
            QuizQuestion(
                tutorial=tutorial,
                position=position,
                text=question.text,
                choices=question.choices,
                correct_index=question.correct_index,
            )
            for position, question in enumerate(questions, start=1)
        ]
    )
    audit.record(
        action="tutorial.upload",
        actor=by,
        target=tutorial,
        summary={
            "sha256": tutorial.original_sha256,
            "bytes": tutorial.original_bytes,
            "duration": probed.duration,
            "codecs": [probed.video_codec, probed.audio_codec],
            "questions": len(questions),
        },
    )
    transaction.on_commit(lambda: tasks.tutorial_convert.enqueue(tutorial.pk), robust=True)
    return tutorial


def _progress_row(by: User, tutorial: Tutorial) -> TutorialProgress:
    row, _created = TutorialProgress.objects.get_or_create(tutorial=tutorial, user=by)
    return TutorialProgress.objects.select_for_update().get(pk=row.pk)


def _complete_if_due(by: User, tutorial: Tutorial, row: TutorialProgress) -> None:
    if row.completed_at is not None or row.watched_at is None:
        return
    if tutorial.pass_mark is not None and row.quiz_passed_at is None:
        return
    row.completed_at = timezone.now()
    spine.record(
        type=EventType.TUTORIAL_COMPLETED,
        object_type="guidance.tutorial",
        object_id=tutorial.pk,
        actor_id=by.pk,
        payload={"user": by.pk},
    )


@transaction.atomic
def tutorial_progress_record(
    *, by: User, tutorial: Tutorial, ranges: list[tuple[float, float]]
) -> TutorialProgress:
    """Add the ranges the player actually played; watched once 90 % is covered."""
    if not access.can(by, "watch", tutorial) or not tutorial.is_ready:
        raise PermissionDenied("only staff watch a ready tutorial")
    if len(ranges) > config.PROGRESS_RANGES:
        raise ValidationError(_("Too many played ranges in one report."))
    row = _progress_row(by, tutorial)
    duration = tutorial.duration_seconds
    merged = progress.merge([*map(tuple, row.ranges), *ranges], duration=duration)
    now = timezone.now()
    # The row is made by the player's first report (when playing starts), so the time since
    # its last change bounds what can have been played since.
    elapsed = max(0.0, (now - row.updated_at).total_seconds())
    gained = progress.covered(merged) - row.covered_seconds
    if gained > elapsed * PLAYBACK_RATE_ALLOWED + PLAYBACK_SLACK_SECONDS:
        return row  # not believed now; the next report, carrying the same ranges, may be
    row.ranges = [list(part) for part in merged]
    row.covered_seconds = progress.covered(merged)
    if row.watched_at is None and row.covered_seconds >= duration * config.WATCHED_SHARE:
        row.watched_at = now
        audit.record(action="tutorial.watched", actor=by, target=tutorial)
    _complete_if_due(by, tutorial, row)
    row.save()
    return row


@dataclass(frozen=True)
class QuizResult:
    score: int
    passed: bool
    answers: list[tuple[QuizQuestion, int | None]]


@transaction.atomic
def tutorial_quiz_answer(*, by: User, tutorial: Tutorial, answers: dict[int, int]) -> QuizResult:
    """Score an attempt; the first pass counts. Wrong answers are shown with the right one."""
    if not access.can(by, "watch", tutorial) or tutorial.pass_mark is None:
        raise PermissionDenied("this tutorial has no quiz")
    questions = list(QuizQuestion.objects.filter(tutorial=tutorial))
    if any(question.pk not in answers for question in questions):
        raise ValidationError(_("Answer every question."))
    right = sum(1 for q in questions if answers[q.pk] == q.correct_index)
    score = round(100 * right / len(questions)) if questions else 0
    passed = score >= tutorial.pass_mark
    row = _progress_row(by, tutorial)
    row.quiz_score = max(score, row.quiz_score or 0)
    if passed and row.quiz_passed_at is None:
        row.quiz_passed_at = timezone.now()
    _complete_if_due(by, tutorial, row)
    row.save()
    audit.record(
        action="tutorial.quiz",
        actor=by,
        target=tutorial,
        summary={"score": score, "passed": passed},
    )
    return QuizResult(score, passed, [(q, answers.get(q.pk)) for q in questions])


def completed_on(row: TutorialProgress | None) -> datetime.datetime | None:
    return row.completed_at if row else None
