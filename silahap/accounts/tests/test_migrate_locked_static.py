"""A node that starts (or is started again after a crash) collects static files only when their
sources changed: collected with hashed names and compressed copies it cost ~12 s of CPU each
time, spent under load before a restarted node served again (make soak's kill -9)."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from silahap.accounts.management.commands.migrate_locked import COLLECTED_STAMP, Command


@pytest.fixture
def sources(tmp_path):
    """The project's static folder and one of our own, collected into an empty folder."""
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "app.js").write_text("console.log(1);\n")
    root = tmp_path / "collected"
    with override_settings(STATIC_ROOT=root, STATICFILES_DIRS=[*settings.STATICFILES_DIRS, extra]):
        yield extra, root


def collect() -> str:
    out = io.StringIO()
    command = Command(stdout=out)
    command.collect()
    return out.getvalue()


def test_static_files_are_collected_once_until_a_source_changes(sources):
    extra, root = sources
    assert "static files collected" in collect()
    assert (root / "app.js").read_text() == "console.log(1);\n"
    assert (root / COLLECTED_STAMP).is_file()
    assert "static files current" in collect()
    (extra / "app.js").write_text("console.log(2);\n")
    later = time.time() + 5
    os.utime(extra / "app.js", (later, later))  # collectstatic copies what is newer
    assert "static files collected" in collect()
    assert (root / "app.js").read_text() == "console.log(2);\n"
    (extra / "new.css").write_text("p {}\n")
    assert "static files collected" in collect()
    assert (root / "new.css").is_file()
    assert "static files current" in collect()


def test_collected_files_without_their_manifest_are_collected_again(sources, tmp_path):
    extra, root = sources
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    # Our own folder alone: the project's vendored scripts name source maps it does not ship.
    with override_settings(STORAGES=storages, STATICFILES_DIRS=[extra]):
        assert "static files collected" in collect()
        manifest = Path(root, "staticfiles.json")
        assert manifest.is_file()
        assert "static files current" in collect()
        manifest.unlink()
        assert "static files collected" in collect()
        assert manifest.is_file()
