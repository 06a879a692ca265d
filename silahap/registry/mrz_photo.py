"""Find and read the MRZ lines in a photo of a passport page or an ID/permit card.

The OCR is PaddleOCR's PP-OCRv4 detector and recogniser as shipped inside the
`rapidocr-onnxruntime` wheel (its ONNX files), run by onnxruntime: nothing is downloaded at run
time. The recogniser knows thousands of characters; only the 37 an MRZ may hold are let through,
each position keeping its probabilities so the ICAO correction (`mrz_correct`) can weigh
look-alikes.
"""

from __future__ import annotations

import io
import itertools
import threading
import warnings
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
DETECTION_SIDE = 736
REC_HEIGHT = 48
# Ask onnxruntime for no more threads than the machine's two cores.
THREADS = 2
# The scales a photo is read at, until one reads it with every check digit right.
SCALES = (1.0, 0.8)
# Long text lines read per photo, and how far a line's glyph count may miss 44 or 30.
MOST_LINES = 5
SLACK = 4
# Width over height of the pieces a line is read in, about that of the recogniser's training.
PIECE_ASPECT = 16


class PhotoError(ValueError):
    """The photo cannot be read: not an image, too large, or no MRZ found in it."""


@dataclass(frozen=True)
class Band:
    """The MRZ lines as read, one dict of character probabilities per position, and its crop."""

    lines: list[list[dict[str, float]]]
    crop_jpeg: bytes


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


def rescale(image, scale: float):
    import cv2  # noqa: PLC0415 — heavy, loaded on the first photo

    if scale == 1.0:
        return image
    height, width = image.shape
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA)


class Engine:
    """The ONNX sessions, loaded once per process and shared by threads (onnxruntime allows it)."""

    def __init__(self) -> None:
        import onnxruntime  # noqa: PLC0415 — heavy
        import rapidocr_onnxruntime  # noqa: PLC0415 — heavy
        from rapidocr_onnxruntime.ch_ppocr_det.utils import (  # noqa: PLC0415 — heavy
            DBPostProcess,
        )

        models = Path(rapidocr_onnxruntime.__file__).parent / "models"
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 4
        options.intra_op_num_threads = THREADS
        options.inter_op_num_threads = 1
        providers = ["CPUExecutionProvider"]
        self.detector = onnxruntime.InferenceSession(
            str(models / "ch_PP-OCRv4_det_infer.onnx"), options, providers=providers
        )
        self.recogniser = onnxruntime.InferenceSession(
            str(models / "ch_PP-OCRv4_rec_infer.onnx"), options, providers=providers
        )
        characters = self.recogniser.get_modelmeta().custom_metadata_map["character"].splitlines()
        # CTC's blank is class 0 before the model's characters.
        self.classes = [0] + [characters.index(character) + 1 for character in MRZ_ALPHABET]
        self.postprocess = DBPostProcess(
            thresh=0.3, box_thresh=0.5, max_candidates=200, unclip_ratio=1.6, use_dilation=True
        )


_engine_lock = threading.Lock()


@cache
def engine() -> Engine:
    with _engine_lock:
        return Engine()


def find_band(image) -> Band:
    """Detect the text lines, read the long ones, and keep the 2 or 3 that make an MRZ."""
    import cv2  # noqa: PLC0415 — heavy, loaded on the first photo
    import numpy  # noqa: PLC0415 — heavy, loaded on the first photo

    ocr = engine()
    boxes = _detect(ocr, image)
    height, width = image.shape
    long_lines = []
    for box in _join_split_lines(boxes):
        box_width = numpy.linalg.norm(box[0] - box[1])
        box_height = numpy.linalg.norm(box[0] - box[3])
        if box_height > 0 and box_width / box_height >= 5 and box_width >= 0.1 * width:
            long_lines.append(box)
    # The widest few, top to bottom: an MRZ line is among the widest text on its page.
    long_lines.sort(key=lambda box: -numpy.linalg.norm(box[0] - box[1]))
    long_lines = sorted(long_lines[:MOST_LINES], key=lambda box: box[:, 1].mean())
    extended = [_extend(image, box) for box in long_lines]
    extended = [box for box in extended if box is not None]
    readings = [_recognise(ocr, _rectify(image, box)) for box in extended]
    lengths = [len(reading.glyphs) for reading in readings]
    for count, expected in ((2, 44), (3, 30)):
        for start in range(len(readings) - count + 1):
            group = readings[start : start + count]
            if all(abs(len(reading.glyphs) - expected) <= SLACK for reading in group):
                lines = [_on_grid(reading, expected) for reading in group]
                crop = _rectify(image, _union(extended[start : start + count]), padding=0.15)
                _, encoded = cv2.imencode(".jpg", crop, [cv2.IMWRITE_JPEG_QUALITY, 70])
                return Band(lines, encoded.tobytes())
    raise PhotoError(f"no MRZ among {len(boxes)} text lines (long lines read: {lengths})")


