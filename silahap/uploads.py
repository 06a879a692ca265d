"""Too many files in one request: refused before anything is read into the application, with a
message in the reader's language instead of Django's bare "Bad Request"."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import TooManyFilesSent  # type: ignore[attr-defined]  # not in the stubs
from django.utils.html import escape
from django.utils.translation import get_language, ngettext


def too_many_files_message() -> str:
    limit = settings.SILAHAP_UPLOAD_MAX_FILES
    return ngettext(
        "Too many files at once: send at most %(limit)d file in one go. Nothing was saved; "
        "go back and choose fewer.",
        "Too many files at once: send at most %(limit)d files in one go. Nothing was saved; "
        "go back and choose fewer.",
        limit,
    ) % {"limit": limit}


class UploadLimitMiddleware:
    """Read a multipart body here, where its TooManyFilesSent can still be answered politely.

    Django counts the files (DATA_UPLOAD_MAX_NUMBER_FILES) while it reads them and stops at the
    limit; anywhere later (the CSRF check reads the body too) it would only be a bare 400.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(request, "too_many_files", False):
            return self.refuse(request)
        if request.method == "POST" and request.content_type == "multipart/form-data":
            try:
                request.POST  # noqa: B018 — parsing is the point: it counts the files
            except TooManyFilesSent:
                return self.refuse(request)
        return self.get_response(request)

    def refuse(self, request) -> HttpResponse:
        message = too_many_files_message()
        if "application/json" in request.headers.get("Accept", ""):
            return JsonResponse({"added": 0, "errors": [message]}, status=413)
        page = (
            f'<!doctype html><html lang="{get_language()}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>SiLAHAP</title></head><body><main><p role="alert" '
            f'data-testid="upload-refused">{escape(message)}</p></main></body></html>'
        )
        return HttpResponse(page, status=413)
