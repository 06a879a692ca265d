"""Find and read the MRZ lines in a photo of a passport page or an ID/permit card.

The band is found with OpenCV alone (dark strokes on the light page, joined along each line),
each line is cut out straight from the photo, scaled to a fixed height and a fixed width per
character, and only then read by PaddleOCR's PP-OCRv4 recogniser as shipped inside the
`rapidocr-onnxruntime` wheel (its ONNX file), run by onnxruntime: nothing is downloaded at run time,
and rapidocr's text detector, which cost most of the time on the whole photo, is not run at all.
The recogniser knows thousands of characters; only the 37 an MRZ may hold are let through, and the
line is decoded to exactly its 44 or 30 characters, each position keeping its probabilities so the
ICAO correction (`mrz_correct`) can weigh look-alikes.
"""

from __future__ import annotations

import io
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError

MRZ_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
# Bound the work before decoding: a 40-megapixel picture (or a decompression bomb) is refused
# from its header. A phone sends about 1.5 megapixels; a scanned copy at 300 dpi about 9.
MAX_PIXELS = 24_000_000
MAX_BYTES = 15 * 1024 * 1024
# The MRZ band needs no more: 44 characters of ~20 pixels.
WORKING_WIDTH = 1600
# The band is looked for in a copy this wide; its lines are cut from the working image.
FIND_WIDTH = 1000
REC_HEIGHT = 48
# The machine's two cores: the lines of a band are read side by side, one thread each.
THREADS = 2
# ICAO 9303-3: 10 characters per 25.4 mm, lines 4.23 mm apart: the line pitch over the
# character pitch, which tells a passport's 44 columns from a card's 30 by the band's shape alone.
LINE_OVER_CHARACTER_PITCH = 4.23 / 2.54
FORMATS = ((3, 30), (2, 44))
# Candidate bands read per photo, most MRZ-like first (each costs one recogniser run or two).
MOST_BANDS = 2


@dataclass(frozen=True)
class Variant:
    """How a line is cut for the recogniser: strip height over the line's, pixels per character."""

    height: float
    cell: int


# The recogniser reads OCR-B best with glyphs about as wide as they are tall (fewer pixels per
# character drop glyphs of a double letter); a second cut rescues most lines the first misreads.
VARIANTS = (Variant(1.5, 44), Variant(1.3, 50))


# Look-alikes that a glyph's height tells apart (OCR-B's digits are taller than its capitals),
# and where between a capital's height (0) and a digit's (1) a glyph is taken as either.
HEIGHT_PAIRS = {"0": "O", "2": "Z", "5": "S", "8": "B"}
HEIGHT_PAIRS |= {letter: digit for digit, letter in HEIGHT_PAIRS.items()}
CAPITAL_BELOW = 0.6
DIGIT_ABOVE = 0.8


class PhotoError(ValueError):
    """The photo cannot be read: not an image, too large, or no MRZ found in it."""


@dataclass(frozen=True)
class TextLine:
    """A line of text on the photo: its centre, length, height and slant (degrees)."""

    x: float
    y: float
    length: float
    height: float
    angle: float


@dataclass(frozen=True)
class Band:
    """Two or three lines that have an MRZ's shape, and how many characters each must hold."""

    lines: tuple[TextLine, ...]
    columns: int


def decode(data: bytes):
    """The photo as a grayscale array at most WORKING_WIDTH wide; PhotoError if it is no image."""
    import numpy  # noqa: PLC0415 — heavy, loaded on the first photo

    if not data or len(data) > MAX_BYTES:
        raise PhotoError("empty or too large a file")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise PhotoError(f"{width}x{height} pixels is more than the reader takes")
            if image.format == "JPEG":
                image.draft("L", (WORKING_WIDTH, WORKING_WIDTH))
            image = ImageOps.exif_transpose(image).convert("L")
    except PhotoError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Warning) as error:
        raise PhotoError(f"not an image: {error}") from error
    except Exception as error:  # noqa: BLE001 — a hostile file may break a decoder anywhere
        raise PhotoError(f"not a readable image: {error!r}") from error
    if image.width > WORKING_WIDTH:
        image = image.resize(
            (WORKING_WIDTH, round(image.height * WORKING_WIDTH / image.width)),
            Image.Resampling.BILINEAR,
        )
    if min(image.size) < 200:
        raise PhotoError("too small a picture to hold a readable MRZ")
    return numpy.asarray(image)


