"""Seed the violation types a finding can name, each with the article it concerns.

Codes are fixed: services, queries and imports refer to them (e.g. overstay_lt_60). Names are
Indonesian, as officers say them; this is data, not interface text, so it is not translated.

Source for every article: UU No. 6 Tahun 2011 tentang Keimigrasian, as enacted. The amendments
since (UU 6/2023 on Cipta Kerja, UU 63/2024) were not re-read for these rows, so the articles are
cited at the level of detail we are confident of; an administrator can correct a row in the
admin without a release. Where a violation is a criminal offence the row cites both the duty and
the penal article; Pasal 75 is the general basis for administrative action (TAK).
"""

from django.db import migrations

UU = "UU 6/2011"

VIOLATION_TYPES = [
    # Pasal 78 ayat (1): stay permit expired, still in Indonesia less than 60 days: overstay
    # charge (biaya beban); ayat (2): unpaid charge leads to deportation and entry ban.
    {
        "code": "overstay_lt_60",
        "name": "Overstay kurang dari 60 hari",
        "article": f"{UU} Pasal 78 ayat (1) dan ayat (2)",
        "description": (
            "Izin Tinggal telah berakhir dan orang asing masih berada di Wilayah Indonesia "
            "kurang dari 60 hari: dikenai biaya beban; bila tidak dibayar, Tindakan "
            "Administratif Keimigrasian berupa Deportasi dan Penangkalan."
        ),
        "sort_order": 10,
    },
    # Pasal 78 ayat (3) says "lebih dari 60 (enam puluh) hari". The statute leaves day 60
    # itself between ayat (1) and ayat (3); reports.queries counts day 60 here, as the code says.
    {
        "code": "overstay_gte_60",
        "name": "Overstay 60 hari atau lebih",
        "article": f"{UU} Pasal 78 ayat (3)",
        "description": (
            "Izin Tinggal telah berakhir dan orang asing masih berada di Wilayah Indonesia "
            "lebih dari 60 hari: Tindakan Administratif Keimigrasian berupa Deportasi dan "
            "Penangkalan."
        ),
        "sort_order": 20,
    },
    # Pasal 122 huruf a: a foreigner who misuses the stay permit or does what its purpose does
    # not cover; huruf b: whoever orders or lets a foreigner do so.
    {
        "code": "permit_misuse",
        "name": "Penyalahgunaan Izin Tinggal",
        "article": f"{UU} Pasal 122 huruf a; TAK: Pasal 75",
        "description": (
            "Kegiatan tidak sesuai dengan maksud dan tujuan pemberian Izin Tinggal. Pihak yang "
            "menyuruh atau memberi kesempatan: Pasal 122 huruf b."
        ),
        "sort_order": 30,
    },
    # Working outside what the permit allows is one case of Pasal 122 huruf a. The employer's
    # duties (RPTKA) are manpower law, not immigration law, so they are not cited here.
    {
        "code": "unauthorized_work",
        "name": "Bekerja tanpa izin atau tidak sesuai Izin Tinggal",
        "article": f"{UU} Pasal 122 huruf a; TAK: Pasal 75",
        "description": (
            "Orang asing bekerja padahal Izin Tinggalnya tidak diberikan untuk bekerja, atau "
            "bekerja di luar jabatan/penjamin yang tercantum. Pemberi kerja yang menyuruh atau "
            "memberi kesempatan: Pasal 122 huruf b."
        ),
        "sort_order": 40,
    },
    # Pasal 71 huruf b: show and hand over the travel document or stay permit when an
    # immigration officer asks during supervision; Pasal 116 is the penalty for breaching Pasal
    # 71. Having no valid travel document and visa at all is Pasal 119 ayat (1).
    {
        "code": "no_document",
        "name": "Tidak dapat menunjukkan Dokumen Perjalanan atau Izin Tinggal",
        "article": f"{UU} Pasal 71 huruf b jo. Pasal 116; tanpa dokumen sah: Pasal 119 ayat (1)",
        "description": (
            "Orang asing tidak memperlihatkan Dokumen Perjalanan atau Izin Tinggal saat diminta "
            "Pejabat Imigrasi, atau tidak memiliki Dokumen Perjalanan dan Visa yang sah."
        ),
        "sort_order": 50,
    },
    # Pasal 71 huruf a: report every change of civil status, nationality, occupation, sponsor
    # or address to the local immigration office; Pasal 116 is the penalty.
    {
        "code": "unreported_change",
        "name": "Tidak melaporkan perubahan alamat atau status sipil",
        "article": f"{UU} Pasal 71 huruf a jo. Pasal 116",
        "description": (
            "Perubahan status sipil, kewarganegaraan, pekerjaan, Penjamin, atau alamat tidak "
            "dilaporkan ke Kantor Imigrasi setempat."
        ),
        "sort_order": 60,
    },
    # Pasal 113: entering or leaving without inspection at an immigration checkpoint (TPI,
    # Pasal 9); Pasal 119 ayat (1): entering or staying without a valid travel document and visa.
    {
        "code": "illegal_entry",
        "name": "Masuk Wilayah Indonesia secara tidak sah",
        "article": f"{UU} Pasal 113; Pasal 119 ayat (1)",
        "description": (
            "Masuk tanpa melalui pemeriksaan Pejabat Imigrasi di Tempat Pemeriksaan Imigrasi, "
            "atau masuk/berada tanpa Dokumen Perjalanan dan Visa yang sah."
        ),
        "sort_order": 70,
    },
    # Pasal 63: certain foreigners must have a sponsor (Penjamin), who answers for their
    # presence and activities and reports changes; Pasal 118: a sponsor who gives false
    # information or does not honour the guarantee.
    {
        "code": "sponsor_absent",
        "name": "Penjamin tidak berada di alamat yang dinyatakan",
        "article": f"{UU} Pasal 63; Pasal 118",
        "description": (
            "Penjamin tidak ditemukan di alamat yang dinyatakan dalam permohonan, sehingga "
            "keberadaan dan kegiatan orang asing tidak dapat dipertanggungjawabkan."
        ),
        "sort_order": 80,
    },
    # Pasal 75: administrative action against a foreigner whose activities endanger public
    # order or who does not respect or obey the law: the general basis for anything else.
    {
        "code": "other",
        "name": "Pelanggaran lainnya",
        "article": f"{UU} Pasal 75 (Tindakan Administratif Keimigrasian)",
        "description": "Uraikan pelanggaran dan pasal yang disangkakan pada temuan.",
        "sort_order": 900,
    },
]


def seed_violation_types(apps, schema_editor):
    ViolationType = apps.get_model("reports", "ViolationType")
    for row in VIOLATION_TYPES:
        defaults = {key: value for key, value in row.items() if key != "code"}
        ViolationType.objects.update_or_create(
            code=row["code"], defaults={**defaults, "is_active": True}
        )


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [
        # Reversing keeps the rows: findings may already point at them (on_delete=PROTECT).
        migrations.RunPython(seed_violation_types, migrations.RunPython.noop),
    ]
