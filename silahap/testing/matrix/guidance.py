"""Role × URL rows for guidance: directions, the SOP library, tutorials, completion."""

from __future__ import annotations

import datetime
import io
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter

from silahap.guidance import samples
from silahap.guidance.services.directions import direction_send
from silahap.guidance.services.library import sop_create
from silahap.guidance.services.tutorials import tutorial_conversion_finish, tutorial_upload
from silahap.testing.url_matrix import Row, signed_in

# Partners see nothing of guidance; another office's officer does not see section A's direction.
UNSEEN = {"officer_b": 404, "partner": 404, "office_admin": 404}


def team_direction(people):
    """A direction from leader_a's section to team 1 (officer_a), with a PDF, once per test."""
    if not hasattr(people, "_direction"):
        people._direction = direction_send(
            by=people.leader_a,
            client_id=uuid.uuid4(),
            unit=people.section_a,
            body="Periksa hotel di Cikokol.",
            units=[people.team_a],
            attachment=_pdf(),
        )
    return people._direction


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def direction_url(name):
    return lambda people: reverse(name, args=[team_direction(people).pk])


ROWS: dict[str, Row] = {
    "guidance:direction_list": Row({"GET": signed_in(200, partner=404), "POST": signed_in(405)}),
    # An empty form: the leader gets it back with the problems beside the fields.
    "guidance:direction_create": Row(
        {
            "GET": signed_in(403, leader_a=200, partner=404),
            "POST": signed_in(403, leader_a=422, partner=404),
        }
    ),
    "guidance:direction_detail": Row(
        {"GET": signed_in(200, **UNSEEN), "POST": signed_in(405)},
        url_for=direction_url("guidance:direction_detail"),
    ),
    "guidance:direction_attachment": Row(
        {"GET": signed_in(200, **UNSEEN), "POST": signed_in(405)},
        url_for=direction_url("guidance:direction_attachment"),
    ),
    # Only a recipient answers (officer_a); the leaders above see it but may not answer it.
    "guidance:direction_acknowledge": Row(
        {"GET": signed_in(405), "POST": signed_in(403, officer_a=302, **UNSEEN)},
        url_for=direction_url("guidance:direction_acknowledge"),
    ),
    "guidance:direction_done": Row(
        {"GET": signed_in(405), "POST": signed_in(403, officer_a=302, **UNSEEN)},
        url_for=direction_url("guidance:direction_done"),
        data={"POST": {"note": "Sudah dicek."}},
    ),
    "guidance:direction_note": Row(
        {"GET": signed_in(405), "POST": signed_in(403, officer_a=302, **UNSEEN)},
        url_for=direction_url("guidance:direction_note"),
        data={"POST": {"body": "Ralat.", "client_id": "5d7b2f0e-3c1a-4e8b-9a6f-0c2d4e6f8a10"}},
    ),
    # The sender (leader_a) reminds; the analyst above reads the direction but does not lead.
    "guidance:direction_remind": Row(
        {"GET": signed_in(405), "POST": signed_in(403, leader_a=302, **UNSEEN)},
        url_for=direction_url("guidance:direction_remind"),
    ),
}


# The library is national: every immigration staff member reads it; leaders and office
# administrators publish; partners get 404.
STAFF = {"partner": 404}
PUBLISHERS = {"leader_a": 200, "office_admin": 200, "partner": 404}
PUBLISHERS_POST = {"leader_a": 422, "office_admin": 422, "partner": 404}


def library_sop(people):
    """An SOP with one version, published by leader_a, once per test."""
    if not hasattr(people, "_sop"):
        people._sop = sop_create(
            by=people.leader_a,
            client_id=uuid.uuid4(),
            title="Pengawasan lapangan",
            category="field",
            number="1",
            effective_date=datetime.date(2025, 1, 1),
            data=_pdf(),
            required_roles=["officer"],
        )
    return people._sop