class Engine:
    """The recogniser's ONNX session, loaded once per process and shared by threads."""

    def __init__(self) -> None:
        import onnxruntime  # noqa: PLC0415 — heavy
        import rapidocr_onnxruntime  # noqa: PLC0415 — heavy

        models = Path(rapidocr_onnxruntime.__file__).parent / "models"
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 4
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.recogniser = onnxruntime.InferenceSession(
            str(models / "ch_PP-OCRv4_rec_infer.onnx"), options, providers=["CPUExecutionProvider"]
        )
        characters = self.recogniser.get_modelmeta().custom_metadata_map["character"].splitlines()
        # CTC's blank is class 0 before the model's characters.
        self.classes = [0] + [characters.index(character) + 1 for character in MRZ_ALPHABET]

    def recognise(self, strip):
        """The recogniser's output for one strip: one row of class probabilities per frame."""
        import numpy  # noqa: PLC0415 — heavy, loaded on the first photo

        tensor = numpy.repeat((strip.astype(numpy.float32) / 127.5 - 1.0)[None, None], 3, axis=1)
        (prediction,) = self.recogniser.run(None, {self.recogniser.get_inputs()[0].name: tensor})
        return prediction[0]


_engine_lock = threading.Lock()


@cache
def engine() -> Engine:
    with _engine_lock:
        return Engine()


@cache
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="mrz")


def find_bands(image) -> list[Band]:
    """The groups of long parallel lines shaped like an MRZ, the most MRZ-like first."""
    lines = find_lines(image)
    bands: list[tuple[float, Band]] = []
    for count, columns in FORMATS:
        for start in range(len(lines) - count + 1):
            group = lines[start : start + count]
            misfit = _misfit(group, columns)
            if misfit is not None:
                bands.append((misfit, Band(tuple(group), columns)))
    if not bands:
        raise PhotoError(f"no MRZ-shaped band among {len(lines)} long text lines")
    return [band for _, band in sorted(bands, key=lambda item: item[0])]


def find_lines(image) -> list[TextLine]:
    """Long thin runs of dark strokes, top to bottom: text lines much wider than tall."""
    import cv2  # noqa: PLC0415 — heavy, loaded on the first photo
    import numpy  # noqa: PLC0415 — heavy, loaded on the first photo

    height, width = image.shape
    scale = min(1.0, FIND_WIDTH / width)
    small = cv2.resize(
        image, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA
    )
    side = small.shape[1]
    # Strokes darker than their surroundings, whatever the page's tint and the light on it.
    stroke = max(3, round(side * 0.012)) | 1
    ink = cv2.morphologyEx(
        small, cv2.MORPH_BLACKHAT, cv2.getStructuringElement(cv2.MORPH_RECT, (stroke, stroke))
    )
    _, mask = cv2.threshold(ink, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    # Join the glyphs of a line across the gaps between characters, not across lines.
    join = cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, round(side * 0.024)), 1))
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, join)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask)
    lines = []
    for label in range(1, count):
        left, top, box_width, box_height, _ = stats[label]
        if box_width < 0.15 * side:
            continue
        window = labels[top : top + box_height, left : left + box_width] == label
        points = numpy.column_stack(numpy.nonzero(window))[:, ::-1] + (left, top)
        (x, y), (length, thickness), angle = cv2.minAreaRect(points.astype(numpy.float32))
        if length < thickness:
            length, thickness, angle = thickness, length, angle - 90
        if angle < -45:
            angle += 180
        elif angle > 45:
            angle -= 180
        if thickness < 3 or length < 8 * thickness:
            continue
        lines.append(TextLine(x / scale, y / scale, length / scale, thickness / scale, angle))
    return sorted(lines, key=lambda line: line.y)


