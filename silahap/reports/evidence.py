"""Photo evidence: verify an upload by decoding it, keep its hash, make safe copies, read EXIF.

Nothing about an upload is trusted: not its name, not its declared type. Only Pillow's decoders
for JPEG, PNG, WebP and HEIC may open it, the pixel count is checked before decoding, and what
is ever shown is a re-encoded copy without metadata.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import io
import re
import uuid
import warnings
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import pillow_heif
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from silahap.registry.search import distance_m
from silahap.reports.models import EvidenceFlag

pillow_heif.register_heif_opener()

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
CONTENT_TYPES = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "HEIF": "image/heic",
}
DISPLAY_EDGE = 1600
THUMBNAIL_EDGE = 320
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
DATETIME_ORIGINAL, OFFSET_TIME_ORIGINAL = 36867, 36881


class EvidenceRejected(ValueError):
    """An upload that is not an acceptable photo; the message is for the officer."""

    def __init__(self, code: str, message: Any):
        super().__init__(str(message))
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ProcessedPhoto:
    sha256: str
    content_type: str
    size_bytes: int
    width: int
    height: int
    display_jpeg: bytes
    thumbnail_jpeg: bytes
    taken_at_local: datetime.datetime | None
    taken_at_offset: datetime.timezone | None
    latitude: Decimal | None
    longitude: Decimal | None


def _rational(value: Any) -> float:
    return float(value[0]) / float(value[1]) if isinstance(value, tuple) else float(value)


def _gps(gps: dict) -> tuple[Decimal | None, Decimal | None]:
    try:
        lat = sum(_rational(part) / 60**i for i, part in enumerate(gps[2]))
        lon = sum(_rational(part) / 60**i for i, part in enumerate(gps[4]))
    except (KeyError, TypeError, ValueError, ZeroDivisionError, IndexError):
        return None, None
    if gps.get(1) == "S":
        lat = -lat
    if gps.get(3) == "W":
        lon = -lon
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None, None
    return Decimal(f"{lat:.6f}"), Decimal(f"{lon:.6f}")


def _taken_at(exif_ifd: dict) -> tuple[datetime.datetime | None, datetime.timezone | None]:
    raw = exif_ifd.get(DATETIME_ORIGINAL)
    if not raw:
        return None, None
    try:
        # EXIF keeps the camera's wall-clock time with no zone; the offset tag, read below,
        # or the activity's office zone makes it aware.
        moment = datetime.datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S")  # noqa: DTZ007
    except ValueError:
        return None, None
    offset = None
    raw_offset = str(exif_ifd.get(OFFSET_TIME_ORIGINAL, "")).strip("\x00 ")
    if len(raw_offset) == 6 and raw_offset[0] in "+-":
        try:
            hours, minutes = int(raw_offset[1:3]), int(raw_offset[4:6])
            sign = 1 if raw_offset[0] == "+" else -1
            offset = datetime.timezone(sign * datetime.timedelta(hours=hours, minutes=minutes))
        except ValueError:
            offset = None
    return moment, offset


def _jpeg(image: Image.Image, edge: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((edge, edge))
    buffer = io.BytesIO()
    copy.save(buffer, format="JPEG", quality=82, optimize=True)
    return buffer.getvalue()


def _copies(image: Image.Image) -> tuple[bytes, bytes]:
    upright = ImageOps.exif_transpose(image)
    if upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    return _jpeg(upright, DISPLAY_EDGE), _jpeg(upright, THUMBNAIL_EDGE)


def process_photo(
    data: bytes,
    *,
    max_bytes: int | None = None,
    max_pixels: int | None = None,
    copies: bool = True,
) -> ProcessedPhoto:
    """Verify and process one uploaded photo, or raise EvidenceRejected saying why not.

    Without `copies` the photo is still decoded (a damaged file is refused here, never later
    in the worker) but the display copy and thumbnail are left empty: encoding them is most
    of the work, and the worker does it (services.evidence.evidence_copies_make)."""
    max_bytes = max_bytes or settings.SILAHAP_EVIDENCE_MAX_BYTES
    max_pixels = max_pixels or settings.SILAHAP_EVIDENCE_MAX_PIXELS
    if not data:
        raise EvidenceRejected("empty", _("The file is empty."))
    if len(data) > max_bytes:
        raise EvidenceRejected(
            "too_large",
            _("The file is larger than %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)},
        )
    head = data[:65536].lower()
    if b"<script" in head or b"<html" in head or b"<svg" in head:
        # A camera never writes markup; a file that carries some is built to be served as a page.
        raise EvidenceRejected("markup", _("This file contains web page code, not only a photo."))
    # WeasyPrint, once imported (a PDF export in this process), tells Pillow to accept cut
    # images for good; a photo cut short is evidence of nothing and must be refused here.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    with warnings.catch_warnings():
        # A decompression bomb is an error here, not a warning to log and carry on from.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
            width, height = image.size
            if width * height > max_pixels:
                raise EvidenceRejected(
                    "too_many_pixels",
                    _("The photo has more than %(mp)d megapixels.")
                    % {"mp": max_pixels // 1_000_000},
                )
            image_format = image.format
            if image_format is None or image_format not in CONTENT_TYPES:
                raise UnidentifiedImageError(image_format)
            if not copies:
                # Only checked, not shown: a JPEG is decoded at an eighth of its size, which
                # still reads every byte of it (a cut or damaged one is refused the same) for
                # about half the time. Other formats ignore the draft.
                image.draft(None, (max(width // 8, 1), max(height // 8, 1)))
            image.load()
            exif = image.getexif()
            exif_ifd = exif.get_ifd(EXIF_IFD)
            gps_ifd = exif.get_ifd(GPS_IFD)
            display, thumbnail = _copies(image) if copies else (b"", b"")
        except EvidenceRejected:
            raise
        except (
            UnidentifiedImageError,
            Image.DecompressionBombWarning,
            Image.DecompressionBombError,
        ):
            raise EvidenceRejected(
                "not_a_photo", _("This file is not a JPEG, PNG, WebP or HEIC photo.")
            ) from None
        except (OSError, ValueError, SyntaxError, EOFError, TypeError, KeyError):
            raise EvidenceRejected(
                "damaged", _("This photo is damaged or incomplete; take or choose it again.")
            ) from None
    taken_at, offset = _taken_at(exif_ifd)
    latitude, longitude = _gps(gps_ifd)
    return ProcessedPhoto(
        sha256=hashlib.sha256(data).hexdigest(),
        content_type=CONTENT_TYPES[image_format],
        size_bytes=len(data),
        width=width,
        height=height,
        display_jpeg=display,
        thumbnail_jpeg=thumbnail,
        taken_at_local=taken_at,
        taken_at_offset=offset,
        latitude=latitude,
        longitude=longitude,
    )


FLAG_HOURS = 2
FLAG_METRES = 1000


def photo_flag(
    photo: ProcessedPhoto, activity: Any, zone: datetime.tzinfo
) -> tuple[str, datetime.datetime | None]:
    """Compare a photo's EXIF time and place with its activity's: far ones are flagged, kept."""
    taken_at = None
    if photo.taken_at_local is not None:
        tzinfo: datetime.tzinfo = photo.taken_at_offset or zone
        taken_at = photo.taken_at_local.replace(tzinfo=tzinfo)
    has_point = photo.latitude is not None
    if taken_at is None and not has_point:
        return EvidenceFlag.NO_METADATA, None
    far_in_time = False
    if taken_at is not None:
        window = datetime.timedelta(hours=FLAG_HOURS)
        start, end = activity.started_at, activity.ended_at or activity.started_at
        far_in_time = taken_at < start - window or taken_at > end + window
    far_in_place = False
    latitude = (
        activity.latitude
        if activity.latitude is not None
        else getattr(activity.place, "latitude", None)
    )
    longitude = (
        activity.longitude
        if activity.longitude is not None
        else getattr(activity.place, "longitude", None)
    )
    if (
        photo.latitude is not None
        and photo.longitude is not None
        and latitude is not None
        and longitude is not None
    ):
        far_in_place = (
            distance_m(latitude, longitude, photo.latitude, photo.longitude) > FLAG_METRES
        )
    if far_in_time and far_in_place:
        return EvidenceFlag.TIME_AND_PLACE, taken_at
    if far_in_time:
        return EvidenceFlag.TIME, taken_at
    if far_in_place:
        return EvidenceFlag.PLACE, taken_at
    return EvidenceFlag.NONE, taken_at


def photo_limit_message(limit: int) -> str:
    """Why a photo is refused when its activity already holds the most it may."""
    return _("An activity holds at most %(limit)d photos; this one is full.") % {"limit": limit}


# What a resizing phone sends beside the display copy it made (see static/js/evidence_photo.js).
DISPLAY_MAX_BYTES = 1024 * 1024
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
EXIF_MOMENT = re.compile(r"^\d{4}:\d{2}:\d{2} \d{2}:\d{2}:\d{2}$")
EXIF_OFFSET = re.compile(r"^[+-]\d{2}:\d{2}$")
EARLIEST_PHOTO = datetime.datetime(2000, 1, 1)  # noqa: DTZ001 (compared with EXIF wall-clock time)


@dataclass(frozen=True)
class DeclaredOriginal:
    """The original as the phone described it before resizing: its key, SHA-256, size, type,
    and the EXIF time and GPS point it read from it. Checked for shape here; its truth is
    checked when the original itself arrives (the hash) and its metadata is read again."""

    key: uuid.UUID
    sha256: str
    size_bytes: int
    content_type: str
    taken_at_local: datetime.datetime | None
    taken_at_offset: datetime.timezone | None
    latitude: Decimal | None
    longitude: Decimal | None


def _refuse(message: Any) -> EvidenceRejected:
    return EvidenceRejected("declared_original", message)


def _declared_point(raw: dict[str, Any]) -> tuple[Decimal | None, Decimal | None]:
    latitude, longitude = raw.get("latitude"), raw.get("longitude")
    if latitude in (None, "") and longitude in (None, ""):
        return None, None
    try:
        lat = Decimal(str(latitude)[:20])
        lon = Decimal(str(longitude)[:20])
    except (InvalidOperation, ValueError):
        raise _refuse(_("The photo's GPS position is not a number.")) from None
    if not (lat.is_finite() and lon.is_finite() and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise _refuse(_("The photo's GPS position is outside the globe."))
    if lat == 0 and lon == 0:
        return None, None
    return lat.quantize(Decimal("0.000001")), lon.quantize(Decimal("0.000001"))


def _declared_time(
    raw: dict[str, Any], *, now: datetime.datetime
) -> tuple[datetime.datetime | None, datetime.timezone | None]:
    moment = raw.get("taken_at")
    if moment in (None, ""):
        return None, None
    moment = str(moment)[:40]
    offset = str(raw.get("offset") or "")[:10]
    if not EXIF_MOMENT.match(moment) or (offset and not EXIF_OFFSET.match(offset)):
        raise _refuse(_("The photo's time is not in the camera's format."))
    local, zone = _taken_at({DATETIME_ORIGINAL: moment, OFFSET_TIME_ORIGINAL: offset})
    if local is None or (offset and zone is None):
        raise _refuse(_("The photo's time is not a real date."))
    # A camera's clock may run a little fast and sits in any zone: a day of slack either way.
    latest = now.replace(tzinfo=None) + datetime.timedelta(days=1)
    if not EARLIEST_PHOTO <= local <= latest:
        raise _refuse(_("The photo's time is not plausible (before 2000 or in the future)."))
    return local, zone


def declared_original(raw: Any, *, now: datetime.datetime) -> DeclaredOriginal:
    """Check what the phone says about one original, or raise EvidenceRejected saying why not."""
    if not isinstance(raw, dict):
        raise _refuse(_("The description of the original photo is unreadable."))
    try:
        key = uuid.UUID(str(raw.get("key", ""))[:40])
    except ValueError:
        raise _refuse(_("The description of the original photo is unreadable.")) from None
    sha256 = raw.get("sha256")
    if not isinstance(sha256, str) or not SHA256_HEX.match(sha256):
        raise _refuse(_("The original photo's fingerprint (SHA-256) is not 64 hexadecimal digits."))
    size = raw.get("size")
    max_bytes = settings.SILAHAP_EVIDENCE_MAX_BYTES
    if not isinstance(size, int) or isinstance(size, bool) or not 0 < size <= max_bytes:
        raise _refuse(
            _("The original photo is empty or larger than %(mb)d MB.")
            % {"mb": max_bytes // (1024 * 1024)}
        )
    content_type = raw.get("type") or "image/jpeg"
    if content_type == "image/heif":
        content_type = "image/heic"
    if content_type not in CONTENT_TYPES.values():
        raise _refuse(_("The original is not a JPEG, PNG, WebP or HEIC photo."))
    taken_at, offset = _declared_time(raw, now=now)
    latitude, longitude = _declared_point(raw)
    return DeclaredOriginal(
        key=key,
        sha256=sha256,
        size_bytes=size,
        content_type=content_type,
        taken_at_local=taken_at,
        taken_at_offset=offset,
        latitude=latitude,
        longitude=longitude,
    )


def process_display_copy(data: bytes, declared: DeclaredOriginal) -> ProcessedPhoto:
    """Verify a display copy a phone made, and describe it with its original's declared facts."""
    photo = process_photo(data, max_bytes=DISPLAY_MAX_BYTES)
    if max(photo.width, photo.height) > DISPLAY_EDGE:
        raise EvidenceRejected(
            "display_too_large",
            _("The resized copy is larger than %(edge)d pixels.") % {"edge": DISPLAY_EDGE},
        )
    return dataclasses.replace(
        photo,
        sha256=declared.sha256,
        content_type=declared.content_type,
        size_bytes=declared.size_bytes,
        taken_at_local=declared.taken_at_local,
        taken_at_offset=declared.taken_at_offset,
        latitude=declared.latitude,
        longitude=declared.longitude,
    )


def original_mismatch_message() -> str:
    """Why an original is refused: it is not the file the display copy was made from."""
    return str(
        _(
            "This file is not the original of the photo: its fingerprint (SHA-256) differs "
            "from the one sent with the photo. Nothing was changed; the photo stays as it was."
        )
    )
