"""Indonesia's administrative areas with their official Kemendagri codes.

Source: the npm package idn-area-data 4.0.1 (data under the Open Database License, see
silahap/areas/data/idn-area-data-4.0.1/LICENSE.md), which compiles the codes published
by the Ministry of Home Affairs (Kepmendagri on area codes and data).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from silahap.areas.models import District, Province, Regency, Village

DATA_DIR = Path(__file__).resolve().parent / "data" / "idn-area-data-4.0.1"
BATCH = 2000


class AreaDataError(Exception):
    """A reference file is missing or unreadable; the message says which and why."""


@dataclass(frozen=True)
class AreaCounts:
    provinces: int
    regencies: int
    districts: int
    villages: int


def _read(name: str, columns: tuple[str, ...], provinces: set[str] | None) -> list[dict[str, str]]:
    path = DATA_DIR / name
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise AreaDataError(f"{path}: missing column(s) {', '.join(missing)}")
            rows = [row for row in reader if provinces is None or row["code"][:2] in provinces]
    except OSError as error:
        raise AreaDataError(f"cannot read {path}: {error.strerror or error}") from None
    except (UnicodeDecodeError, csv.Error) as error:
        raise AreaDataError(f"{path} is not a readable UTF-8 CSV file: {error}") from None
    return rows


def _upsert(model, rows: list, fields: list[str]) -> None:
    for start in range(0, len(rows), BATCH):
        model.objects.bulk_create(
            rows[start : start + BATCH],
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=fields,
        )


@transaction.atomic
def load_areas(provinces: set[str] | None = None) -> AreaCounts:
    """Insert or update every area (or those of some provinces); safe to run again."""
    province_rows = _read("provinces.csv", ("code", "name"), provinces)
    regency_rows = _read("regencies.csv", ("code", "province_code", "name"), provinces)
    district_rows = _read("districts.csv", ("code", "regency_code", "name"), provinces)
    village_rows = _read("villages.csv", ("code", "district_code", "name"), provinces)
    _upsert(Province, [Province(code=r["code"], name=r["name"]) for r in province_rows], ["name"])
    _upsert(
        Regency,
        [
            Regency(code=r["code"], province_id=r["province_code"], name=r["name"])
            for r in regency_rows
        ],
        ["name", "province"],
    )
    _upsert(
        District,
        [
            District(code=r["code"], regency_id=r["regency_code"], name=r["name"])
            for r in district_rows
        ],
        ["name", "regency"],
    )
    _upsert(
        Village,
        [
            Village(code=r["code"], district_id=r["district_code"], name=r["name"])
            for r in village_rows
        ],
        ["name", "district"],
    )
    return AreaCounts(len(province_rows), len(regency_rows), len(district_rows), len(village_rows))


def areas_loaded(provinces: set[str] | None = None) -> bool:
    """Cheap check that a full load already happened, so `make run` stays quick the second time."""
    if provinces:
        return False
    return Village.objects.count() == sum(1 for _ in (DATA_DIR / "villages.csv").open()) - 1