@dataclass(frozen=True)
class Line:
    glyphs: list[Glyph]
    frames: Any  # the recogniser's output over the MRZ alphabet, blank first, one row a frame


@dataclass(frozen=True)
class Glyph:
    probabilities: dict[str, float]
    # Where the recogniser saw it, as a share of the line's width (0 at its left, 1 at its right).
    at: float


def _on_grid(line: Line, columns: int) -> list[dict[str, float]]:
    """Put each glyph in its column of the monospaced line; fill a lost one from its frames.

    CTC merges two identical glyphs the model did not separate with a blank (a run of fillers,
    "33"), and now and then a faint glyph loses to the blank: its column is then read from the
    frames where it should be, without the blank.
    """
    glyphs, frames = line.glyphs, line.frames
    if len(glyphs) == columns:
        return [glyph.probabilities for glyph in glyphs]
    first, last = glyphs[0].at, glyphs[-1].at
    pitch = (last - first) / (columns - 1) if last > first else 1.0
    cells: list[dict[str, float] | None] = [None] * columns
    for glyph in glyphs:
        column = min(columns - 1, max(0, round((glyph.at - first) / pitch)))
        held = cells[column]
        if held is None or max(glyph.probabilities.values()) > max(held.values()):
            cells[column] = glyph.probabilities
    filled = []
    for column, cell in enumerate(cells):
        if cell is None:
            middle = (first + column * pitch) * len(frames) - 0.5
            nearby = frames[max(0, round(middle) - 1) : round(middle) + 2]
            if len(nearby):
                best = max(nearby, key=lambda frame: float(frame[1:].max()))
                cell = _glyph(best)
            else:
                cell = {}
        filled.append(cell)
    return filled


def _extend(image, box):
    """Stretch the box along its line over every glyph (the detector stops short of fillers)."""
    import cv2  # noqa: PLC0415 — heavy, loaded on the first photo
    import numpy  # noqa: PLC0415 — heavy, loaded on the first photo

    top_left, top_right, bottom_right, bottom_left = box.astype(numpy.float64)
    along = top_right - top_left
    length = numpy.linalg.norm(along)
    if length < 1:
        return None
    unit = along / length
    line_height = numpy.linalg.norm(bottom_left - top_left)
    reach = length * 1.2
    wide = numpy.array(
        [
            top_left - unit * reach,
            top_right + unit * reach,
            bottom_right + unit * reach,
            bottom_left - unit * reach,
        ],
        dtype=numpy.float32,
    )
    strip = _rectify(image, wide, padding=0.0)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, int(line_height * 0.6)) | 1, 1))
    ink = cv2.morphologyEx(strip, cv2.MORPH_BLACKHAT, kernel)
    rows = ink[int(strip.shape[0] * 0.25) : int(strip.shape[0] * 0.75)]
    threshold = max(12.0, 0.4 * float(numpy.percentile(rows, 99)))
    inked = (rows > threshold).sum(axis=0) >= 2
    scale = strip.shape[1] / (length + 2 * reach)
    begin, end = int(reach * scale), int((reach + length) * scale)
    columns = numpy.flatnonzero(inked[begin:end]) + begin
    if columns.size == 0:
        return None
    gap = max(2, int(line_height * 0.8 * scale))
    right = int(columns[-1])
    while right + 1 < inked.size:
        ahead = numpy.flatnonzero(inked[right + 1 : right + 1 + gap])
        if ahead.size == 0:
            break
        right += int(ahead[0]) + 1
    left = int(columns[0])
    while left > 0:
        behind = numpy.flatnonzero(inked[max(0, left - gap) : left])
        if behind.size == 0:
            break
        left = max(0, left - gap) + int(behind[-1])
    margin = line_height * 0.15
    start = (left / scale) - reach - margin
    stop = (right / scale) - reach + margin
    return numpy.array(
        [
            top_left + unit * start,
            top_left + unit * stop,
            bottom_left + unit * stop,
            bottom_left + unit * start,
        ],
        dtype=numpy.float32,
    )


