"""Photos of passport pages (TD3) and ID/permit cards (TD1), as a hurried officer takes them.

The MRZ is drawn in OCR-B (Debian's fonts-ocr-b, installed by .ci/run); the reader does not need
the font. Every distortion stays inside the ranges issue #22 names, drawn from a seeded random.
"""

from __future__ import annotations

import datetime
import io
import random
import string
from dataclasses import dataclass
from pathlib import Path

import numpy
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageFont

from silahap.testing.mrz import check_digit, td3

OCR_B = Path("/usr/share/fonts/opentype/ocr-b/OCRB.otf")
SURNAMES = (
    "SMITH", "OKONKWO", "NGUYEN", "MULLER", "IVANOVA", "GARCIA LOPEZ", "OBRIEN", "TANAKA",
    "SCHNEIDER", "KOWALSKI", "DUBOIS", "ZHANG", "BERGSTROM", "OYELOWO", "BIBI", "DE LA CRUZ",
    "MOHAMMADI", "FITZGERALD", "SZABO", "PETROVIC",
)  # fmt: skip
GIVEN_NAMES = (
    "ANNA MARIA", "JOHN", "LI", "OLUWASEUN", "PIERRE ANDRE", "SOFIA", "DMITRI", "GRACE",
    "BOGDAN", "ZOE", "MOHAMMED", "HELGA", "SIOBHAN", "KENJI", "ISABEL", "OMAR", "",
)  # fmt: skip
COUNTRIES = ("AUS", "GBR", "NGA", "VNM", "DEU", "RUS", "ESP", "IRL", "JPN", "POL", "FRA", "CHN")
LABELS = ("Type", "Code", "Passport No.", "Surname", "Given names", "Nationality", "Date of birth")


@dataclass(frozen=True)
class Sample:
    jpeg: bytes
    mrz: str
    format: str


def random_mrz(rng: random.Random, *, format: str) -> str:
    """A valid TD3 or TD1 MRZ with random people, numbers and dates."""
    surname = rng.choice(SURNAMES)
    given = rng.choice(GIVEN_NAMES)
    nationality = rng.choice(COUNTRIES)
    birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 55))
    expiry = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 10))
    sex = rng.choice("MF")
    alphabet = string.ascii_uppercase + string.digits
    number = rng.choice(string.ascii_uppercase) + "".join(
        rng.choice(alphabet if rng.random() < 0.3 else string.digits)
        for _ in range(rng.randint(6, 8))
    )
    if format == "TD3":
        return td3(
            surname=surname.replace(" ", "<"),
            given_names=given,
            number=number,
            nationality=nationality,
            birth=birth,
            sex=sex,
            expiry=expiry,
            issuing=nationality if rng.random() < 0.8 else "IDN",
        )
    return _td1(rng, surname, given, number, nationality, birth, sex, expiry)


def _td1(rng, surname, given, number, nationality, birth, sex, expiry) -> str:
    number_field = number.ljust(9, "<")[:9]
    optional = "".join(rng.choice(string.digits) for _ in range(rng.randint(0, 8))).ljust(15, "<")
    line1 = f"{rng.choice(['I<', 'ID', 'A<', 'C<'])}IDN{number_field}{check_digit(number_field)}"
    line1 += optional
    birth_field, expiry_field = f"{birth:%y%m%d}", f"{expiry:%y%m%d}"
    line2 = (
        f"{birth_field}{check_digit(birth_field)}{sex}{expiry_field}{check_digit(expiry_field)}"
        f"{nationality}{'<' * 11}"
    )
    composite = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
    line2 += check_digit(composite)
    names = f"{surname.replace(' ', '<')}<<{given.replace(' ', '<')}"[:30].ljust(30, "<")
    return f"{line1}\n{line2}\n{names}"


