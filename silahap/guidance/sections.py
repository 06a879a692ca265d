"""What guidance adds to other apps' pages (silahap.sections), each cheap when not shown."""

from __future__ import annotations

from silahap.accounts import access
from silahap.guidance import queries

TODAY_SIZE = 10


def today_directions(request) -> dict | None:
    """Unread directions on the officer's today page, urgent first; one query."""
    if not request.user.is_authenticated:
        return None
    unread = list(queries.unread_for(request.user)[:TODAY_SIZE])
    if not unread:
        return None
    return {"guidance_unread": unread}


def nav_links(request) -> dict | None:
    """The top menu's links; no query (the roles are already on the request)."""
    user = request.user
    if not user.is_authenticated or access.is_partner(user):
        return None
    return {"guidance_is_staff": True}


def leader_cards(request) -> dict | None:
    if not queries.leader_units(request.user):
        return None
    return {"guidance_leader": True}
