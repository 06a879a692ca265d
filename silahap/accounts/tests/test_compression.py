"""Pages travel gzipped; files (photos, videos, downloads) as they are (issue "Field reporting
III", item 2)."""

import gzip

import pytest
from django.http import FileResponse, HttpResponse
from django.test import RequestFactory

from silahap.compression import CollectedStaticStorage, PageCompressionMiddleware

pytestmark = pytest.mark.django_db


def test_a_signed_in_page_is_gzipped_for_a_browser_that_accepts_it(client, people):
    client.force_login(people.officer_a)
    plain = client.get("/reports/today/")
    packed = client.get("/reports/today/", headers={"accept-encoding": "gzip, br"})
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert len(packed.content) * 2 < len(plain.content)
    assert b"<!doctype html>" in gzip.decompress(packed.content)


def answer(response):
    request = RequestFactory().get("/", headers={"accept-encoding": "gzip"})
    return PageCompressionMiddleware(lambda request: response)(request)


def test_photos_streams_and_ranges_pass_as_they_are(tmp_path):
    photo = HttpResponse(b"\xff\xd8" + b"x" * 5000, content_type="image/jpeg")
    assert "Content-Encoding" not in answer(photo)
    ranged = HttpResponse(b"y" * 5000, content_type="text/vtt", status=206)
    assert "Content-Encoding" not in answer(ranged)
    path = tmp_path / "video.mp4"
    path.write_bytes(b"z" * 5000)
    with path.open("rb") as handle:
        streamed = answer(FileResponse(handle, content_type="text/plain"))
        assert "Content-Encoding" not in streamed
        assert b"".join(streamed.streaming_content) == b"z" * 5000


def test_json_is_gzipped():
    data = HttpResponse(b'{"rows": [' + b'{"a": 1},' * 500 + b"]}", content_type="application/json")
    assert answer(data)["Content-Encoding"] == "gzip"


def test_collected_files_keep_vendored_source_map_comments():
    # The cluster plugin names a .map that is not shipped; rewriting it failed collectstatic.
    assert "*.js" not in dict(CollectedStaticStorage.patterns)
    assert "*.css" in dict(CollectedStaticStorage.patterns)
