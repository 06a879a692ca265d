"""Builders for guidance's tests, through the services like real data."""

from __future__ import annotations

import datetime
import io
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from silahap.accounts import services as accounts
from silahap.accounts.models import Membership, OrgUnit, User
from silahap.guidance.models import Tutorial
from silahap.guidance.services import directions, tutorials
from silahap.guidance.tasks import tutorial_convert

PASSWORD = "a-Long-passphrase-2025"


def new_user(username: str, unit: OrgUnit, role: str = Membership.Role.OFFICER, **membership):
    user = accounts.user_create(
        by=None, username=username, full_name=username.title(), password=PASSWORD
    )
    membership.setdefault("start_date", timezone.localdate() - datetime.timedelta(days=30))
    accounts.membership_create(by=None, user=user, unit=unit, role=role, **membership)
    return user


def send(personas, /, **values):
    """A direction from leader_a's section to team 1 unless told otherwise."""
    values.setdefault("unit", personas.section_a)
    values.setdefault("body", "Periksa hotel di Cikokol minggu ini.")
    values.setdefault("units", [personas.team_a])
    values.setdefault("client_id", uuid.uuid4())
    return directions.direction_send(by=values.pop("by", personas.leader_a), **values)


def tiny_pdf(text: str = "Pengawasan lapangan") -> bytes:
    """A one-page PDF with real text, written by hand (no renderer needed in unit tests)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def users(rows) -> list[str]:
    return sorted(
        User.objects.filter(pk__in=[r.user_id for r in rows]).values_list("username", flat=True)
    )


def upload(data: bytes, name: str = "video.mp4"):
    return SimpleUploadedFile(name, data, content_type="video/mp4")


def tutorial(personas, data: bytes, /, *, convert: bool = True, **values):
    """A tutorial uploaded by leader_a; converted at once by running the worker's task."""
    values.setdefault("title", "Memeriksa ITAS dengan SiLAHAP")
    values.setdefault("client_id", uuid.uuid4())
    made = tutorials.tutorial_upload(
        by=values.pop("by", personas.leader_a), video=upload(data), **values
    )
    if convert:
        tutorial_convert.call(made.pk)
    return Tutorial.objects.get(pk=made.pk)
