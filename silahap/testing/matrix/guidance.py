"""Role × URL rows for guidance: directions, the SOP library, tutorials, completion."""

from __future__ import annotations

import uuid

from django.urls import reverse

from silahap.testing.url_matrix import Row, signed_in

# Partners see nothing of guidance; another office's officer does not see section A's direction.
UNSEEN = {"officer_b": 404, "partner": 404, "office_admin": 404}


def team_direction(people):
    """A direction from leader_a's section to team 1 (officer_a), with a PDF, once per test."""
    if not hasattr(people, "_direction"):
        from silahap.guidance.services.directions import direction_send

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
    import io

    from pypdf import PdfWriter

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
        data={"POST": lambda people: {"body": "Ralat.", "client_id": str(uuid.uuid4())}},
    ),
    # The sender (leader_a) reminds; the analyst above reads the direction but does not lead.
    "guidance:direction_remind": Row(
        {"GET": signed_in(405), "POST": signed_in(403, leader_a=302, **UNSEEN)},
        url_for=direction_url("guidance:direction_remind"),
    ),
}
