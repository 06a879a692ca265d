"""The demo's guidance: three SOPs with versions, two short tutorials made on the spot, and a
direction from kasi.tng to team 1 that some have read and one has done.

Idempotent: each create carries a fixed key (silahap.idempotency), and what exists is skipped.
Videos are a few seconds of test pattern from the bundled ffmpeg, so nothing is fetched.
"""

from __future__ import annotations

import datetime
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile

from silahap.accounts.models import OrgUnit, User
from silahap.guidance import samples, tasks
from silahap.guidance.models import DirectionRecipient, Sop, Tutorial, TutorialStatus
from silahap.guidance.services import directions, library, tutorials

NAMESPACE = uuid.UUID("0f1d9a5e-6a49-4f34-9d0a-5e7f3c2b9a11")
PUBLISHER = "kasi.tng"

SOPS = [
    {
        "title": "Pengawasan lapangan",
        "category": "field",
        "required_roles": ["officer"],
        "versions": [
            ("2", datetime.date(2024, 1, 2), "Versi awal di SiLAHAP."),
            ("3", datetime.date(2025, 6, 1), "Surat perintah wajib sebelum berangkat (Pasal 30)."),
        ],
        "text": [
            "Petugas membawa surat perintah yang ditandatangani sebelum pengawasan lapangan.",
            "Setiap orang asing yang diperiksa dicatat dalam SiLAHAP beserta izin tinggalnya.",
            "Temuan dilaporkan pada hari yang sama dan dibuka tindak lanjutnya.",
        ],
    },
    {
        "title": "Operasi gabungan Timpora",
        "category": "timpora",
        "required_roles": [],
        "versions": [("1", datetime.date(2024, 8, 1), "")],
        "text": [
            "Rapat koordinasi Timpora menetapkan sasaran, waktu dan pembagian tugas.",
            "Anggota instansi mitra hanya melihat data operasi yang diikutinya.",
        ],
    },
    {
        "title": "Pelindungan data pribadi dalam pengawasan",
        "category": "personal_data",
        "required_roles": [],
        "versions": [
            ("1", datetime.date(2023, 10, 1), ""),
            ("2", datetime.date(2025, 1, 15), "Menyesuaikan UU 27/2022."),
        ],
        "text": [
            "Nomor paspor ditampilkan tersamar kepada mitra.",
            "Setiap akses data orang asing dicatat dengan tujuannya.",
        ],
    },
]

TUTORIALS = [
    {
        "title": "Mengisi laporan harian di ponsel",
        "sop": "Pengawasan lapangan",
        "required_roles": ["officer"],
        "captions": [
            "Buka SiLAHAP dan pilih Hari ini.",
            "Tekan + Kegiatan untuk mencatat pengawasan.",
            "Kirim laporan sebelum batas waktu kantor.",
        ],
        "quiz": (
            "Q: Kapan laporan harian harus dikirim?\n"
            "- Minggu depan\n"
            "* Sebelum batas waktu kantor hari itu\n"
            "- Kapan saja\n"
            "Q: Apa yang wajib dibawa saat pengawasan lapangan?\n"
            "* Surat perintah\n"
            "- Kartu nama\n"
        ),
        "pass_mark": 100,
    },
    {
        "title": "Memeriksa izin tinggal dengan kode QR",
        "sop": None,
        "required_roles": [],
        "captions": ["Pindai kode QR pada izin tinggal.", "Cocokkan nama dan masa berlaku."],
        "quiz": "",
        "pass_mark": None,
    },
]

DIRECTION = (
    "Minggu ini periksa hotel dan apartemen di Cikokol yang belum melapor APOA; "
    "laporkan hasilnya dalam laporan harian dan tandai selesai di sini."
)


def _key(name: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, name)


def _seed_sops(by: User) -> dict[str, Sop]:
    sops = {}
    for spec in SOPS:
        sop = Sop.objects.filter(title=spec["title"]).first()
        first, *later = spec["versions"]
        if sop is None:
            sop = library.sop_create(
                by=by,
                client_id=_key(f"sop:{spec['title']}"),
                title=spec["title"],
                category=spec["category"],
                required_roles=spec["required_roles"],
                number=first[0],
                effective_date=first[1],
                changes=first[2],
                data=samples.pdf(f"{spec['title']} v{first[0]}", spec["text"]),
            )
        for number, effective, changes in later:
            if not sop.versions.filter(number=number).exists():
                library.sop_version_publish(
                    by=by,
                    client_id=_key(f"sop:{spec['title']}:{number}"),
                    sop=sop,
                    number=number,
                    effective_date=effective,
                    changes=changes,
                    data=samples.pdf(f"{spec['title']} v{number}", [*spec["text"], changes]),
                )
        sops[spec["title"]] = sop
    return sops


def _seed_tutorials(by: User, sops: dict[str, Sop]) -> None:
    for spec in TUTORIALS:
        if Tutorial.objects.filter(title=spec["title"]).exists():
            continue
        seconds = 2.0 * len(spec["captions"])
        video = samples.pattern_video(seconds=seconds, size="640x360", rate=12)
        made = tutorials.tutorial_upload(
            by=by,
            client_id=_key(f"tutorial:{spec['title']}"),
            title=spec["title"],
            description="Video singkat (pola uji) dengan takarir berbahasa Indonesia.",
            sop=sops.get(spec["sop"] or ""),
            required_roles=spec["required_roles"],
            video=SimpleUploadedFile("tutorial.mp4", video, content_type="video/mp4"),
            captions=samples.captions(spec["captions"]),
            quiz=spec["quiz"],
            pass_mark=spec["pass_mark"],
        )
        # What the task worker does after the upload, done here so the demo plays at once.
        if made.status == TutorialStatus.PROCESSING:
            tasks.tutorial_convert.call(made.pk)


def _seed_direction(users: dict[str, User], units: dict[str, OrgUnit]) -> None:
    leader = users["kasi.tng"]
    direction = directions.direction_send(
        by=leader,
        client_id=_key("direction:cikokol"),
        unit=units["KANIM-TNG-INTELDAKIM"],
        body=DIRECTION,
        units=[units["KANIM-TNG-TIM1"]],
        due_date=units["KANIM-TNG"].local_today() + datetime.timedelta(days=5),
    )
    for username in ("petugas.tng1", "petugas.tng3", "petugas.tng4"):
        directions.direction_acknowledge(by=users[username], direction=direction)
    done = DirectionRecipient.objects.get(direction=direction, user=users["petugas.tng3"])
    if done.done_at is None:
        directions.direction_done(
            by=users["petugas.tng3"],
            direction=direction,
            note="Tiga hotel di Cikokol sudah diperiksa; satu belum melapor APOA, sudah ditegur.",
        )


def seed_guidance(*, users: dict[str, User], units: dict[str, OrgUnit]) -> None:
    """Create whatever of the demo's guidance is missing."""
    publisher = users[PUBLISHER]
    sops = _seed_sops(publisher)
    _seed_tutorials(publisher, sops)
    _seed_direction(users, units)
