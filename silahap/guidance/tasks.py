"""Background work of guidance: converting an uploaded tutorial for phones.

The task reads the tutorial's current state and does nothing unless it is still being prepared,
so running it twice is harmless.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from django_tasks import task

from silahap.guidance import media
from silahap.guidance.models import Tutorial, TutorialStatus
from silahap.guidance.services.conversion import tutorial_conversion_finish

logger = logging.getLogger(__name__)


@task()
def tutorial_convert(tutorial_id: int) -> str:
    tutorial = Tutorial.objects.filter(pk=tutorial_id, status=TutorialStatus.PROCESSING).first()
    if tutorial is None:
        return "skipped"
    with tempfile.TemporaryDirectory(prefix="silahap-tutorial-") as work:
        folder = Path(work)
        name = tutorial.original.name
        assert name, "an upload stores its original before it is processed"
        original = folder / Path(name).name
        small, poster = folder / "small.mp4", folder / "poster.jpg"
        try:
            with tutorial.original.open("rb") as source, original.open("wb") as target:
                shutil.copyfileobj(source, target)
            media.convert(original, small, poster, duration=tutorial.duration_seconds)
        except (media.ConversionFailed, OSError) as error:
            logger.warning("tutorial %s: conversion failed: %s", tutorial.pk, error)
            return tutorial_conversion_finish(tutorial=tutorial, error=str(error)).status
        return tutorial_conversion_finish(
            tutorial=tutorial, small=small.read_bytes(), poster=poster.read_bytes()
        ).status
