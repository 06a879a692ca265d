"""Demo operations (issue 16 §7): Tangerang's Timpora with its four partner agencies and a past
coordination meeting, a finished joint operation with two teams and partner actions whose results
come from the demo month's own activities, an independent operation running today, and a national
operation over Tangerang, Denpasar and Jayapura. Idempotent: found by number, made once."""

from __future__ import annotations

import datetime
import uuid

from django.utils import timezone

from silahap.accounts.models import Agency, OrgUnit, User
from silahap.operations.models import Operation, Team
from silahap.operations.services import national, teams
from silahap.operations.services import operations as ops
from silahap.operations.services.running import operation_activity_link, partner_action_record
from silahap.registry.models import Place, Regency
from silahap.reports.models import Activity

PARTNERS = ["polri.tng", "satpolpp.tng", "disnaker.tng", "bnn.tng"]
AGENCIES = ["polri", "satpol_pp", "disnaker", "bnn"]
JOINT = "OPS.GAB-01/TIMPORA/TNG"
RUNNING = "OPS.M-TODAY/TNG"
JAGRATARA = "JAGRATARA-DEMO"
NAMESPACE = uuid.UUID("0b6f3f7e-7f0e-4f39-9d55-8d6a1c3e5b11")


def key(*parts) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, ":".join(str(part) for part in parts))


def seed_operations(*, units: dict[str, OrgUnit], users: dict[str, User], now: datetime.datetime):
    """Create whatever of the operations demo is missing."""
    agencies = list(Agency.objects.filter(code__in=AGENCIES))
    _timpora(units, users, agencies, now)
    _joint(units, users, agencies, now)
    _running(units, users, now)
    _national(units, users, now)


def _timpora(units, users, agencies, now) -> None:
    if Team.objects.filter(decree_number="KEP-TIMPORA/TNG/2026").exists():
        return
    head = users["kakanim.tng"]
    team = teams.team_create(
        by=head,
        client_id=key("timpora"),
        unit=units["KANIM-TNG"],
        kind="timpora",
        level="regency",
        regency=Regency.objects.get(code="36.71"),
        name="Timpora Kota Tangerang",
        decree_number="KEP-TIMPORA/TNG/2026",
        decree_date=datetime.date(2026, 1, 12),
        mandate_start=datetime.date(2026, 1, 12),
        mandate_end=datetime.date(2026, 12, 31),
        chair=head,
        agencies=agencies,
    )
    teams.team_member_add(by=head, team=team, user=users["kasi.tng"], position="Sekretaris")
    for username in PARTNERS:
        teams.team_member_add(by=head, team=team, user=users[username], position="Anggota")
    teams.meeting_record(
        by=head,
        client_id=key("meeting"),
        team=team,
        held_at=now - datetime.timedelta(days=14),
        place="Aula Kantor Imigrasi Tangerang",
        agenda="Koordinasi pengawasan TKA di kawasan industri Jatake dan rencana operasi gabungan",
        minutes="Disepakati operasi gabungan dua tim; Disnaker menyiapkan data RPTKA.",
        attendance=[
            teams.Attendance("", 5, "Kakanim, Kasi Inteldakim, 3 petugas"),
            teams.Attendance("polri", 2),
            teams.Attendance("satpol_pp", 1),
            teams.Attendance("disnaker", 2),
            teams.Attendance("bnn", 1),
        ],
        decisions=[
            teams.DecisionInput("Operasi gabungan dilaksanakan minggu depan, tim A dan B."),
            teams.DecisionInput(
                "Daftar perusahaan pengguna TKA",
                owner=users["disnaker.tng"],
                due_date=timezone.localdate(now) - datetime.timedelta(days=10),
            ),
        ],
    )


def _companies(count: int) -> list[Place]:
    return list(
        Place.objects.filter(regency_id="36.71", merged_into__isnull=True)
        .filter(kind__in=["company", "factory", "industrial_estate", "hotel"])
        .order_by("pk")[:count]
    )