def _join_split_lines(boxes):
    """Join boxes the detector cut out of one line (it may split a long run of fillers off)."""
    import numpy  # noqa: PLC0415 — heavy, loaded on the first photo

    boxes = sorted(boxes, key=lambda box: box[0][0])
    joined: list = []
    for box in boxes:
        height = numpy.linalg.norm(box[0] - box[3])
        for index, previous in enumerate(joined):
            previous_height = numpy.linalg.norm(previous[0] - previous[3])
            gap = box[0][0] - previous[1][0]
            level = abs((box[0][1] + box[3][1]) / 2 - (previous[1][1] + previous[2][1]) / 2)
            if -height < gap < 2.5 * height and level < 0.4 * max(height, previous_height):
                joined[index] = numpy.array([previous[0], box[1], box[2], previous[3]])
                break
        else:
            joined.append(box)
    return joined


def _detect(ocr: Engine, image):
    import cv2  # noqa: PLC0415 — heavy, loaded on the first photo
    import numpy  # noqa: PLC0415 — heavy, loaded on the first photo

    height, width = image.shape
    scale = DETECTION_SIDE / max(height, width)
    # The detector's strides need sides that are multiples of 32.
    small_width = max(32, round(width * scale / 32) * 32)
    small_height = max(32, round(height * scale / 32) * 32)
    small = cv2.resize(image, (small_width, small_height), interpolation=cv2.INTER_AREA)
    tensor = (small.astype(numpy.float32) / 127.5 - 1.0)[None, None]
    tensor = numpy.repeat(tensor, 3, axis=1)
    (prediction,) = ocr.detector.run(None, {ocr.detector.get_inputs()[0].name: tensor})
    boxes, _ = ocr.postprocess(prediction, (height, width))
    return [numpy.asarray(box, dtype=numpy.float32) for box in boxes]


def _union(boxes):
    import numpy  # noqa: PLC0415 — heavy, loaded on the first photo

    top_left, top_right = boxes[0][0], boxes[0][1]
    bottom_right, bottom_left = boxes[-1][2], boxes[-1][3]
    left = min(top_left[0], bottom_left[0]), max(top_right[0], bottom_right[0])
    return numpy.array(
        [
            [left[0], top_left[1]],
            [left[1], top_right[1]],
            [left[1], bottom_right[1]],
            [left[0], bottom_left[1]],
        ],
        dtype=numpy.float32,
    )


def _rectify(image, box, *, padding: float = 0.04):
    """The quadrilateral cut out and straightened, a little taller than the detector drew it."""
    import cv2  # noqa: PLC0415 — heavy, loaded on the first photo
    import numpy  # noqa: PLC0415 — heavy, loaded on the first photo

    top_left, top_right, bottom_right, bottom_left = box
    down = ((bottom_left - top_left) + (bottom_right - top_right)) / 2
    grown = numpy.array(
        [
            top_left - down * padding,
            top_right - down * padding,
            bottom_right + down * padding,
            bottom_left + down * padding,
        ],
        dtype=numpy.float32,
    )
    width = int(max(numpy.linalg.norm(grown[0] - grown[1]), numpy.linalg.norm(grown[3] - grown[2])))
    height = int(
        max(numpy.linalg.norm(grown[0] - grown[3]), numpy.linalg.norm(grown[1] - grown[2]))
    )
    width, height = max(width, 8), max(height, 8)
    target = numpy.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=numpy.float32)
    matrix = cv2.getPerspectiveTransform(grown, target)
    return cv2.warpPerspective(
        image, matrix, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )


