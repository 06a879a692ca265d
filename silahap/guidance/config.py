"""Guidance's limits, read from settings when a deployment sets them (SILAHAP_GUIDANCE_*)."""

from __future__ import annotations

from django.conf import settings


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def attachment_max_bytes() -> int:
    """A direction's attachment: the same bound as a photo of evidence."""
    return settings.SILAHAP_EVIDENCE_MAX_BYTES


def sop_max_bytes() -> int:
    return _setting("SILAHAP_SOP_MAX_BYTES", 20 * 1024 * 1024)


def tutorial_max_bytes() -> int:
    return _setting("SILAHAP_TUTORIAL_MAX_BYTES", 200 * 1024 * 1024)


def tutorial_max_seconds() -> int:
    return _setting("SILAHAP_TUTORIAL_MAX_SECONDS", 20 * 60)


def captions_max_bytes() -> int:
    return _setting("SILAHAP_CAPTIONS_MAX_BYTES", 512 * 1024)


# Ranges a progress report may carry, and questions a quiz may hold.
PROGRESS_RANGES = 200
QUIZ_QUESTIONS = 20
QUIZ_CHOICES = 6
# Share of a tutorial that must have been played for it to count as watched.
WATCHED_SHARE = 0.9
