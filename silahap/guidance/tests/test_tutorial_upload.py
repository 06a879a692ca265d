"""Uploading a tutorial: probed by its bytes; hostile, broken and oversized files refused."""

import io
import uuid
import zipfile

import pytest
from django.core.exceptions import ValidationError

from silahap.guidance import media, samples
from silahap.guidance.models import QuizQuestion, Tutorial
from silahap.guidance.services import tutorials
from silahap.guidance.tests.helpers import tutorial

pytestmark = pytest.mark.django_db


def refused(people, data: bytes, **values) -> dict:
    with pytest.raises(ValidationError) as error:
        tutorial(people, data, convert=False, **values)
    assert not Tutorial.objects.exists()
    return error.value.message_dict


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "bukan video" * 100)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"MZ\x90\x00\x03" + b"\x00" * 4000, id="windows-executable"),
        pytest.param(b"\x7fELF\x02\x01\x01" + b"\x00" * 4000, id="linux-executable"),
        pytest.param(zip_bytes(), id="zip-renamed-mp4"),
        pytest.param(b"", id="zero-bytes"),
    ],
)
def test_what_is_not_a_video_is_refused(people, data):
    assert "video" in refused(people, data)


def test_a_truncated_video_is_refused(people, mp4_bytes):
    assert "video" in refused(people, mp4_bytes[: len(mp4_bytes) // 2])


def test_a_truncated_faststart_webm_is_refused(people, webm_bytes):
    assert "video" in refused(people, webm_bytes[: len(webm_bytes) // 2])


def test_over_size_and_over_duration_are_refused(people, settings, mp4_bytes):
    settings.SILAHAP_TUTORIAL_MAX_BYTES = 1024
    assert "video" in refused(people, mp4_bytes)
    settings.SILAHAP_TUTORIAL_MAX_BYTES = 100 * 1024 * 1024
    settings.SILAHAP_TUTORIAL_MAX_SECONDS = 3
    assert "video" in refused(people, mp4_bytes)


def test_captions_must_be_webvtt(people, mp4_bytes):
    assert "captions" in refused(
        people, mp4_bytes, captions=b"1\n00:00:01,000 --> 00:00:02,000\nHalo\n"
    )
    assert "captions" in refused(
        people, mp4_bytes, captions=b"WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nX\n"
    )


def test_a_quiz_needs_one_right_answer_per_question(people, mp4_bytes):
    quiz = "Q: Apa yang dibawa?\n- Paspor\n- KTP\n"
    errors = refused(people, mp4_bytes, quiz=quiz, pass_mark=50)
    assert "quiz" in errors


def test_a_webm_upload_is_converted_to_a_small_mp4_with_a_poster(people, webm_bytes):
    made = tutorial(
        people,
        webm_bytes,
        captions=samples.captions(["Halo", "Selamat datang"]),
        quiz="Q: Warna?\n* Merah\n- Biru\n",
        pass_mark=100,
    )
    assert made.status == "ready"
    assert made.duration_seconds == pytest.approx(4, abs=0.2)
    head = made.small.open("rb").read(64 * 1024)
    assert head[4:8] == b"ftyp"
    assert b"moov" in head
    assert made.small_bytes * 8 / made.duration_seconds <= 250_000 + 16_000  # container's own bytes
    assert made.poster.open("rb").read(3) == b"\xff\xd8\xff"
    assert list(
        QuizQuestion.objects.filter(tutorial=made).values_list("correct_index", flat=True)
    ) == [0]


def test_a_failed_conversion_marks_the_upload_failed_with_the_reason(
    people, mp4_bytes, monkeypatch
):
    def broken(*args, **kwargs):
        raise media.ConversionFailed("Encoder libx264 missing")

    monkeypatch.setattr(media, "convert", broken)
    made = tutorial(people, mp4_bytes)
    assert made.status == "failed"
    assert "libx264" in made.failure_reason
    assert not made.small


def test_the_same_key_uploads_once(people, mp4_bytes):
    key = uuid.uuid4()
    first = tutorial(people, mp4_bytes, convert=False, client_id=key)
    again = tutorial(people, mp4_bytes, convert=False, client_id=key)
    assert first.pk == again.pk
    assert Tutorial.objects.count() == 1


def test_parse_quiz_reads_questions_and_choices():
    parsed = tutorials.parse_quiz("Q: Satu?\n- a\n* b\n\nQ: Dua?\n* c\n- d\n- e")
    assert [(q.text, q.correct_index, len(q.choices)) for q in parsed] == [
        ("Satu?", 1, 2),
        ("Dua?", 0, 3),
    ]
