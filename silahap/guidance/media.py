"""Tutorial videos: probe an upload by its bytes, convert it for phones, check captions.

Nothing about an upload is trusted but what PyAV demuxes from it: the container must be MP4 or
WebM with a known video codec, every packet must be readable to the stated duration (a truncated
file is refused), and the size and length must be within the configured bounds. The copy served
to phones is made by the bundled ffmpeg binary (imageio-ffmpeg) on the task worker.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.core.files import File
from django.utils.translation import gettext_lazy as _

CONTAINERS = {"mov,mp4,m4a,3gp,3g2,mj2": "mp4", "matroska,webm": "webm"}
VIDEO_CODECS = {"h264", "hevc", "vp8", "vp9", "av1", "mpeg4"}
AUDIO_CODECS = {"aac", "mp3", "opus", "vorbis"}
# The copy for phones on a slow connection: 360 lines, ≤ 250 kbit/s video and sound together.
SMALL_HEIGHT = 360
SMALL_VIDEO_KBPS = 170
SMALL_AUDIO_KBPS = 48
POSTER_AT_SECONDS = 1.0
# A file whose packets stop this far short of its stated length is truncated.
TRUNCATION_SLACK = 0.9


class VideoRejected(ValueError):
    """An upload that is not an acceptable tutorial video; the message is for the uploader."""

    def __init__(self, code: str, message):
        super().__init__(str(message))
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Probe:
    container: str
    video_codec: str
    audio_codec: str
    width: int
    height: int
    duration: float


def probe(source: File | BinaryIO, *, size: int, max_bytes: int, max_seconds: int) -> Probe:
    """Check an uploaded video by demuxing it; raise VideoRejected saying what to fix."""
    import av  # noqa: PLC0415 — PyAV (FFmpeg bindings) is heavy; only video uploads need it

    if size == 0:
        raise VideoRejected("empty", _("The file is empty."))
    if size > max_bytes:
        raise VideoRejected(
            "too_large",
            _("The video is larger than %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)},
        )
    not_a_video = VideoRejected("not_a_video", _("This file is not an MP4 or WebM video."))
    source.seek(0)
    head = source.read(12)
    source.seek(0)
    try:
        container = av.open(source, mode="r", metadata_errors="ignore")
    except (av.FFmpegError, OSError, ValueError, UnicodeDecodeError):
        if head[4:8] == b"ftyp" or head.startswith(b"\x1a\x45\xdf\xa3"):
            # It begins like a video but cannot be read: cut off, most often mid-upload.
            raise VideoRejected(
                "damaged", _("The video is damaged or incomplete; upload the whole file again.")
            ) from None
        raise not_a_video from None
    with container:
        kind = CONTAINERS.get(container.format.name)
        videos = container.streams.video
        if kind is None or not videos:
            raise not_a_video
        video = videos[0]
        codec = video.codec_context.name
        if codec not in VIDEO_CODECS:
            raise VideoRejected(
                "codec", _("The video codec %(codec)s is not supported.") % {"codec": codec}
            )
        audios = container.streams.audio
        audio_codec = audios[0].codec_context.name if audios else ""
        if audio_codec and audio_codec not in AUDIO_CODECS:
            raise VideoRejected(
                "codec", _("The sound codec %(codec)s is not supported.") % {"codec": audio_codec}
            )
        duration = _duration(container, video)
        if duration <= 0:
            raise not_a_video
        if duration > max_seconds:
            raise VideoRejected(
                "too_long",
                _("The video is longer than %(minutes)d minutes.") % {"minutes": max_seconds // 60},
            )
        last = _demux_to_end(container, video)
        if last < duration * TRUNCATION_SLACK:
            raise VideoRejected(
                "truncated", _("The video is incomplete (cut off); upload the whole file again.")
            )
        return Probe(
            container=kind,
            video_codec=codec,
            audio_codec=audio_codec,
            width=video.codec_context.width,
            height=video.codec_context.height,
            duration=round(duration, 3),
        )


def _duration(container, video) -> float:
    if video.duration is not None and video.time_base is not None:
        return float(video.duration * video.time_base)
    if container.duration is not None:
        return container.duration / 1_000_000
    return 0.0


def _demux_to_end(container, video) -> float:
    """The end time of the last video packet read, decoding the first frames on the way."""
    import av  # noqa: PLC0415 — PyAV is heavy; only video uploads need it

    last, decoded = 0.0, 0
    try:
        for packet in container.demux(video):
            if packet.pts is not None and packet.time_base is not None:
                end = float((packet.pts + (packet.duration or 0)) * packet.time_base)
                last = max(last, end)
            if decoded < 3 and packet.size:
                decoded += len(packet.decode())
    except (av.FFmpegError, OSError, ValueError):
        raise VideoRejected(
            "damaged", _("The video is damaged or incomplete; upload the whole file again.")
        ) from None
    if decoded == 0:
        raise VideoRejected("damaged", _("The video has no picture that can be shown."))
    start = float(video.start_time * video.time_base) if video.start_time else 0.0
    return last - start


def ffmpeg() -> str:
    import imageio_ffmpeg  # noqa: PLC0415 — only the conversion worker needs the binary

    return imageio_ffmpeg.get_ffmpeg_exe()


class ConversionFailed(RuntimeError):
    pass


def _run(arguments: list[str], timeout: float) -> None:
    try:
        result = subprocess.run(  # noqa: S603 — our own arguments, no shell
            [ffmpeg(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *arguments],
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ConversionFailed("conversion took too long") from None
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip().splitlines()
        raise ConversionFailed((message[-1] if message else "ffmpeg failed")[:300])


def convert(original: Path, small: Path, poster: Path, *, duration: float) -> None:
    """The phone copy (360p H.264 + AAC, ≤ 250 kbit/s, faststart) and a poster image."""
    timeout = 120 + duration * 10
    _run(
        [
            "-i", str(original),
            "-map", "0:v:0", "-map", "0:a:0?",
            "-vf", f"scale=-2:'min({SMALL_HEIGHT},ih)',format=yuv420p",
            "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "baseline",
            "-b:v", f"{SMALL_VIDEO_KBPS}k", "-maxrate", f"{SMALL_VIDEO_KBPS}k",
            "-bufsize", f"{SMALL_VIDEO_KBPS}k", "-g", "48",
            "-c:a", "aac", "-b:a", f"{SMALL_AUDIO_KBPS}k", "-ac", "1", "-ar", "44100",
            "-movflags", "+faststart",
            str(small),
        ],
        timeout,
    )  # fmt: skip
    at = min(POSTER_AT_SECONDS, duration / 2)
    _run(
        [
            "-ss", f"{at:.2f}", "-i", str(small), "-frames:v", "1",
            "-q:v", "4", str(poster),
        ],
        60,
    )  # fmt: skip
    if not small.exists() or small.stat().st_size == 0 or not poster.exists():
        raise ConversionFailed("the converted file is empty")


# ---------------------------------------------------------------------------- captions

TIMING = re.compile(
    r"^(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})\s+-->\s+(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
)


def _seconds(hours, minutes, seconds, millis) -> float:
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def check_captions(data: bytes, *, max_bytes: int) -> str:
    """WebVTT text, checked cue by cue; raise VideoRejected saying what to fix."""
    if not data:
        raise VideoRejected("captions_empty", _("The caption file is empty."))
    if len(data) > max_bytes:
        raise VideoRejected("captions_too_large", _("The caption file is too large."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise VideoRejected(
            "captions_encoding", _("The caption file must be WebVTT text in UTF-8.")
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not re.match(r"^WEBVTT(?:[ \t].*)?$", lines[0]):
        raise VideoRejected(
            "captions_not_vtt", _("The caption file is not WebVTT: it must start with WEBVTT.")
        )
    if "<script" in text.lower() or "\x00" in text:
        raise VideoRejected("captions_markup", _("The caption file contains code."))
    cues = 0
    for number, line in enumerate(lines, start=1):
        if "-->" not in line:
            continue
        match = TIMING.match(line.strip())
        if not match:
            raise VideoRejected(
                "captions_timing",
                _("Line %(line)d of the caption file has a malformed time.") % {"line": number},
            )
        start = _seconds(*match.group(1, 2, 3, 4))
        end = _seconds(*match.group(5, 6, 7, 8))
        if end <= start:
            raise VideoRejected(
                "captions_timing",
                _("Line %(line)d of the caption file ends before it starts.") % {"line": number},
            )
        cues += 1
    if cues == 0:
        raise VideoRejected("captions_empty", _("The caption file has no captions."))
    return text
