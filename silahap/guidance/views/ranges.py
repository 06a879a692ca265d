"""Serving a stored file with HTTP range requests (RFC 9110 §14), so a player can seek.

One range per request (what video players send); several ranges are answered with the first.
An unsatisfiable range is 416 with `Content-Range: bytes */size`.
"""

from __future__ import annotations

import re
from typing import Literal

from django.http import HttpResponse, StreamingHttpResponse

from silahap.storage import file_response, read_range, signs_urls

CHUNK = 64 * 1024
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _parse(header: str, size: int) -> tuple[int, int] | Literal[False] | None:
    """(start, end) inclusive; None when absent or unusable; False when unsatisfiable."""
    first = header.split(",")[0].strip()
    match = RANGE.match(first)
    if not match or (not match.group(1) and not match.group(2)):
        return None
    if len(match.group(1)) > 18 or len(match.group(2)) > 18:
        return False
    if match.group(1):
        start = int(match.group(1))
        end = int(match.group(2)) if match.group(2) else size - 1
        if start >= size or end < start:
            return False
        return start, min(end, size - 1)
    suffix = int(match.group(2))
    if suffix == 0 or size == 0:
        return False
    return max(0, size - suffix), size - 1


def _stream(fieldfile, start: int, length: int):
    # On the object store, one ranged GET: a seek never downloads the whole video.
    yield from read_range(fieldfile, start, length, CHUNK)


def ranged_response(request, fieldfile, content_type: str, *, filename: str = ""):
    if signs_urls(fieldfile):
        # The object store answers the player's ranges itself, at the signed URL.
        return file_response(
            request,
            fieldfile,
            content_type=content_type,
            filename=filename or fieldfile.name.rsplit("/", 1)[-1],
            as_attachment=False,
        )
    size = fieldfile.size
    header = request.headers.get("Range", "")
    wanted = _parse(header, size) if header else None
    response: HttpResponse | StreamingHttpResponse
    if wanted is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        response["Accept-Ranges"] = "bytes"
        return response
    start, end = wanted if wanted else (0, size - 1)
    length = max(0, end - start + 1)
    if request.method == "HEAD":
        response = HttpResponse(status=206 if wanted else 200, content_type=content_type)
    else:
        response = StreamingHttpResponse(
            _stream(fieldfile, start, length),
            status=206 if wanted else 200,
            content_type=content_type,
        )
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    if wanted:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    if filename:
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
