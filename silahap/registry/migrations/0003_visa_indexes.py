"""Seed the visa index codes officers see on stay permits.

Source: Permenkumham No. 22 Tahun 2023 tentang Visa dan Izin Tinggal and its amendments, as the
index codes appear on e-Visa grants (evisa.imigrasi.go.id). This is deliberately a small set:
only codes whose meaning we are sure of. The lettered sub-indexes of E30 (education), E31
(family) and E33 (second home and similar) were not verified one by one, so only the group code
is seeded for them; an administrator adds the exact sub-indexes (E31A, ...) in the admin.
Diplomatic, service and affidavit permits carry no row here: StayPermit.visa_index is optional.

Two superseded codes are kept, not in use, so permits granted before 2024 can still be recorded.
"""

from django.db import migrations

PERMENKUMHAM = "Permenkumham 22/2023 tentang Visa dan Izin Tinggal"

VISA_INDEXES = [
    # Visit visas (Visa Kunjungan) lead to a visit stay permit (ITK).
    ("B1", "ITK", "Visa Kunjungan Saat Kedatangan (VoA / e-VoA)", PERMENKUMHAM),
    ("C1", "ITK", "Visa Kunjungan sekali perjalanan: wisata", PERMENKUMHAM),
    ("C2", "ITK", "Visa Kunjungan sekali perjalanan: kegiatan bisnis", PERMENKUMHAM),
    ("C12", "ITK", "Visa Kunjungan sekali perjalanan: pra-investasi", PERMENKUMHAM),
    ("D1", "ITK", "Visa Kunjungan beberapa kali perjalanan: wisata", PERMENKUMHAM),
    ("D2", "ITK", "Visa Kunjungan beberapa kali perjalanan: kegiatan bisnis", PERMENKUMHAM),
    # Limited-stay visas (Visa Tinggal Terbatas) lead to a limited stay permit (ITAS).
    ("E23", "ITAS", "Visa Tinggal Terbatas: bekerja", PERMENKUMHAM),
    ("E28A", "ITAS", "Visa Tinggal Terbatas: penanaman modal asing", PERMENKUMHAM),
    ("E30", "ITAS", "Visa Tinggal Terbatas: pendidikan (kelompok E30)", PERMENKUMHAM),
    ("E31", "ITAS", "Visa Tinggal Terbatas: penyatuan keluarga (kelompok E31)", PERMENKUMHAM),
    ("E33", "ITAS", "Visa Tinggal Terbatas: rumah kedua (kelompok E33)", PERMENKUMHAM),
    ("E33G", "ITAS", "Visa Tinggal Terbatas: pekerja jarak jauh (remote worker)", PERMENKUMHAM),
    # ITAP has no visa of its own: it is granted by change of status (alih status) from ITAS;
    # UU 6/2011 Pasal 54 says who may hold it. The row lets a permit record say so.
    (
        "ITAP",
        "ITAP",
        "Izin Tinggal Tetap (alih status dari ITAS)",
        f"UU 6/2011 Pasal 54; {PERMENKUMHAM}",
    ),
]

# Indexes used before Permenkumham 22/2023 took effect (replaced by the C-series and E23).
SUPERSEDED_INDEXES = [
    (
        "B211A",
        "ITK",
        "Visa Kunjungan (indeks lama, kini seri C)",
        "Indeks sebelum Permenkumham 22/2023",
    ),
    (
        "C312",
        "ITAS",
        "Visa Tinggal Terbatas bekerja (indeks lama, kini E23)",
        "Indeks sebelum Permenkumham 22/2023",
    ),
]


def seed_visa_indexes(apps, schema_editor):
    VisaIndex = apps.get_model("registry", "VisaIndex")
    for rows, is_active in ((VISA_INDEXES, True), (SUPERSEDED_INDEXES, False)):
        for code, permit_type, name, legal_basis in rows:
            VisaIndex.objects.update_or_create(
                code=code,
                defaults={
                    "permit_type": permit_type,
                    "name": name,
                    "legal_basis": legal_basis,
                    "is_active": is_active,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_sponsor_foreignnational_traveldocument_visaindex_and_more")]

    operations = [
        # Reversing keeps the rows: stay permits may already point at them (on_delete=PROTECT).
        migrations.RunPython(seed_visa_indexes, migrations.RunPython.noop),
    ]