def _misfit(group: list[TextLine], columns: int) -> float | None:
    """How far the lines are from an MRZ of `columns` characters; None if they cannot be one."""
    import math  # noqa: PLC0415 — beside its only use

    longest = max(line.length for line in group)
    if any(line.length < 0.85 * longest for line in group):
        return None
    if max(line.angle for line in group) - min(line.angle for line in group) > 3:
        return None
    spacings = [
        math.hypot(below.x - above.x, below.y - above.y)
        for above, below in zip(group, group[1:], strict=False)
    ]
    height = sum(line.height for line in group) / len(group)
    if not all(1.2 * height <= spacing <= 4 * height for spacing in spacings):
        return None
    if max(spacings) > 1.3 * min(spacings):
        return None
    # The lines start and end together: their centres lie on one perpendicular.
    slant = math.radians(sum(line.angle for line in group) / len(group))
    along = [line.x * math.cos(slant) + line.y * math.sin(slant) for line in group]
    if max(along) - min(along) > 0.08 * longest:
        return None
    character_pitch = sum(spacings) / len(spacings) / LINE_OVER_CHARACTER_PITCH
    estimate = longest / character_pitch + 0.4
    if abs(estimate - columns) > 0.2 * columns:
        return None
    return abs(estimate - columns) / columns


def read_lines(
    image, band: Band, variant: Variant, wanted: set[int] | None = None
) -> list[list[dict[str, float]] | None]:
    """Each line's `band.columns` characters, as probabilities over the MRZ alphabet.

    Only the lines numbered in `wanted` are read when it is given; the others come back None.
    """
    import numpy  # noqa: PLC0415 — heavy, loaded on the first photo

    ocr = engine()
    chosen = [index for index in range(len(band.lines)) if wanted is None or index in wanted]
    strips = [_strip(image, band.lines[index], band.columns, variant) for index in chosen]
    # One run per line: onnxruntime reads a batch of long lines slower than the lines one by one,
    # and the lines run side by side on the two cores.
    predictions = list(_pool().map(ocr.recognise, strips))
    lines: list[list[dict[str, float]] | None] = [None] * len(band.lines)
    for index, strip, prediction in zip(chosen, strips, predictions, strict=True):
        frames = prediction[:, ocr.classes]
        frames = frames / numpy.maximum(frames.sum(axis=1, keepdims=True), 1e-9)
        peaks = _fit(frames, band.columns)
        glyphs = [_glyph(frames[frame]) for frame in peaks]
        centres = [(frame + 0.5) * strip.shape[1] / len(frames) for frame in peaks]
        lines[index] = _weigh_heights(glyphs, _heights(strip, centres, variant.cell))
    return lines


def _heights(strip, centres: list[float], cell: int):
    """Each glyph's ink height in the strip (NaN where no glyph stands out at its place)."""
    import cv2  # noqa: PLC0415 — heavy, loaded on the first photo
    import numpy  # noqa: PLC0415 — heavy, loaded on the first photo

    _, ink = cv2.threshold(strip, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink)
    stats = stats[1:]
    middles = stats[:, 0] + stats[:, 2] / 2
    tall_enough = stats[:, 3] > 0.3 * strip.shape[0]
    background = float(numpy.percentile(strip, 95))
    contrast = max(background - float(numpy.percentile(strip, 3)), 1.0)
    heights = []
    for centre in centres:
        near = numpy.flatnonzero(tall_enough & (numpy.abs(middles - centre) < 0.4 * cell))
        if near.size == 0:
            heights.append(numpy.nan)
            continue
        left, _, width, _, _ = stats[near[stats[near, 4].argmax()]]
        # Where the glyph's darkest pixel in each row passes half the ink's depth, to a tenth
        # of a pixel: a glyph is some 30 pixels high here and a digit is 2 taller than a capital.
        depth = numpy.clip(
            (background - strip[:, left : left + width].astype(numpy.float32)) / contrast, 0, 1
        ).max(axis=1)
        rows = numpy.flatnonzero(depth > 0.5)
        top, bottom = int(rows[0]), int(rows[-1])
        if top > 0:
            top -= (depth[top] - 0.5) / max(depth[top] - depth[top - 1], 1e-6)
        if bottom + 1 < len(depth):
            bottom += (depth[bottom] - 0.5) / max(depth[bottom] - depth[bottom + 1], 1e-6)
        heights.append(bottom - top)
    return numpy.array(heights)


