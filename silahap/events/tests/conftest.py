"""Fixtures of the spine's own tests."""

from __future__ import annotations

import pytest

from silahap.events import spine
from silahap.events.types import EventType

# The type the spine's tests record: the app's own subscribers of it stand aside.
TEST_TYPE = EventType.IMPORT_FINISHED


@pytest.fixture
def only_these_subscribers():
    """The app's own subscribers of TEST_TYPE stand aside, so each test counts only its own."""
    kept = spine._subscribers.pop(TEST_TYPE, None)
    yield
    spine._subscribers.pop(TEST_TYPE, None)
    if kept is not None:
        spine._subscribers[TEST_TYPE] = kept
