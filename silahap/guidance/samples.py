"""Sample media made on the spot (a test-pattern video, captions, a PDF): for the demo and the
tests, so that no media is fetched from anywhere."""

from __future__ import annotations

import logging
import subprocess
import tempfile
from pathlib import Path

from django.utils.html import escape

from silahap.guidance.media import ffmpeg


def pattern_video(
    *, seconds: float = 6, container: str = "mp4", size: str = "640x360", rate: int = 15
) -> bytes:
    """A colour test pattern with a tone: MP4 (H.264 + AAC) or WebM (VP8 + Opus)."""
    codecs = {
        "mp4": ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac"],
        "webm": ["-c:v", "libvpx", "-deadline", "realtime", "-b:v", "300k", "-c:a", "libopus"],
    }[container]
    with tempfile.TemporaryDirectory(prefix="silahap-sample-") as work:
        target = Path(work) / f"sample.{container}"
        subprocess.run(  # noqa: S603 — our own arguments, no shell
            [
                ffmpeg(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
                "-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}:duration={seconds}",
                "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
                *codecs, "-shortest", str(target),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )  # fmt: skip
        return target.read_bytes()


def captions(lines: list[str], *, seconds_each: float = 2.0) -> bytes:
    """WebVTT with one cue per line, one after the other."""

    def stamp(value: float) -> str:
        minutes, rest = divmod(value, 60)
        return f"00:{int(minutes):02d}:{rest:06.3f}"

    cues = ["WEBVTT", ""]
    for index, line in enumerate(lines):
        start, end = index * seconds_each, (index + 1) * seconds_each
        cues += [f"{stamp(start)} --> {stamp(end)}", line, ""]
    return "\n".join(cues).encode()


def pdf(title: str, paragraphs: list[str]) -> bytes:
    """A small PDF document rendered by WeasyPrint."""
    from weasyprint import HTML  # noqa: PLC0415 — heavy (~1 s), samples only

    body = "".join(f"<p>{escape(text)}</p>" for text in paragraphs)
    html = (
        "<html><head><meta charset='utf-8'><style>body{font-family:sans-serif;font-size:11pt}"
        f"</style></head><body><h1>{escape(title)}</h1>{body}</body></html>"
    )
    # WeasyPrint narrates each step at INFO; a seed run needs none of it.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    return HTML(string=html).write_pdf()