def _joint(units, users, agencies, now) -> None:
    unit = units["KANIM-TNG-INTELDAKIM"]
    if Operation.objects.filter(unit=unit, number=JOINT).exists():
        return
    leader = users["kasi.tng"]
    starts_at = now - datetime.timedelta(days=9)
    operation = ops.operation_create(
        by=leader,
        client_id=key("joint"),
        unit=unit,
        kind="joint_timpora",
        number=JOINT,
        name="Operasi Gabungan Timpora Kota Tangerang",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(days=3),
        regency=Regency.objects.get(code="36.71"),
        team=Team.objects.filter(decree_number="KEP-TIMPORA/TNG/2026").first(),
        objectives="Pengawasan keberadaan dan kegiatan TKA di perusahaan dan hotel.",
        legal_basis="UU 6/2011; Permenimipas 2/2025 Pasal 53",
        agencies=agencies,
    )
    team_a = ops.operation_team_add(
        by=leader, operation=operation, name="A", leader=users["petugas.tng1"]
    )
    team_b = ops.operation_team_add(
        by=leader, operation=operation, name="B", leader=users["petugas.tng2"]
    )
    for username, team in [
        ("polri.tng", team_a),
        ("disnaker.tng", team_a),
        ("satpolpp.tng", team_b),
        ("bnn.tng", team_b),
    ]:
        ops.operation_member_add(by=leader, operation=operation, user=users[username], team=team)
    targets = [
        ops.operation_target_add(
            by=leader, operation=operation, place=place, team=team_a if n % 2 else team_b
        )
        for n, place in enumerate(_companies(4))
    ]
    operation = ops.operation_approve(by=users["kakanim.tng"], operation=operation)
    # The results come from the demo month itself: the team leaders' field activities filed in
    # the operation's period count for it.
    for officer in (users["petugas.tng1"], users["petugas.tng2"]):
        activities = Activity.objects.filter(
            report__officer=officer,
            kind="field",
            started_at__gte=operation.starts_at,
            started_at__lt=operation.ends_at,
        ).select_related("report")
        for activity in activities:
            operation_activity_link(by=officer, operation=operation, activity=activity)
    if targets:
        for index, (username, text, count) in enumerate(
            [
                ("polri.tng", "2 orang dibawa ke Polres Metro Tangerang untuk pemeriksaan", 2),
                ("disnaker.tng", "3 izin kerja (RPTKA) diperiksa, 1 perusahaan diberi teguran", 3),
                ("satpolpp.tng", "Pengamanan lokasi dan penertiban tempat usaha", None),
                ("bnn.tng", "Tes urine terhadap 5 pekerja, hasil negatif", 5),
            ]
        ):
            partner_action_record(
                by=users[username],
                client_id=key("action", index),
                operation=operation,
                target=targets[index % len(targets)],
                description=text,
                count=count,
            )
    ops.operation_finish(by=leader, operation=operation)


def _running(units, users, now) -> None:
    unit = units["KANIM-TNG-INTELDAKIM"]
    if Operation.objects.filter(unit=unit, number=RUNNING).exists():
        return
    leader = users["kasi.tng"]
    operation = ops.operation_create(
        by=leader,
        client_id=key("running"),
        unit=unit,
        kind="independent",
        number=RUNNING,
        name="Operasi Mandiri Pengawasan Hotel dan Apartemen",
        starts_at=now - datetime.timedelta(hours=2),
        ends_at=now + datetime.timedelta(hours=10),
        regency=Regency.objects.get(code="36.71"),
        objectives="Pengawasan tamu asing di hotel dan apartemen.",
    )
    team = ops.operation_team_add(
        by=leader, operation=operation, name="A", leader=users["petugas.tng3"]
    )
    ops.operation_member_add(by=leader, operation=operation, user=users["petugas.tng4"], team=team)
    for place in _companies(6)[4:]:
        ops.operation_target_add(by=leader, operation=operation, place=place, team=team)
    ops.operation_approve(by=users["kakanim.tng"], operation=operation)


def _national(units, users, now) -> None:
    if Operation.objects.filter(unit=units["DJI"], number=JAGRATARA).exists():
        return
    root = national.national_operation_create(
        by=users["analis.pusat"],
        client_id=key("jagratara"),
        unit=units["DJI"],
        number=JAGRATARA,
        name="Operasi Jagratara Serentak",
        starts_at=now - datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=2),
        instructions="Pengawasan serentak tempat kerja dan tempat tinggal orang asing.",
        legal_basis="Surat Direktur Jenderal Imigrasi tentang Operasi Jagratara",
        offices=[
            national.OfficeShare(units["KANIM-TNG"], 6),
            national.OfficeShare(units["KANIM-DPS"], 5),
            national.OfficeShare(units["KANIM-JYP"], 3),
        ],
    )
    tangerang = root.children.get(unit=units["KANIM-TNG"])
    head = users["kakanim.tng"]
    team = ops.operation_team_add(
        by=head, operation=tangerang, name="A", leader=users["petugas.tng5"]
    )
    ops.operation_member_add(by=head, operation=tangerang, user=users["petugas.tng6"], team=team)
    for place in _companies(8)[6:]:
        ops.operation_target_add(by=head, operation=tangerang, place=place, team=team)
    ops.operation_approve(by=head, operation=tangerang)
