"""Checking uploaded documents: a direction's attachment (PDF or photo) and an SOP's PDF.

Nothing about an upload is trusted but what its bytes decode as; photos go through the same
checks as evidence (silahap.reports.evidence) and only their re-encoded copy is kept.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from silahap.reports.evidence import EvidenceRejected, process_photo

logger = logging.getLogger(__name__)
TEXT_LIMIT = 200_000


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    content_type: str
    sha256: str
    text: str = ""


def _pdf_text(data: bytes, field: str) -> str:
    # pypdf is heavy (~0.25 s) and only a PDF upload's text extraction needs it.
    from pypdf import PdfReader  # noqa: PLC0415 — heavy, one path (see above)
    from pypdf.errors import PdfReadError  # noqa: PLC0415 — heavy, one path (see above)

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError({field: _("The PDF is password-protected; upload it without.")})
        parts = []
        for page in reader.pages:
            parts.append(page.extract_text() or "")
            if sum(map(len, parts)) > TEXT_LIMIT:
                break
    except ValidationError:
        raise
    except (PdfReadError, OSError, ValueError, KeyError, TypeError, AttributeError):
        raise ValidationError(
            {field: _("This PDF is damaged or incomplete; export it again.")}
        ) from None
    return " ".join(" ".join(parts).split())[:TEXT_LIMIT]


def check_pdf(data: bytes, *, field: str, max_bytes: int) -> CheckedFile:
    """A PDF by its bytes (not its name), readable, with its text for search."""
    if not data:
        raise ValidationError({field: _("The file is empty.")})
    if len(data) > max_bytes:
        raise ValidationError(
            {field: _("The file is larger than %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)}}
        )
    if not data.startswith(b"%PDF-"):
        raise ValidationError({field: _("The document must be a PDF file.")})
    text = _pdf_text(data, field)
    return CheckedFile(data, "application/pdf", hashlib.sha256(data).hexdigest(), text)


def check_attachment(data: bytes, *, field: str, max_bytes: int) -> CheckedFile:
    """A PDF kept as sent, or a photo checked like evidence and kept as its safe copy."""
    if data.startswith(b"%PDF-"):
        checked = check_pdf(data, field=field, max_bytes=max_bytes)
        return CheckedFile(checked.data, checked.content_type, checked.sha256)
    try:
        photo = process_photo(data, max_bytes=max_bytes)
    except EvidenceRejected as rejected:
        if rejected.code == "not_a_photo":
            raise ValidationError(
                {field: _("The attachment must be a PDF or a photo (JPEG, PNG, WebP or HEIC).")}
            ) from None
        raise ValidationError({field: rejected.message}) from None
    return CheckedFile(photo.display_jpeg, "image/jpeg", photo.sha256)
