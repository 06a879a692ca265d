"""Bytes on a slow line: pages gzipped, static files served from their compressed copies.

Production and `make run` serve the same way: collectstatic writes hashed names with gzip and
brotli copies (WhiteNoise), pages are gzipped here. Field officers pay for every byte at
about 400 kbit/s (issue "Field reporting III", item 2)."""

from __future__ import annotations

from django.middleware.gzip import GZipMiddleware
from whitenoise.storage import CompressedManifestStaticFilesStorage

COMPRESSIBLE = {
    "text/html",
    "text/plain",
    "text/csv",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/problem+json",
    "application/vnd.oai.openapi",
    "application/vnd.oai.openapi+json",
    "image/svg+xml",
    "text/vtt",
}


class PageCompressionMiddleware(GZipMiddleware):
    """Gzip pages, fragments and JSON (Django's GZipMiddleware, whose random bytes in each gzip
    header blunt BREACH). Files stream as they are: a photo or a video gains nothing, and a
    ranged answer (206) must keep its byte ranges."""

    def process_response(self, request, response):
        if response.streaming or response.status_code == 206:
            return response
        kind = response.get("Content-Type", "").split(";")[0].strip().lower()
        if kind not in COMPRESSIBLE:
            return response
        return super().process_response(request, response)


class CollectedStaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed names also when DEBUG is on (`make run`): the browser then keeps each file for
    good, as in production, instead of asking for it again on every page. Scripts' source-map
    comments are left as written: the vendored ones name maps that are not shipped (the
    cluster plugin's), which failed collectstatic; a browser asks for a map only in its tools."""

    patterns = tuple(
        (kind, rules)
        for kind, rules in CompressedManifestStaticFilesStorage.patterns
        if kind != "*.js"
    )

    def url(self, name, force=False):
        return super().url(name, force=True)
