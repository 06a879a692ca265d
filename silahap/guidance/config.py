"""Guidance's limits: a Django setting of the same name wins, then the environment variable,
then the default here (kept out of settings.py while the app is built beside the others)."""

from __future__ import annotations

import os

from django.conf import settings


def _setting(name: str, default: int) -> int:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name) or default
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return default


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
