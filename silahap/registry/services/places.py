"""Writes to places under supervision: register one (the activity form does too) and correct it."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from silahap.accounts.models import User
from silahap.audit import services as audit
from silahap.events import spine
from silahap.events.types import EventType
from silahap.idempotency.once import idempotent
from silahap.registry.models import (
    District,
    Place,
    Regency,
    Village,
)
from silahap.registry.normalize import normalize_name
from silahap.registry.services.staff import require_staff

PLACE_FIELDS = (
    "name",
    "kind",
    "address",
    "regency",
    "district",
    "village",
    "latitude",
    "longitude",
)


@idempotent(Place, owner="created_by")
@transaction.atomic
def place_create(
    *,
    by: User | None,
    client_id: uuid.UUID | None = None,
    name: str,
    kind: str,
    regency: Regency,
    address: str = "",
    district: District | None = None,
    village: Village | None = None,
    latitude=None,
    longitude=None,
) -> Place:
    """Register a place under supervision; its areas must nest (village in district in regency).

    A repeated client_id (double tap, retry) returns the place its first use registered."""
    require_staff(by)
    if district is not None and district.regency_id != regency.code:
        raise ValidationError({"district": _("This district is not in the chosen regency/city.")})
    if village is not None and (district is None or village.district_id != district.code):
        raise ValidationError({"village": _("This village is not in the chosen district.")})
    name = " ".join(name.split())
    place = Place(
        name=name,
        normalized_name=normalize_name(name),
        kind=kind,
        address=address,
        regency=regency,
        district=district,
        village=village,
        latitude=latitude,
        longitude=longitude,
        created_by=by,
        client_id=client_id,
    )
    place.full_clean()
    place.save()
    audit.record(action="place.create", actor=by, target=place, summary={"name": name})
    spine.record_about(place, type=EventType.PLACE_CREATED, by=by, payload={"kind": kind})
    return place


def _area_errors(
    regency: Regency | None, district: District | None, village: Village | None
) -> dict[str, str]:
    errors = {}
    if regency is None:
        errors["regency"] = _("Choose the regency/city.")
    elif district is not None and district.regency_id != regency.code:
        errors["district"] = _("This district is not in the chosen regency/city.")
    if village is not None and (district is None or village.district_id != district.code):
        errors["village"] = _("This village is not in the chosen district.")
    return errors


@transaction.atomic
def place_update(*, by: User, place: Place, **changes) -> Place:
    """Correct a place: name, kind, address, areas (nested) and point (both or neither)."""
    require_staff(by)
    unknown = set(changes) - set(PLACE_FIELDS)
    if unknown:
        raise TypeError(f"place_update cannot change {sorted(unknown)}")
    place = Place.objects.select_for_update().get(pk=place.pk)
    if place.merged_into_id is not None:
        raise ValidationError(
            _("This place was merged into another one; change the one it was merged into.")
        )
    if "name" in changes:
        changes["name"] = " ".join((changes["name"] or "").split())
    values = {field: getattr(place, field) for field in PLACE_FIELDS}
    values.update(changes)
    errors = _area_errors(values["regency"], values["district"], values["village"])
    if (values["latitude"] is None) != (values["longitude"] is None):
        errors["latitude"] = _("Give both latitude and longitude, or neither.")
    if not values["name"]:
        errors["name"] = _("Enter the place's name.")
    if errors:
        raise ValidationError(errors)
    changed = sorted(field for field in PLACE_FIELDS if getattr(place, field) != values[field])
    if not changed:
        return place
    for field in changed:
        setattr(place, field, values[field])
    place.normalized_name = normalize_name(place.name)
    place.full_clean()
    place.save()
    audit.record(action="place.update", actor=by, target=place, summary={"fields": changed})
    spine.record_about(
        place, type=EventType.PLACE_UPDATED, by=by, payload={"fields": sorted(changed)}
    )
    return place
