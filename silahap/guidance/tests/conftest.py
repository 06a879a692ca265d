import pytest

from silahap.guidance import samples


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session")
def mp4_bytes() -> bytes:
    return samples.pattern_video(seconds=6)


@pytest.fixture(scope="session")
def webm_bytes() -> bytes:
    return samples.pattern_video(seconds=4, container="webm")