def page(mrz: str, *, rng: random.Random, dots_per_mm: float = 10.0) -> Image.Image:
    """The page: a tinted card with a photo box, printed labels and the MRZ at the bottom."""
    lines = mrz.splitlines()
    td3_page = len(lines) == 2
    width_mm, height_mm = (125, 88) if td3_page else (85.6, 54)
    size = (round(width_mm * dots_per_mm), round(height_mm * dots_per_mm))
    tint = tuple(rng.randint(215, 250) for _ in range(3))
    image = Image.new("RGB", size, tint)
    draw = ImageDraw.Draw(image)
    for _ in range(25):  # a faint security pattern
        x, y = rng.randrange(size[0]), rng.randrange(size[1] // 2)
        radius = rng.randint(20, 160)
        shade = tuple(max(0, channel - rng.randint(8, 25)) for channel in tint)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), outline=shade, width=2)
    photo = (
        round(size[0] * 0.05),
        round(size[1] * 0.12),
        round(size[0] * 0.3),
        round(size[1] * 0.62),
    )
    draw.rectangle(photo, fill=tuple(rng.randint(90, 170) for _ in range(3)))
    label_font = ImageFont.load_default(round(2.2 * dots_per_mm))
    value_font = ImageFont.load_default(round(3.2 * dots_per_mm))
    x = photo[2] + round(4 * dots_per_mm)
    for row, label in enumerate(LABELS[: 5 if td3_page else 4]):
        y = photo[1] + row * round(size[1] * 0.1)
        draw.text((x, y), label, font=label_font, fill=(90, 90, 110))
        value = "".join(rng.choice(string.ascii_uppercase) for _ in range(rng.randint(4, 12)))
        draw.text((x, y + round(2.4 * dots_per_mm)), value, font=value_font, fill=(20, 20, 30))
    # ICAO 9303-3: OCR-B size 1, 10 characters per 25.4 mm, lines 4.23 mm apart (6 per inch).
    pitch = 2.54 * dots_per_mm
    # Capitals about 2.4 mm high, as printed.
    font = ImageFont.truetype(str(OCR_B), round(3.3 * dots_per_mm))
    line_gap = 4.23 * dots_per_mm
    left = (size[0] - pitch * len(lines[0])) / 2
    bottom = size[1] - 2.0 * dots_per_mm
    ink = tuple(rng.randint(0, 40) for _ in range(3))
    for index, line in enumerate(lines):
        y = bottom - (len(lines) - index) * line_gap
        for column, character in enumerate(line):
            draw.text((left + column * pitch, y), character, font=font, fill=ink)
    return image


def photograph(
    document: Image.Image, *, rng: random.Random, quality: int | None = None, gentle: bool = False
) -> bytes:
    """Place the page on a plain surface and shoot it badly: tilt, perspective, blur, exposure.

    `gentle` keeps the page nearly square and sharp: the suite's small twin of the bench.
    """
    final_width = rng.randint(1300, 1500) if gentle else rng.randint(1100, 2300)
    page_share = rng.uniform(0.7, 0.75) if gentle else rng.uniform(0.55, 0.75)
    scale = final_width * page_share / document.width
    document = document.resize((round(document.width * scale), round(document.height * scale)))
    if not gentle:
        document = _perspective(document, rng)
    tilt = rng.uniform(-1, 1) if gentle else rng.uniform(-6, 6)
    document = document.convert("RGBA").rotate(tilt, resample=Image.Resampling.BICUBIC, expand=True)
    height = round(final_width * rng.uniform(0.7, 1.0))
    height = max(height, document.height + 40)
    background = tuple(rng.randint(30, 200) for _ in range(3))
    frame = Image.new("RGB", (final_width, height), background)
    x = rng.randint(0, max(0, final_width - document.width))
    y = rng.randint(0, max(0, height - document.height))
    frame.paste(document, (x, y), document)
    frame = frame.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.5 if gentle else 1.4)))
    frame = ImageEnhance.Brightness(frame).enhance(rng.uniform(0.7, 1.15))
    frame = ImageEnhance.Contrast(frame).enhance(rng.uniform(0.75, 1.1))
    out = io.BytesIO()
    frame.save(out, "JPEG", quality=quality or (85 if gentle else rng.randint(55, 85)))
    return out.getvalue()


def _perspective(image: Image.Image, rng: random.Random) -> Image.Image:
    width, height = image.size
    # Each corner moves by up to 4 % of the side, as a phone held a little off square does.
    corners = [
        (x + rng.uniform(-0.04, 0.04) * width, y + rng.uniform(-0.04, 0.04) * height)
        for x, y in ((0, 0), (width, 0), (width, height), (0, height))
    ]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    shift_x, shift_y = -min(xs), -min(ys)
    target = [(x + shift_x, y + shift_y) for x, y in corners]
    size = (round(max(xs) + shift_x), round(max(ys) + shift_y))
    coefficients = _coefficients(target, [(0, 0), (width, 0), (width, height), (0, height)])
    return image.convert("RGBA").transform(
        size, Image.Transform.PERSPECTIVE, coefficients, Image.Resampling.BICUBIC
    )


def _coefficients(source, target):
    matrix = []
    for (x, y), (u, v) in zip(source, target, strict=True):
        matrix.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        matrix.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    a = numpy.array(matrix, dtype=float)
    b = numpy.array(target, dtype=float).reshape(8)
    return numpy.linalg.solve(a, b).tolist()


def corpus(count: int, *, seed: int = 22, gentle: bool = False) -> list[Sample]:
    """`count` photos, two thirds passports and one third cards, the same for the same seed."""
    rng = random.Random(seed)
    samples = []
    for index in range(count):
        format = "TD1" if index % 3 == 2 else "TD3"
        mrz = random_mrz(rng, format=format)
        jpeg = photograph(page(mrz, rng=rng), rng=rng, gentle=gentle)
        samples.append(Sample(jpeg, mrz, format))
    return samples
