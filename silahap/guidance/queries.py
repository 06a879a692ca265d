"""Reads of guidance: what a page shows, through each model's visible_to."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Count, Q, QuerySet

from silahap.accounts import access
from silahap.accounts.models import Membership
from silahap.guidance.models import AboutKind, Direction, DirectionRecipient, Priority


def leader_units(user):
    return access.units_with_role(user, [Membership.Role.LEADER])


def unread_for(user) -> QuerySet[DirectionRecipient]:
    """Directions waiting for the user's "read", urgent first, newest first."""
    if not user.is_authenticated:
        return DirectionRecipient.objects.none()
    return (
        DirectionRecipient.objects.filter(user=user, read_at__isnull=True)
        .select_related("direction__created_by", "direction__unit")
        .order_by(
            # "urgent" sorts after "normal"; reversed, urgent comes first.
            "-direction__priority",
            "-direction__created_at",
        )
    )


def received_by(user) -> QuerySet[DirectionRecipient]:
    return (
        DirectionRecipient.objects.filter(user=user)
        .select_related("direction__created_by", "direction__unit")
        .order_by("-direction__created_at", "-pk")
    )


def followed_by(user) -> QuerySet[Direction]:
    """Directions the user sent or leads over, with their delivered / read / done counts."""
    units = leader_units(user)
    return (
        Direction.objects.visible_to(user)
        .filter(Q(created_by=user) | access.subtree_q(units))
        .select_related("created_by", "unit")
        .annotate(
            delivered=Count("recipients"),
            read=Count("recipients", filter=Q(recipients__read_at__isnull=False)),
            done=Count("recipients", filter=Q(recipients__done_at__isnull=False)),
        )
        .order_by("-created_at", "-pk")
    )


def about_record(direction: Direction, user):
    """The record a direction is about, if this reader may see it; None otherwise."""
    if not direction.about_type:
        return None
    try:
        model = apps.get_model(direction.about_type)
    except LookupError:
        return None
    return model.objects.visible_to(user).filter(pk=direction.about_id).first()


def about_label(direction: Direction) -> str:
    if not direction.about_type:
        return ""
    return f"{AboutKind(direction.about_type).label} #{direction.about_id}"


__all__ = ["Priority"]
