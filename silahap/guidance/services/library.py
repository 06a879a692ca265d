"""The SOP library: publish an SOP and its versions, say which roles must read it, read it.

A new version supersedes the current one (which stays readable as history); a required SOP's
new version must be acknowledged again, since an acknowledgement is of one version.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from silahap.accounts.models import Membership, User
from silahap.audit import services as audit
from silahap.events import spine
from silahap.events.types import EventType
from silahap.guidance import config
from silahap.guidance.documents import check_pdf
from silahap.guidance.models import Sop, SopAcknowledgement, SopVersion
from silahap.guidance.rules import may_publish_any
from silahap.idempotency.once import derived_key, idempotent

REQUIRABLE_ROLES = (Membership.Role.OFFICER, Membership.Role.LEADER, Membership.Role.ANALYST)


def clean_roles(roles: Iterable[str]) -> list[str]:
    roles = sorted(set(roles))
    unknown = [role for role in roles if role not in REQUIRABLE_ROLES]
    if unknown:
        raise ValidationError({"required_roles": _("Choose officers, leaders or analysts.")})
    return roles


def _new_version(
    *,
    by: User,
    client_id: uuid.UUID | None,
    sop: Sop,
    number: str,
    effective_date: datetime.date,
    changes: str,
    data: bytes,
) -> SopVersion:
    number = number.strip()
    if not number:
        raise ValidationError({"number": _("Give the version a number, e.g. 3 or 2025.1.")})
    if sop.pk and SopVersion.objects.filter(sop=sop, number=number).exists():
        raise ValidationError(
            {"number": _("This SOP already has a version %(n)s.") % {"n": number}}
        )
    checked = check_pdf(data, field="file", max_bytes=config.sop_max_bytes())
    SopVersion.objects.filter(sop=sop, is_current=True).update(is_current=False)
    version = SopVersion(
        sop=sop,
        number=number,
        effective_date=effective_date,
        changes=changes.strip(),
        sha256=checked.sha256,
        size_bytes=len(data),
        text=checked.text,
        is_current=True,
        published_by=by,
        client_id=client_id,
    )
    version.file.save(f"{version.file_key.hex}.pdf", ContentFile(data), save=False)
    version.save()
    spine.record(
        type=EventType.SOP_PUBLISHED,
        object_type="guidance.sopversion",
        object_id=version.pk,
        actor_id=by.pk,
        payload={"sop": sop.pk, "number": number, "required_roles": sop.required_roles},
    )
    return version


@idempotent(Sop, owner="created_by")
@transaction.atomic
def sop_create(
    *,
    by: User,
    client_id: uuid.UUID | None = None,
    title: str,
    category: str,
    number: str,
    effective_date: datetime.date,
    data: bytes,
    changes: str = "",
    required_roles: Iterable[str] = (),
) -> Sop:
    """Add an SOP to the library with its first version (a PDF, its text kept for search)."""
    if not may_publish_any(by):
        raise PermissionDenied("leaders and office administrators keep the library")
    sop = Sop(
        title=title.strip(),
        category=category,
        required_roles=clean_roles(required_roles),
        created_by=by,
        client_id=client_id,
    )
    sop.full_clean(exclude=["client_id"])
    sop.save()
    version = _new_version(
        by=by,
        client_id=derived_key(client_id, "version"),
        sop=sop,
        number=number,
        effective_date=effective_date,
        changes=changes,
        data=data,
    )
    audit.record(
        action="sop.create",
        actor=by,
        target=sop,
        summary={"version": version.number, "sha256": version.sha256, "roles": sop.required_roles},
    )
    return sop


@idempotent(SopVersion, owner="published_by")
@transaction.atomic
def sop_version_publish(
    *,
    by: User,
    client_id: uuid.UUID | None = None,
    sop: Sop,
    number: str,
    effective_date: datetime.date,
    data: bytes,
    changes: str = "",
) -> SopVersion:
    """Publish a new version; the one before becomes history, and must be read again."""
    if not may_publish_any(by):
        raise PermissionDenied("leaders and office administrators keep the library")
    sop = Sop.objects.select_for_update().get(pk=sop.pk)
    if not changes.strip():
        raise ValidationError({"changes": _("Say what changed in this version.")})
    version = _new_version(
        by=by,
        client_id=client_id,
        sop=sop,
        number=number,
        effective_date=effective_date,
        changes=changes,
        data=data,
    )
    audit.record(
        action="sop.publish",
        actor=by,
        target=version,
        summary={"sop": sop.pk, "number": version.number, "sha256": version.sha256},
    )
    return version


@transaction.atomic
def sop_require(*, by: User, sop: Sop, required_roles: Iterable[str]) -> Sop:
    """Say which roles must read the SOP's current version."""
    if not may_publish_any(by):
        raise PermissionDenied("leaders and office administrators keep the library")
    roles = clean_roles(required_roles)
    before = sop.required_roles
    sop.required_roles = roles
    sop.save(update_fields=["required_roles"])
    audit.record(action="sop.require", actor=by, target=sop, summary={"from": before, "to": roles})
    return sop


@transaction.atomic
def sop_acknowledge(*, by: User, version: SopVersion) -> SopAcknowledgement:
    """Say "I have read this version"; again changes nothing."""
    if not version.is_current:
        raise ValidationError(_("A newer version exists; read and acknowledge that one."))
    existing = SopAcknowledgement.objects.filter(version=version, user=by).first()
    if existing is not None:
        return existing
    acknowledgement = SopAcknowledgement.objects.create(version=version, user=by)
    audit.record(
        action="sop.acknowledge", actor=by, target=version, summary={"sop": version.sop_id}
    )
    spine.record(
        type=EventType.SOP_ACKNOWLEDGED,
        object_type="guidance.sopversion",
        object_id=version.pk,
        actor_id=by.pk,
        payload={"sop": version.sop_id},
    )
    return acknowledgement
