"""Merging duplicate persons and places, and remembering pairs that are not duplicates.

A merge moves every row that points at the merged record to the record kept, found through
`_meta` (hidden relations included) so that a foreign key added later is moved too. The
merged record stays, pointing at the one kept (merged_into): its old links keep working.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from silahap.accounts.models import User
from silahap.audit import services as audit
from silahap.events import spine
from silahap.events.types import EventType
from silahap.registry import warnings
from silahap.registry.duplicates import may_decide, relations_to
from silahap.registry.models import (
    ForeignNational,
    PersonPairDecision,
    Place,
    PlacePairDecision,
    StayPermit,
    TravelDocument,
)

# Rows of a person that are the same thing recorded twice when these fields agree: the copy on
# the merged record goes, and whatever pointed at it (a check showing that permit) follows the
# copy that stays.
IDENTICAL_WHEN: dict[type[models.Model], tuple[str, ...]] = {
    TravelDocument: ("number", "issuing_country"),
    StayPermit: ("permit_type", "number", "issued_on", "valid_until"),
}

# Rows that, when both records have one with the same unique values, state one fact twice:
# the same lodging stay reported under both records of one person.
SAME_FACT_ON_CLASH = {"registry.lodgingstay"}

PAIR_DECISIONS: dict[type[models.Model], type[PersonPairDecision] | type[PlacePairDecision]] = {
    ForeignNational: PersonPairDecision,
    Place: PlacePairDecision,
}


def _require_decider(by: User) -> None:
    if not may_decide(by):
        raise PermissionDenied("only leaders and office administrators merge records")


@dataclass
class MergeResult:
    survivor: models.Model
    merged: models.Model
    # False when the merge had already been done (a repeated submit).
    done_now: bool
    moved: dict[str, int] = field(default_factory=dict)
    kept_once: dict[str, int] = field(default_factory=dict)


def _label(relation) -> str:
    return f"{relation.related_model._meta.label_lower}.{relation.field.name}"


def _unique_field_sets(
    model: type[models.Model], name: str
) -> list[tuple[tuple[str, ...], object]]:
    """The unique sets of fields of `model` that include field `name`, with their condition."""
    sets: list[tuple[tuple[str, ...], object]] = []
    field = model._meta.get_field(name)
    if isinstance(field, models.Field) and field.unique:
        sets.append(((name,), None))
    for together in model._meta.unique_together:
        if name in together:
            sets.append((tuple(together), None))
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and name in constraint.fields:
            sets.append((tuple(constraint.fields), constraint.condition))
    return sets


def _rows(relation, target, condition):
    rows = relation.related_model._base_manager.filter(**{relation.field.name: target})
    return rows.filter(condition) if condition is not None else rows


def _clear_collisions(relation, merged, survivor) -> None:
    """Rows that could not be moved without breaking a unique constraint. In a pure link
    table the merged record's row says nothing the survivor's does not: it goes. Anywhere
    else the two rows hold different facts, and the merge is refused."""
    model = relation.related_model
    for fields, condition in _unique_field_sets(model, relation.field.name):
        others = [name for name in fields if name != relation.field.name]
        ours = _rows(relation, merged, condition)
        theirs = _rows(relation, survivor, condition)
        if others:
            clashing = set(ours.values_list(*others)) & set(theirs.values_list(*others))
        else:
            clashing = {()} if ours.exists() and theirs.exists() else set()
        if not clashing:
            continue
        if model._meta.auto_created or model._meta.label_lower in SAME_FACT_ON_CLASH:
            for values in clashing:
                ours.filter(**dict(zip(others, values, strict=True))).delete()
            continue
        raise ValidationError(
            _(
                "Both records appear in the same %(thing)s, which may hold each only once: "
                "correct that first."
            )
            % {"thing": model._meta.verbose_name}
        )


def _fold_identical(relation, merged, survivor, kept_once: Counter) -> None:
    """Keep once a row recorded on both (the same passport), moving what points at the copy."""
    identity = IDENTICAL_WHEN.get(relation.related_model)
    if identity is None:
        return
    model = relation.related_model
    survivors = {
        tuple(getattr(row, name) for name in identity): row
        for row in model._base_manager.filter(**{relation.field.name: survivor})
    }
    for row in model._base_manager.filter(**{relation.field.name: merged}):
        twin = survivors.get(tuple(getattr(row, name) for name in identity))
        if twin is None:
            continue
        _move_all(row, twin, Counter())
        row.delete()
        kept_once[model._meta.label_lower] += 1


def _move_all(merged, survivor, moved: Counter, kept_once: Counter | None = None) -> None:
    for relation in relations_to(type(merged)):
        if kept_once is not None:
            _fold_identical(relation, merged, survivor, kept_once)
        _clear_collisions(relation, merged, survivor)
        values: dict[str, object] = {relation.field.name: survivor}
        if _has_updated_at(relation.field.model):
            # A bulk update skips auto_now: the API's updated_since must still see the move.
            values["updated_at"] = timezone.now()
        count = _rows(relation, merged, None).update(**values)
        if count:
            moved[_label(relation)] += count


def _has_updated_at(model: type[models.Model]) -> bool:
    return any(field.name == "updated_at" for field in model._meta.concrete_fields)


def _carry_decisions(model: type[ForeignNational] | type[Place], merged, survivor) -> None:
    """'Not a duplicate of X' said of the merged record now holds for the survivor."""
    decisions = PAIR_DECISIONS[model].objects
    mine = decisions.filter(models.Q(first=merged) | models.Q(second=merged))
    held: list[PersonPairDecision | PlacePairDecision] = list(mine)
    for decision in held:
        other = decision.second_id if decision.first_id == merged.pk else decision.first_id
        if other != survivor.pk:
            first, second = sorted((survivor.pk, other))
            decisions.get_or_create(
                first_id=first, second_id=second, defaults={"decided_by_id": decision.decided_by_id}
            )
    mine.delete()


def _copy_missing_files(merged, survivor) -> list[str]:
    """A photo only the merged record has is kept on the survivor."""
    copied = []
    for model_field in type(survivor)._meta.concrete_fields:
        if (
            isinstance(model_field, models.FileField)
            and not getattr(survivor, model_field.name)
            and getattr(merged, model_field.name)
        ):
            setattr(survivor, model_field.name, getattr(merged, model_field.name))
            copied.append(model_field.name)
    return copied


def _merge(
    model: type[ForeignNational] | type[Place],
    *,
    by: User,
    survivor_pk: int,
    merged_pk: int,
    action: str,
) -> MergeResult:
    _require_decider(by)
    if survivor_pk == merged_pk:
        raise ValidationError(_("A record cannot be merged into itself."))
    # Both rows locked in one order, so two leaders merging the same pair wait for each other.
    locked = {
        row.pk: row
        for row in model._base_manager.select_for_update()
        .filter(pk__in=[survivor_pk, merged_pk])
        .order_by("pk")
    }
    if len(locked) != 2:
        raise model.DoesNotExist
    survivor, merged = locked[survivor_pk], locked[merged_pk]
    if merged.merged_into_id == survivor.pk:
        return MergeResult(survivor=survivor, merged=merged, done_now=False)
    if merged.merged_into_id is not None:
        raise ValidationError(_("This record was already merged into another one."))
    if survivor.merged_into_id is not None:
        raise ValidationError(
            _("The record to keep was itself merged into another one; keep that one instead.")
        )
    moved: Counter = Counter()
    kept_once: Counter = Counter()
    _carry_decisions(model, merged, survivor)
    _move_all(merged, survivor, moved, kept_once)
    copied = _copy_missing_files(merged, survivor)
    if copied:
        survivor.save(update_fields=copied)
    merged.merged_into = survivor
    merged.save(update_fields=["merged_into"])
    audit.record(
        action=action,
        actor=by,
        target=survivor,
        summary={
            "merged": merged.pk,
            "moved": dict(moved),
            "kept_once": dict(kept_once),
            "files": copied,
        },
    )
    # The merged record's tombstone: readers drop it and fetch the survivor again.
    spine.record_about(
        merged,
        type=MERGE_EVENTS[model],
        by=by,
        payload={"survivor": survivor.pk, "moved": dict(moved)},
    )
    return MergeResult(
        survivor=survivor,
        merged=merged,
        done_now=True,
        moved=dict(moved),
        kept_once=dict(kept_once),
    )


MERGE_EVENTS = {ForeignNational: EventType.PERSON_MERGED, Place: EventType.PLACE_MERGED}


@transaction.atomic
def person_merge(*, by: User, survivor: ForeignNational, merged: ForeignNational) -> MergeResult:
    """Merge a duplicate person into the one kept: checks, findings, tasks, documents, permits
    and photo move over; the merged record points at the survivor. Repeating it does nothing."""
    result = _merge(
        ForeignNational,
        by=by,
        survivor_pk=survivor.pk,
        merged_pk=merged.pk,
        action="person.merge",
    )
    if result.done_now:
        # The survivor's permits and checks now include the merged record's.
        warnings.refresh_warning_columns([result.survivor.pk, result.merged.pk])
    return result


@transaction.atomic
def place_merge(*, by: User, survivor: Place, merged: Place) -> MergeResult:
    """Merge a duplicate place into the one kept: activities, task targets and anything else
    pointing at it move over; the merged place points at the survivor."""
    return _merge(Place, by=by, survivor_pk=survivor.pk, merged_pk=merged.pk, action="place.merge")


def _dismiss(model: type[ForeignNational] | type[Place], *, by: User, first, second, action: str):
    _require_decider(by)
    if first.pk == second.pk:
        raise ValidationError(_("Choose two different records."))
    current = model._base_manager.filter(pk__in=[first.pk, second.pk], merged_into__isnull=True)
    if current.count() != 2:
        raise ValidationError(_("One of these records was merged meanwhile."))
    low, high = sorted((first.pk, second.pk))
    decision, created = PAIR_DECISIONS[model].objects.get_or_create(
        first_id=low, second_id=high, defaults={"decided_by": by}
    )
    if created:
        audit.record(action=action, actor=by, target=decision, summary={"pair": [low, high]})
    return decision


@transaction.atomic
def person_duplicate_dismiss(
    *, by: User, first: ForeignNational, second: ForeignNational
) -> PersonPairDecision:
    """Record that two person records are different people, so the pair is not proposed again."""
    return _dismiss(
        ForeignNational, by=by, first=first, second=second, action="person.duplicate_dismiss"
    )


@transaction.atomic
def place_duplicate_dismiss(*, by: User, first: Place, second: Place) -> PlacePairDecision:
    """Record that two place records are different places, so the pair is not proposed again."""
    return _dismiss(Place, by=by, first=first, second=second, action="place.duplicate_dismiss")