def _weigh_heights(glyphs: list[dict[str, float]], heights) -> list[dict[str, float]]:
    """Put first the look-alike that the glyph's height speaks for, where it speaks clearly.

    OCR-B's digits stand about 7 % taller than its capitals (ICAO 9303-3 prints the MRZ in it),
    which the recogniser ignores: it reads the document number's O as 0 with 99 % confidence.
    The height only reorders a pair the check digit tells apart, so a wrong cue makes the check
    digit fail and the correction try the partner as before; G and 6, which no check digit tells
    apart, are left to the recogniser alone.
    """
    import numpy  # noqa: PLC0415 — heavy, loaded on the first photo

    def sure(glyph: dict[str, float], kind) -> bool:
        best = max(glyph, key=glyph.__getitem__, default="<")
        return glyph.get(best, 0) >= 0.98 and kind(best)

    digits = [h for g, h in zip(glyphs, heights, strict=True) if sure(g, _digit)]
    capitals = [h for g, h in zip(glyphs, heights, strict=True) if sure(g, _capital)]
    if len(digits) < 3 or len(capitals) < 3:
        return glyphs
    digit_height, capital_height = numpy.nanmedian(digits), numpy.nanmedian(capitals)
    if not digit_height > capital_height * 1.03:
        return glyphs
    weighed = []
    for glyph, height in zip(glyphs, heights, strict=True):
        best = max(glyph, key=glyph.__getitem__, default="<")
        partner = HEIGHT_PAIRS.get(best)
        share = (height - capital_height) / (digit_height - capital_height)
        if partner is not None and (
            (best.isdigit() and share < CAPITAL_BELOW) or (best.isalpha() and share > DIGIT_ABOVE)
        ):
            glyph = dict(glyph) | {partner: glyph[best], best: glyph.get(partner, 0.0)}
        weighed.append(glyph)
    return weighed


def _digit(character: str) -> bool:
    return character.isdigit() and character != "1"


def _capital(character: str) -> bool:
    return character.isalpha() and character not in "IJ"


def band_crop(image, band: Band) -> bytes:
    """The band straightened, as a JPEG to show beside the fields read from it."""
    import cv2  # noqa: PLC0415 — heavy, loaded on the first photo

    first, last = band.lines[0], band.lines[-1]
    middle = TextLine(
        (first.x + last.x) / 2,
        (first.y + last.y) / 2,
        max(line.length for line in band.lines) * 1.06,
        ((last.x - first.x) ** 2 + (last.y - first.y) ** 2) ** 0.5 + 2.2 * first.height,
        sum(line.angle for line in band.lines) / len(band.lines),
    )
    crop = _cut(image, middle, middle.length, middle.height, 1.0, 1.0)
    _, encoded = cv2.imencode(".jpg", crop, [cv2.IMWRITE_JPEG_QUALITY, 70])
    return encoded.tobytes()


def _strip(image, line: TextLine, columns: int, variant: Variant):
    """The line cut out level, REC_HEIGHT high, `variant.cell` pixels per character."""
    # The line runs from the first glyph's left edge to the last one's right: a glyph is about
    # six tenths of its cell.
    pitch = line.length / (columns - 0.4)
    width = line.length + 1.2 * pitch
    height = line.height * variant.height
    return _cut(image, line, width, height, variant.cell / pitch, REC_HEIGHT / height)


def _cut(image, line: TextLine, width: float, height: float, x_scale: float, y_scale: float):
    import cv2  # noqa: PLC0415 — heavy, loaded on the first photo
    import numpy  # noqa: PLC0415 — heavy, loaded on the first photo

    slant = numpy.radians(line.angle)
    cos, sin = numpy.cos(slant), numpy.sin(slant)
    out_width, out_height = max(8, round(width * x_scale)), max(8, round(height * y_scale))
    # Photo → strip: move the line's centre to the origin, turn it level, scale, recentre.
    matrix = numpy.array(
        [
            [x_scale * cos, x_scale * sin, 0.0],
            [-y_scale * sin, y_scale * cos, 0.0],
        ]
    )
    matrix[:, 2] = (out_width / 2, out_height / 2) - matrix[:, :2] @ (line.x, line.y)
    return cv2.warpAffine(
        image,
        matrix,
        (out_width, out_height),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REPLICATE,
    )


