"""read_document_photo: a generated document photo read end to end, and bad input refused.

OCR on two cores costs about half a second a photo, so the suite reads a handful; `make bench` reads
the large corpus (silahap/registry/management/commands/bench_mrz_photo.py).
"""

import io
from datetime import date

import numpy
import pytest
from django.core.management import call_command
from PIL import Image, ImageDraw, ImageFont

from silahap.registry.mrz import MRZError, parse_mrz, read_document_photo
from silahap.registry.mrz_photo import MRZ_ALPHABET, _fit, _weigh_heights, decode, find_bands
from silahap.testing.mrz_photos import corpus

TODAY = date(2026, 12, 5)
CHECKED = {"document_number", "birth_date", "expiry_date"}


@pytest.fixture(scope="module")
def photos():
    # Seed 5's three gentle photos: two passport pages and one permit card.
    return corpus(3, seed=5, gentle=True)


def _jpeg(image: Image.Image, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", **options)
    return out.getvalue()


def test_passport_and_card_photos_are_read_with_every_field(photos):
    assert [photo.format for photo in photos] == ["TD3", "TD3", "TD1"]
    for photo in photos:
        reading = read_document_photo(photo.jpeg, today=TODAY)
        assert reading.data == parse_mrz(photo.mrz, today=TODAY)
        assert reading.unsure == frozenset()
        assert set(reading.confidence) == {"names", "issuing_country", "nationality", "sex"}
        assert all(0 <= value <= 1 for value in reading.confidence.values())
        crop = Image.open(io.BytesIO(reading.crop_jpeg))
        # The crop shows the band: much wider than tall, a fraction of the photo.
        assert crop.width > 4 * crop.height
        assert crop.width < Image.open(io.BytesIO(photo.jpeg)).width


def test_a_field_read_wrong_is_named_unsure_and_left_empty(photos):
    """Whatever the reader returns, a checked field that differs from the page is in .unsure."""
    photo = photos[0]
    image = Image.open(io.BytesIO(photo.jpeg)).convert("L")
    # Smear the bottom line's start, where the document number is.
    width, height = image.size
    pixels = image.load()
    for y in range(height):
        for x in range(0, width // 2, 7):
            pixels[x, y] = 255
    _right_or_named(_jpeg(image), photo)


def _right_or_named(data: bytes, photo) -> None:
    """Refused with the photo's message, or read with every checked field right or named
    unsure and left empty: never a wrong document number or date filled in silently."""
    try:
        reading = read_document_photo(data, today=TODAY)
    except MRZError as error:
        refused = error
    else:
        refused = None
    if refused is not None:
        assert refused.field == "photo"
        return  # refusing is as good as naming the fields
    truth = parse_mrz(photo.mrz, today=TODAY)
    for field in CHECKED:
        if getattr(reading.data, field) != getattr(truth, field):
            assert field in reading.unsure
            assert getattr(reading.data, field) in ("", None)


def test_a_photo_of_a_screen_is_read_right_or_refused(photos):
    """A page shown on a monitor and photographed: the screen's red, green and blue stripes,
    a moiré of the two grids, a blue cast and a glare across one corner."""
    image = numpy.asarray(Image.open(io.BytesIO(photos[0].jpeg)).convert("RGB"), dtype=float)
    height, width, _ = image.shape
    y, x = numpy.mgrid[0:height, 0:width]
    stripes = numpy.stack([(x % 3 == channel) * 0.45 + 0.55 for channel in range(3)], axis=-1)
    moire = 1 + 0.18 * numpy.sin(2 * numpy.pi * (x * 0.011 + y * 0.017))[..., None]
    glare = 90 * numpy.clip(1 - numpy.hypot(x - width, y) / (0.8 * width), 0, 1)[..., None]
    screen = image * stripes * moire * numpy.array([0.85, 0.95, 1.1]) + glare
    shot = Image.fromarray(numpy.clip(screen, 0, 255).astype("uint8"))
    _right_or_named(_jpeg(shot, quality=70), photos[0])


def _refused(data: bytes) -> MRZError:
    with pytest.raises(MRZError) as refused:
        read_document_photo(data, today=TODAY)
    assert refused.value.field == "photo"
    return refused.value


def test_a_file_that_is_not_an_image_is_refused():
    _refused(b"%PDF-1.7 this is no picture")
    _refused(b"")


def test_blank_and_black_photos_are_refused():
    _refused(_jpeg(Image.new("RGB", (1200, 900), "white")))
    _refused(_jpeg(Image.new("RGB", (1200, 900), "black")))


def test_a_40_megapixel_image_is_refused_before_it_is_decoded():
    # 8000 x 5000 of one colour compresses to a few kilobytes: the header alone must stop it.
    out = io.BytesIO()
    Image.new("L", (8000, 5000), 200).save(out, "PNG")
    assert len(out.getvalue()) < 200_000
    assert "pixels" in str(_refused(out.getvalue()))


def test_a_page_that_is_not_a_document_is_refused():
    image = Image.new("RGB", (1400, 1000), (230, 230, 220))

    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(40)
    for row in range(8):
        draw.text((80, 80 + row * 100), "Laporan harian petugas imigrasi", font=font, fill="black")
    _refused(_jpeg(image, quality=80))


def test_an_upside_down_page_is_refused_not_misread(photos):
    image = Image.open(io.BytesIO(photos[1].jpeg)).rotate(180)
    _refused(_jpeg(image, quality=85))


def test_an_mrz_cut_off_at_the_edge_is_refused_not_half_read(photos):
    image = Image.open(io.BytesIO(photos[1].jpeg))
    # The MRZ ends near the page's right edge; cutting the photo at 60 % of its width loses it.
    cut = image.crop((0, 0, int(image.width * 0.6), image.height))
    _refused(_jpeg(cut, quality=85))


def test_the_bench_command_prints_its_figures(tmp_path, settings):

    settings.BASE_DIR = tmp_path
    out = io.StringIO()
    call_command("bench_mrz_photo", count=2, seed=5, stdout=out)
    assert "MRZ photos: 2 read" in out.getvalue()
    assert "with a wrong check-digit-covered field not in .unsure" in out.getvalue()
    figures = (tmp_path / "var" / "bench" / "mrz_photo.json").read_text()
    assert '"photos": 2' in figures


def test_the_band_is_found_by_its_shape_and_its_shape_tells_passport_from_card(photos):
    for photo in photos:
        bands = find_bands(decode(photo.jpeg))
        expected = (2, 44) if photo.format == "TD3" else (3, 30)
        assert (len(bands[0].lines), bands[0].columns) == expected
        # The band is the lowest text on the page.
        assert all(line.length > 4 * line.height for line in bands[0].lines)


def _frames(path: str, lost: set[int] = frozenset()) -> numpy.ndarray:
    """Recogniser-like frames: each glyph over three frames and a blank frame between glyphs."""
    rows = []
    for index, character in enumerate(path):
        for _ in range(3):
            row = numpy.full(len(MRZ_ALPHABET) + 1, 0.001)
            if index in lost:
                row[0], row[MRZ_ALPHABET.index(character) + 1] = 0.7, 0.3
            else:
                row[MRZ_ALPHABET.index(character) + 1] = 0.95
            rows.append(row / row.sum())
        blank = numpy.full(len(MRZ_ALPHABET) + 1, 0.001)
        blank[0] = 1.0
        rows.append(blank / blank.sum())
    return numpy.array(rows)


def test_a_glyph_the_recogniser_lost_to_the_blank_is_found_at_the_known_line_length():
    line = "P<GBR<<<ANNA"
    frames = _frames(line, lost={6})
    peaks = _fit(frames, len(line))
    assert len(peaks) == len(line)
    assert peaks == sorted(peaks)
    assert "".join(MRZ_ALPHABET[int(frames[peak][1:].argmax())] for peak in peaks) == line


def test_a_glyph_as_tall_as_a_capital_is_read_as_the_letter_it_resembles():
    sure = [{"1": 0.0, "7": 0.99}, {"3": 0.99}, {"4": 0.99}, {"A": 0.99}, {"K": 0.99}, {"X": 0.99}]
    glyphs = [*sure, {"0": 0.99, "O": 0.01}, {"6": 0.99, "G": 0.01}, {"B": 0.99, "8": 0.01}]
    heights = numpy.array([30.0, 30, 30, 28, 28, 28, 28, 28, 30])
    weighed = _weigh_heights(glyphs, heights)
    assert max(weighed[6], key=weighed[6].get) == "O"
    # G and 6 differ in no check digit: the height never decides between them.
    assert weighed[7] == glyphs[7]
    assert max(weighed[8], key=weighed[8].get) == "8"
    assert weighed[:6] == sure