def _recognise(ocr: Engine, line) -> Line:
    """The line's characters, each as probabilities over the MRZ alphabet (CTC, greedy).

    The recogniser loses its way on a line much longer than those it was trained on (it read
    "P<RUSDUBOIS<<<" as "P<2001<<<" whole and right in halves), so the line is cut into pieces
    of about PIECE_ASPECT at gaps between glyphs, read together as one batch, and joined.
    """
    import cv2  # noqa: PLC0415 — heavy, loaded on the first photo
    import numpy  # noqa: PLC0415 — heavy, loaded on the first photo

    height, width = line.shape
    count = max(1, round(width / height / PIECE_ASPECT))
    inked = _ink(line)
    cuts = [0]
    for index in range(1, count):
        target = index * width // count
        window = range(
            max(cuts[-1] + 1, target - height // 2), min(width - 1, target + height // 2)
        )
        blank = [column for column in window if not inked[column]]
        cuts.append(min(blank, key=lambda column: abs(column - target)) if blank else target)
    cuts.append(width)
    pieces = []
    for left, right in itertools.pairwise(cuts):
        piece_width = max(REC_HEIGHT // 2, round((right - left) * REC_HEIGHT / height))
        pieces.append(cv2.resize(line[:, left:right], (piece_width, REC_HEIGHT)))
    widest = max(piece.shape[1] for piece in pieces)
    batch = numpy.zeros((len(pieces), 3, REC_HEIGHT, widest), dtype=numpy.float32)
    for index, piece in enumerate(pieces):
        batch[index, :, :, : piece.shape[1]] = piece.astype(numpy.float32) / 127.5 - 1.0
    (prediction,) = ocr.recogniser.run(None, {ocr.recogniser.get_inputs()[0].name: batch})
    glyphs: list[Glyph] = []
    all_frames = []
    for index, (left, right) in enumerate(itertools.pairwise(cuts)):
        frames = prediction[index][:, ocr.classes]
        frames = frames / numpy.maximum(frames.sum(axis=1, keepdims=True), 1e-9)
        # Frames past the piece's own width read the batch's padding.
        used = max(1, round(len(frames) * pieces[index].shape[1] / widest))
        frames = frames[:used]
        all_frames.append(frames)
        frame_share = (right - left) / width / used
        best = frames.argmax(axis=1)
        previous = 0
        for frame_index, label in enumerate(best):
            at = left / width + (frame_index + 0.5) * frame_share
            if label != 0 and label != previous:
                glyphs.append(Glyph(_glyph(frames[frame_index]), at))
            elif label != 0 and label == previous:
                # The same glyph over more frames: keep its surest frame.
                merged = _glyph(frames[frame_index])
                if max(merged.values()) > max(glyphs[-1].probabilities.values()):
                    glyphs[-1] = Glyph(merged, glyphs[-1].at)
            previous = label
    return Line(glyphs, numpy.concatenate(all_frames))


def _ink(strip):
    """Which columns of a line hold ink (a glyph's stroke), against the local background."""
    import cv2  # noqa: PLC0415 — heavy, loaded on the first photo
    import numpy  # noqa: PLC0415 — heavy, loaded on the first photo

    height = strip.shape[0]
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, int(height * 0.6)) | 1, 1))
    ink = cv2.morphologyEx(strip, cv2.MORPH_BLACKHAT, kernel)
    rows = ink[int(height * 0.25) : int(height * 0.75)]
    threshold = max(12.0, 0.4 * float(numpy.percentile(rows, 99)))
    return (rows > threshold).sum(axis=0) >= 2


def _glyph(frame) -> dict[str, float]:
    total = float(frame[1:].sum()) or 1.0
    return {
        character: float(frame[index + 1]) / total
        for index, character in enumerate(MRZ_ALPHABET)
        if frame[index + 1] / total >= 0.005
    }