def _fit(frames, columns: int) -> list[int]:
    """For each of the line's `columns` characters, the frame that shows it best.

    CTC's greedy reading usually has the right count; when it has not (a glyph lost to the blank,
    or one read twice), the likeliest path through the frames with exactly `columns` characters
    is found instead (a Viterbi over characters emitted so far).
    """
    import numpy  # noqa: PLC0415 — heavy, loaded on the first photo

    best = frames.argmax(axis=1)
    starts = [
        index
        for index, label in enumerate(best)
        if label != 0 and (index == 0 or label != best[index - 1])
    ]
    if len(starts) == columns:
        peaks = []
        for start in starts:
            stop = start
            while stop + 1 < len(best) and best[stop + 1] == best[start]:
                stop += 1
            run = frames[start : stop + 1, best[start]]
            peaks.append(start + int(run.argmax()))
        return peaks
    return _fit_exactly(numpy.log(numpy.maximum(frames, 1e-12)), columns)


def _fit_exactly(log_frames, columns: int) -> list[int]:
    import numpy  # noqa: PLC0415 — heavy, loaded on the first photo

    frame_count, classes = log_frames.shape
    lowest = -1e18
    rows = numpy.arange(columns + 1)
    labels = numpy.arange(1, classes)
    # blank[k]: k characters emitted, now between characters; glyph[k, c]: inside the k-th, c.
    blank = numpy.full(columns + 1, lowest)
    glyph = numpy.full((columns + 1, classes - 1), lowest)
    blank[0] = log_frames[0, 0]
    glyph[1] = log_frames[0, 1:]
    from_blank = numpy.zeros((frame_count, columns + 1), dtype=numpy.int16)
    from_glyph = numpy.zeros((frame_count, columns + 1, classes - 1), dtype=numpy.int16)
    for frame in range(1, frame_count):
        first = glyph.argmax(axis=1)
        first_score = glyph[rows, first]
        others = glyph.copy()
        others[rows, first] = lowest
        second = others.argmax(axis=1)
        second_score = others[rows, second]
        new_blank = log_frames[frame, 0] + numpy.maximum(blank, first_score)
        from_blank[frame] = numpy.where(blank >= first_score, -1, first)
        # A new character after the previous one without a blank must differ from it.
        previous_first = numpy.concatenate(([0], first[:-1]))[:, None]
        same = labels[None, :] - 1 == previous_first
        after_glyph = numpy.where(
            same,
            numpy.concatenate(([lowest], second_score[:-1]))[:, None],
            numpy.concatenate(([lowest], first_score[:-1]))[:, None],
        )
        after_glyph_label = numpy.where(
            same,
            numpy.concatenate(([0], second[:-1]))[:, None],
            previous_first,
        )
        after_blank = numpy.broadcast_to(
            numpy.concatenate(([lowest], blank[:-1]))[:, None], glyph.shape
        )
        options = numpy.stack((glyph, after_blank, after_glyph))
        choice = options.argmax(axis=0)
        new_glyph = options.max(axis=0) + log_frames[frame, 1:][None, :]
        new_glyph[0] = lowest
        from_glyph[frame] = numpy.where(
            choice == 0, -2, numpy.where(choice == 1, -1, after_glyph_label)
        )
        blank, glyph = new_blank, new_glyph
    emitted = columns
    label = None if blank[columns] >= glyph[columns].max() else int(glyph[columns].argmax())
    chosen: dict[int, int] = {}
    for frame in range(frame_count - 1, -1, -1):
        if label is not None:
            score = log_frames[frame, label + 1]
            if emitted not in chosen or score > log_frames[chosen[emitted], label + 1]:
                chosen[emitted] = frame
        if frame == 0:
            break
        if label is None:
            source = int(from_blank[frame, emitted])
            label = None if source == -1 else source
        else:
            source = int(from_glyph[frame, emitted, label])
            if source == -1:
                emitted, label = emitted - 1, None
            elif source >= 0:
                emitted, label = emitted - 1, source
    return [chosen.get(index, 0) for index in range(1, columns + 1)]


def _glyph(frame: Any) -> dict[str, float]:
    total = float(frame[1:].sum()) or 1.0
    return {
        character: float(frame[index + 1]) / total
        for index, character in enumerate(MRZ_ALPHABET)
        if frame[index + 1] / total >= 0.005
    }
