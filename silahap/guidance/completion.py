"""Who must read or watch what, and who has: per officer, per unit, as rates for insights.

Required items follow roles: an SOP's current version or a ready tutorial is required of every
current member whose role is in its `required_roles`. A few queries whatever the unit's size.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch

from silahap.accounts import access
from silahap.accounts.models import Membership, OrgUnit, User
from silahap.guidance.models import (
    Sop,
    SopAcknowledgement,
    SopVersion,
    Tutorial,
    TutorialProgress,
    TutorialStatus,
)

RECEIVING_ROLES = (Membership.Role.OFFICER, Membership.Role.LEADER, Membership.Role.ANALYST)


@dataclass
class Item:
    kind: str  # "sop" or "tutorial"
    pk: int
    title: str
    roles: set[str]
    version: SopVersion | None = None
    url: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.pk}"


@dataclass
class Cell:
    required: bool
    done_at: datetime.datetime | None = None
    version: str = ""


@dataclass
class Row:
    user: User
    roles: set[str]
    cells: list[Cell] = field(default_factory=list)

    @property
    def behind(self) -> list[int]:
        return [i for i, cell in enumerate(self.cells) if cell.required and cell.done_at is None]


def required_items() -> list[Item]:
    """Every SOP (current version) and ready tutorial required of some role."""
    sops = Sop.objects.prefetch_related(
        Prefetch("versions", queryset=SopVersion.objects.filter(is_current=True), to_attr="current")
    )
    items = [
        Item(
            "sop",
            sop.pk,
            sop.title,
            set(sop.required_roles),
            sop.current[0],
            sop.get_absolute_url(),
        )
        for sop in sops.order_by("title")
        if sop.required_roles and sop.current
    ]
    tutorials = Tutorial.objects.filter(status=TutorialStatus.READY)
    items += [
        Item("tutorial", t.pk, t.title, set(t.required_roles), None, t.get_absolute_url())
        for t in tutorials.order_by("title")
        if t.required_roles
    ]
    return items


def _done(user_ids: list[int], items: list[Item]) -> dict[tuple[int, str], tuple]:
    versions = {
        version.pk: (item, version) for item in items if (version := item.version) is not None
    }
    done: dict[tuple[int, str], tuple] = {}
    for user_id, version_id, at in SopAcknowledgement.objects.filter(
        user_id__in=user_ids, version_id__in=list(versions)
    ).values_list("user_id", "version_id", "acknowledged_at"):
        item, version = versions[version_id]
        done[(user_id, item.key)] = (at, version.number)
    tutorial_ids = [item.pk for item in items if item.kind == "tutorial"]
    for user_id, tutorial_id, completed_at in TutorialProgress.objects.filter(
        user_id__in=user_ids, tutorial_id__in=tutorial_ids, completed_at__isnull=False
    ).values_list("user_id", "tutorial_id", "completed_at"):
        done[(user_id, f"tutorial:{tutorial_id}")] = (completed_at, "")
    return done


def members_roles(units: list[OrgUnit], on: datetime.date | None = None) -> dict[int, tuple]:
    """Current members (officers, leaders, analysts) of the units and below, with their roles."""
    people: dict[int, tuple[User, set[str]]] = {}
    for membership in (
        Membership.objects.current(on)
        .filter(access.subtree_q(units), role__in=RECEIVING_ROLES, user__is_active=True)
        .select_related("user")
    ):
        user, roles = people.setdefault(membership.user_id, (membership.user, set()))
        roles.add(membership.role)
    return people


def matrix(units: list[OrgUnit]) -> tuple[list[Item], list[Row]]:
    """Members × required items of the units, each cell done (when, version) or not."""
    people = members_roles(units)
    present_roles = set().union(*(roles for _, roles in people.values())) if people else set()
    items = [item for item in required_items() if item.roles & present_roles]
    done = _done(list(people), items)
    rows = []
    for user_id, (user, roles) in sorted(
        people.items(), key=lambda entry: (entry[1][0].full_name, entry[1][0].username)
    ):
        row = Row(user=user, roles=roles)
        for item in items:
            at, version = done.get((user_id, item.key), (None, ""))
            row.cells.append(Cell(required=bool(item.roles & roles), done_at=at, version=version))
        rows.append(row)
    return items, rows


def for_officer(user: User) -> list[tuple[Item, Cell]]:
    """What is required of this person, each with its done state."""
    roles = access.roles_of(user)
    items = [item for item in required_items() if item.roles & roles]
    done = _done([user.pk], items)
    return [(item, Cell(True, *done.get((user.pk, item.key), (None, "")))) for item in items]


def completion_rates(units: list[OrgUnit]) -> dict[int, float | None]:
    """Share of required (member, item) pairs done, per unit (its subtree); None when nothing
    is required there. For insights' pages: a fixed number of queries per unit."""
    rates: dict[int, float | None] = {}
    items = required_items()
    for unit in units:
        people = members_roles([unit])
        done = _done(list(people), items)
        required = finished = 0
        for user_id, (_user, roles) in people.items():
            for item in items:
                if item.roles & roles:
                    required += 1
                    finished += (user_id, item.key) in done
        rates[unit.pk] = round(finished / required, 4) if required else None
    return rates
