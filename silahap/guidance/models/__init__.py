"""Guidance's data: directions with their recipients, the SOP library, video tutorials."""

from silahap.guidance.models.directions import (
    AboutKind,
    Direction,
    DirectionNote,
    DirectionRecipient,
    Priority,
)
from silahap.guidance.models.library import (
    QuizQuestion,
    Sop,
    SopAcknowledgement,
    SopCategory,
    SopVersion,
    Tutorial,
    TutorialProgress,
    TutorialStatus,
)

__all__ = [
    "AboutKind",
    "Direction",
    "DirectionNote",
    "DirectionRecipient",
    "Priority",
    "QuizQuestion",
    "Sop",
    "SopAcknowledgement",
    "SopCategory",
    "SopVersion",
    "Tutorial",
    "TutorialProgress",
    "TutorialStatus",
]