def ready_tutorial(people):
    """A tutorial with a quiz, its conversion finished through the service (no ffmpeg here)."""
    if not hasattr(people, "_tutorial"):
        video = _video()
        made = tutorial_upload(
            by=people.leader_a,
            client_id=uuid.uuid4(),
            title="Memeriksa ITAS",
            video=video,
            captions=samples.captions(["Halo"]),
            quiz="Q: Warna?\n* Merah\n- Biru\n",
            pass_mark=100,
        )
        people._tutorial = tutorial_conversion_finish(
            tutorial=made, small=video.open().read(), poster=b"\xff\xd8\xff\xe0 poster"
        )
    return people._tutorial


_VIDEO: list[bytes] = []


def _video():
    if not _VIDEO:
        _VIDEO.append(samples.pattern_video(seconds=2, size="160x90"))
    return SimpleUploadedFile("video.mp4", _VIDEO[0], content_type="video/mp4")


def sop_url(name):
    return lambda people: reverse(name, args=[library_sop(people).pk])


def version_url(name):
    return lambda people: reverse(name, args=[library_sop(people).versions.get().pk])


def tutorial_url(name, *extra):
    return lambda people: reverse(name, args=[ready_tutorial(people).pk, *extra])


ROWS.update(
    {
        "guidance:sop_list": Row({"GET": signed_in(200, **STAFF), "POST": signed_in(405)}),
        # An empty form: the publisher gets it back with the problems beside the fields.
        "guidance:sop_create": Row(
            {"GET": signed_in(403, **PUBLISHERS), "POST": signed_in(403, **PUBLISHERS_POST)}
        ),
        "guidance:sop_detail": Row(
            {"GET": signed_in(200, **STAFF), "POST": signed_in(405)},
            url_for=sop_url("guidance:sop_detail"),
        ),
        "guidance:sop_version_publish": Row(
            {"GET": signed_in(405), "POST": signed_in(403, **PUBLISHERS_POST)},
            url_for=sop_url("guidance:sop_version_publish"),
        ),
        "guidance:sop_version_file": Row(
            {"GET": signed_in(200, **STAFF), "POST": signed_in(405)},
            url_for=version_url("guidance:sop_version_file"),
        ),
        "guidance:sop_acknowledge": Row(
            {"GET": signed_in(405), "POST": signed_in(302, **STAFF)},
            url_for=version_url("guidance:sop_acknowledge"),
        ),
        "guidance:tutorial_list": Row({"GET": signed_in(200, **STAFF), "POST": signed_in(405)}),
        "guidance:tutorial_create": Row(
            {"GET": signed_in(403, **PUBLISHERS), "POST": signed_in(403, **PUBLISHERS_POST)}
        ),
        "guidance:tutorial_detail": Row(
            {"GET": signed_in(200, **STAFF), "POST": signed_in(405)},
            url_for=tutorial_url("guidance:tutorial_detail"),
        ),
        "guidance:tutorial_media": Row(
            {"GET": signed_in(200, **STAFF), "POST": signed_in(405)},
            url_for=tutorial_url("guidance:tutorial_media", "small"),
        ),
        # A form post, not the player's JSON: 400 for those who may see the tutorial.
        "guidance:tutorial_progress": Row(
            {"GET": signed_in(405), "POST": signed_in(400, **STAFF)},
            url_for=tutorial_url("guidance:tutorial_progress"),
        ),
        # No answers: sent back to the quiz with "answer every question".
        "guidance:tutorial_quiz": Row(
            {"GET": signed_in(405), "POST": signed_in(302, **STAFF)},
            url_for=tutorial_url("guidance:tutorial_quiz"),
        ),
        "guidance:training": Row({"GET": signed_in(200, **STAFF), "POST": signed_in(405)}),
        "guidance:completion_matrix": Row(
            {"GET": signed_in(403, leader_a=200, partner=404), "POST": signed_in(405)}
        ),
        "guidance:completion_export": Row(
            {"GET": signed_in(403, leader_a=200, partner=404), "POST": signed_in(405)}
        ),
        # Nobody is behind on anything yet: the leader is sent back with a message.
        "guidance:completion_remind": Row(
            {"GET": signed_in(405), "POST": signed_in(403, leader_a=302, partner=404)}
        ),
    }
)
