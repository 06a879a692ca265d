"""The demo's registry: sponsors, places and foreign nationals around the three demo offices.

Places and persons are made through the registry services (sponsors have no service yet).
Every choice comes from a seeded random.Random, so a second run finds the same records (by
document number, by name and regency, by NIK/NIB) and creates nothing.
"""

from __future__ import annotations

import datetime
import random
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import time_machine

from silahap.accounts.models import User
from silahap.registry import services as registry
from silahap.registry.models import (
    District,
    ForeignNational,
    Place,
    Regency,
    Sponsor,
    StayPermit,
    TravelDocument,
    Village,
    VisaIndex,
)
from silahap.registry.normalize import normalize_name

from . import names

OFFICES = ("KANIM-TNG", "KANIM-DPS", "KANIM-JYP")
OFFICE_ZONES = {
    "KANIM-TNG": zoneinfo.ZoneInfo("Asia/Jakarta"),
    "KANIM-DPS": zoneinfo.ZoneInfo("Asia/Makassar"),
    "KANIM-JYP": zoneinfo.ZoneInfo("Asia/Jayapura"),
}
# Places per regency/city of each office's work area (Kemendagri codes).
PLACES_PER_REGENCY = {
    "KANIM-TNG": {"36.71": 15, "36.03": 15, "36.74": 15},
    "KANIM-DPS": {"51.71": 5, "51.03": 5},
    "KANIM-JYP": {"91.71": 10},
}
PERSONS_PER_OFFICE = {"KANIM-TNG": 220, "KANIM-DPS": 70, "KANIM-JYP": 30}
PERSON_REGENCY_WEIGHTS = {
    "KANIM-TNG": {"36.71": 4, "36.03": 3, "36.74": 3},
    "KANIM-DPS": {"51.71": 1, "51.03": 2},
    "KANIM-JYP": {"91.71": 1},
}
SPONSORS_PER_OFFICE = {"KANIM-TNG": (30, 15), "KANIM-DPS": (10, 8), "KANIM-JYP": (5, 5)}

# (south, north, west, east) boxes drawn well inside each regency/city, away from its borders
# and the coast, so a demo point never lands in the neighbour (or the sea). Kabupaten Badung is a
# long strip: one box on the Bukit peninsula (Kuta Selatan), one inland in Kuta Utara.
BOXES = {
    "36.71": [(-6.205, -6.165, 106.615, 106.675)],
    "36.03": [(-6.27, -6.19, 106.45, 106.53)],
    "36.74": [(-6.33, -6.27, 106.68, 106.73)],
    "51.71": [(-8.68, -8.62, 115.20, 115.24)],
    "51.03": [(-8.80, -8.78, 115.17, 115.20), (-8.66, -8.64, 115.14, 115.16)],
    "91.71": [(-2.615, -2.585, 140.61, 140.655)],
}
MICRODEGREE = Decimal("0.000001")


class DemoError(Exception):
    """The database lacks something the demo needs; the message says what to run."""


def point_in(rng: random.Random, regency_code: str) -> tuple[Decimal, Decimal]:
    south, north, west, east = rng.choice(BOXES[regency_code])
    latitude = Decimal(str(rng.uniform(south, north))).quantize(MICRODEGREE)
    longitude = Decimal(str(rng.uniform(west, east))).quantize(MICRODEGREE)
    return latitude, longitude


@dataclass
class Areas:
    """The loaded districts and villages of the demo regencies, ordered by code."""

    regencies: dict[str, Regency]
    districts: dict[str, list[District]]
    villages: dict[str, list[Village]]

    @classmethod
    def load(cls, regency_codes: list[str]) -> Areas:
        regencies = {r.code: r for r in Regency.objects.filter(code__in=regency_codes)}
        missing = sorted(set(regency_codes) - set(regencies))
        if missing:
            raise DemoError(
                f"regencies {', '.join(missing)} are not loaded; run `manage.py load_areas` first"
            )
        districts: dict[str, list[District]] = defaultdict(list)
        for district in District.objects.filter(regency_id__in=regency_codes).order_by("code"):
            districts[district.regency_id].append(district)
        villages: dict[str, list[Village]] = defaultdict(list)
        for village in Village.objects.filter(district__regency_id__in=regency_codes).order_by(
            "code"
        ):
            villages[village.district_id].append(village)
        return cls(regencies, districts, villages)

    def random_village(self, rng: random.Random, regency_code: str) -> tuple[District, Village]:
        district = rng.choice(self.districts[regency_code])
        return district, rng.choice(self.villages[district.code])

    def address(self, rng: random.Random, regency_code: str, office: str) -> tuple:
        district, village = self.random_village(rng, regency_code)
        street = rng.choice(STREETS[office]).format(village=village.name.title())
        text = (
            f"{street} No. {rng.randint(1, 180)}, {village.name.title()}, "
            f"Kec. {district.name}, {self.regencies[regency_code].name}"
        )
        return district, village, text


STREETS = {
    "KANIM-TNG": (
        "Jl. Raya {village}",
        "Jl. Industri Raya",
        "Jl. Melati",
        "Jl. Kenanga",
        "Jl. Boulevard {village}",
        "Jl. Anggrek Raya",
    ),
    "KANIM-DPS": ("Jl. Raya {village}", "Jl. Pantai {village}", "Gg. Cempaka", "Jl. Sekar Jepun"),
    "KANIM-JYP": ("Jl. Raya {village}", "Jl. Matoa", "Jl. Cenderawasih", "Jl. Kelapa Dua"),
}
PLACE_KIND_WEIGHTS = {
    "KANIM-TNG": "factory 6 industrial_estate 3 company 4 apartment 4 boarding_house 3 residence 3 "
    "restaurant 3 spa_salon 2 entertainment 2 school 1 project_site 2 mall 1 hotel 2 worship 1",
    "KANIM-DPS": "villa 5 hotel 4 restaurant 3 spa_salon 2 entertainment 2 residence 2 company 1 "
    "boarding_house 1 school 1",
    "KANIM-JYP": "hotel 3 company 2 project_site 2 residence 2 worship 1 boarding_house 1 "
    "restaurant 1 mall 1",
}
PLACE_WORDS = {
    "KANIM-TNG": ("Cendana", "Permata", "Mutiara", "Kenari", "Harmoni", "Flamboyan", "Cemara"),
    "KANIM-DPS": ("Taman Sari", "Segara", "Sekar", "Jepun", "Padma", "Candra", "Wisma Dewi"),
    "KANIM-JYP": ("Cenderawasih", "Matoa", "Youtefa", "Cycloop", "Pelangi", "Sentosa"),
}
PLACE_NAMES = {
    "hotel": ("Hotel Griya {village}", "Hotel {word} Indah", "{word} Inn"),
    "apartment": ("Apartemen {word} Residence", "Apartemen {village} Park"),
    "boarding_house": ("Kos {word}", "Kos Eksklusif {village}"),
    "residence": ("Perumahan {word} Asri Blok {letter}{number}", "Griya {village} Blok {letter}"),
    "villa": ("Villa {word}", "Villa {word} {village}", "{word} Villas"),
    "company": ("Kantor {company}",),
    "factory": ("Pabrik {company}",),
    "industrial_estate": ("Kawasan Industri {word} {village}", "Kawasan Pergudangan {word}"),
    "project_site": ("Proyek Konstruksi {company}", "Proyek Gedung {word} {village}"),
    "entertainment": ("{word} Karaoke & Lounge", "Bar {word}"),
    "spa_salon": ("{word} Spa & Refleksi", "Salon {word}"),
    "restaurant": ("Restoran {cuisine} {word}", "Rumah Makan {cuisine} {village}"),
    "school": ("Sekolah Internasional {word}", "Sekolah Nasional Plus {word}"),
    "worship": ("Gereja {word}", "Vihara {word}", "Masjid {word}"),
    "mall": ("{word} Mall", "Plaza {word}"),
}
CUISINES = ("Korea", "Jepang", "Sichuan", "India", "Vietnam", "Timur Tengah", "Italia")


def place_name(rng: random.Random, kind: str, office: str, village: Village) -> str:
    return rng.choice(PLACE_NAMES[kind]).format(
        village=village.name.title(),
        word=rng.choice(PLACE_WORDS[office]),
        company=names.company_name(rng, office),
        cuisine=rng.choice(CUISINES),
        letter=rng.choice("ABCDEFG"),
        number=rng.randint(1, 40),
    )


def weighted(spec: str) -> tuple[list[str], list[int]]:
    words = spec.split()
    return words[0::2], [int(weight) for weight in words[1::2]]


# Who holds which permit, for what, with which visa index and what kind of sponsor.
# (permit type, occupation, visa index codes in order of preference, sponsor kind, weight)
PROFILES = {
    "KANIM-TNG": [
        ("ITAS", "Tenaga ahli produksi", ("E23", "C312"), "corporation", 14),
        ("ITAS", "Manajer pabrik", ("E23",), "corporation", 8),
        ("ITAS", "Teknisi mesin", ("E23", "C312"), "corporation", 10),
        ("ITAS", "Direktur PT PMA", ("E28A",), "corporation", 6),
        ("ITAS", "Konsultan teknik", ("E23",), "corporation", 5),
        ("ITAS", "Pengajar bahasa asing", ("E23",), "corporation", 4),
        ("ITAS", "Koki restoran", ("E23",), "corporation", 3),
        ("ITAS", "Mahasiswa", ("E30",), "corporation", 3),
        ("ITAS", "Mengikuti suami/istri WNI", ("E31",), "individual", 4),
        ("ITK", "Kunjungan bisnis", ("C2", "D2"), "corporation", 6),
        ("ITK", "Wisatawan", ("B1", "C1", "D1"), "", 3),
        ("ITK", "Penjajakan investasi", ("C12",), "corporation", 2),
        ("ITAP", "Pengusaha", ("ITAP",), "corporation", 4),
        ("ITAP", "Ibu rumah tangga", ("ITAP",), "individual", 3),
        ("DIPLOMATIC", "Staf kedutaan besar", (), "", 1),
        ("SERVICE", "Staf organisasi internasional", (), "", 1),
    ],
    "KANIM-DPS": [
        ("ITAS", "Pensiunan (rumah kedua)", ("E33",), "individual", 8),
        ("ITAS", "Pekerja jarak jauh", ("E33G",), "", 6),
        ("ITAS", "Manajer vila", ("E23",), "corporation", 5),
        ("ITAS", "Instruktur selancar", ("E23",), "corporation", 3),
        ("ITAS", "Instruktur yoga", ("E23",), "corporation", 2),
        ("ITAS", "Koki restoran", ("E23",), "corporation", 3),
        ("ITAS", "Mengikuti suami/istri WNI", ("E31",), "individual", 4),
        ("ITK", "Wisatawan", ("B1", "C1", "D1"), "", 16),
        ("ITK", "Kunjungan bisnis", ("C2", "D2"), "corporation", 3),
        ("ITAP", "Pensiunan", ("ITAP",), "individual", 3),
        ("ITAP", "Pengusaha", ("ITAP",), "corporation", 2),
        ("SERVICE", "Staf organisasi internasional", (), "", 1),
    ],
    "KANIM-JYP": [
        ("ITK", "Berdagang dan berbelanja lintas batas", ("B1", "C1"), "", 10),
        ("ITK", "Berobat", ("C1",), "individual", 3),
        ("ITK", "Wisatawan", ("B1", "C1", "D1"), "", 3),
        ("ITAS", "Tenaga ahli pertambangan", ("E23",), "corporation", 4),
        ("ITAS", "Pilot penerbangan perintis", ("E23",), "corporation", 3),
        ("ITAS", "Rohaniwan", ("E23",), "individual", 3),
        ("ITAS", "Dosen tamu", ("E23",), "corporation", 2),
        ("ITAP", "Pengusaha", ("ITAP",), "corporation", 1),
        ("DIPLOMATIC", "Staf konsulat", (), "", 1),
    ],
}
PERMIT_PREFIXES = {"ITK": "1B", "ITAS": "2C", "ITAP": "2D", "DIPLOMATIC": "DPL", "SERVICE": "DNS"}


@dataclass
class SponsorSpec:
    office: str
    kind: str
    name: str
    identity_number: str
    regency_code: str
    address: str
    phone: str


@dataclass
class PlaceSpec:
    office: str
    name: str
    kind: str
    regency_code: str
    district: District
    village: Village
    address: str
    latitude: Decimal
    longitude: Decimal


@dataclass
class PersonSpec:
    office: str
    regency_code: str
    full_name: str
    nationality: str
    sex: str
    birth_date: datetime.date
    birth_place: str
    occupation: str
    address: str
    document_number: str
    document_expiry: datetime.date
    permit_type: str
    permit_number: str
    permit_valid_until: datetime.date
    visa_codes: tuple[str, ...]
    sponsor_kind: str
    sponsor_index: int


@dataclass
class DemoPerson:
    """A registry person as the report plan sees them: where they live and their permit."""

    spec: PersonSpec
    person: ForeignNational
    permit: StayPermit | None


@dataclass
class DemoRegistry:
    places: dict[str, list[Place]] = field(default_factory=dict)
    persons: dict[str, list[DemoPerson]] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def _nik(rng: random.Random, district: District, sex: str) -> str:
    """NIK: district code, birth date (day + 40 for women), then a 4-digit serial."""
    birth = datetime.date(rng.randint(1960, 1995), rng.randint(1, 12), rng.randint(1, 28))
    day = birth.day + (40 if sex == "F" else 0)
    return f"{district.code.replace('.', '')}{day:02d}{birth:%m%y}{rng.randint(1, 999):04d}"


def sponsor_specs(areas: Areas) -> list[SponsorSpec]:
    rng = random.Random("silahap-demo:sponsors")
    specs: list[SponsorSpec] = []
    for office in OFFICES:
        regency_codes = list(PLACES_PER_REGENCY[office])
        corporations, individuals = SPONSORS_PER_OFFICE[office]
        used_names: set[str] = set()
        for index in range(corporations + individuals):
            regency_code = rng.choice(regency_codes)
            district, _village, address = areas.address(rng, regency_code, office)
            if index < corporations:
                name = names.company_name(rng, office)
                while name in used_names:
                    name = names.company_name(rng, office)
                used_names.add(name)
                kind, identity = "corporation", f"912{rng.randint(0, 10**10 - 1):010d}"
            else:
                sex = rng.choice("MF")
                name = names.indonesian_name(rng, office, sex)
                kind, identity = "individual", _nik(rng, district, sex)
            phone = f"08{rng.choice('1258')}{rng.randint(10**8, 10**9 - 1)}"
            specs.append(SponsorSpec(office, kind, name, identity, regency_code, address, phone))
    return specs


def place_specs(areas: Areas) -> list[PlaceSpec]:
    rng = random.Random("silahap-demo:places")
    specs: list[PlaceSpec] = []
    for office in OFFICES:
        kinds, weights = weighted(PLACE_KIND_WEIGHTS[office])
        for regency_code, count in PLACES_PER_REGENCY[office].items():
            used: set[str] = set()
            while len(used) < count:
                kind = rng.choices(kinds, weights)[0]
                district, village, address = areas.address(rng, regency_code, office)
                name = place_name(rng, kind, office, village)
                if name in used:
                    continue
                used.add(name)
                latitude, longitude = point_in(rng, regency_code)
                specs.append(
                    PlaceSpec(
                        office,
                        name,
                        kind,
                        regency_code,
                        district,
                        village,
                        address,
                        latitude,
                        longitude,
                    )
                )
    return specs


def _validity(rng: random.Random, today: datetime.date, permit_type: str) -> datetime.date:
    """Some expired (overstay under and over 60 days), some expiring within 30 days."""
    draw = rng.random()
    if permit_type not in ("DIPLOMATIC", "SERVICE"):
        if draw < 0.07:
            return today - datetime.timedelta(days=rng.randint(2, 55))
        if draw < 0.13:
            return today - datetime.timedelta(days=rng.randint(62, 240))
        if draw < 0.25:
            return today + datetime.timedelta(days=rng.randint(3, 28))
    longest = {"ITK": 58, "ITAS": 540, "ITAP": 1800}.get(permit_type, 1000)
    return today + datetime.timedelta(days=rng.randint(31, longest))


def person_specs(areas: Areas, today: datetime.date, places: list[PlaceSpec]) -> list[PersonSpec]:
    rng = random.Random("silahap-demo:persons")
    documents: set[tuple[str, str]] = set()
    specs: list[PersonSpec] = []
    for office in OFFICES:
        nationalities, nationality_weights = names.nationality_weights(office)
        regencies = list(PERSON_REGENCY_WEIGHTS[office])
        regency_weights = list(PERSON_REGENCY_WEIGHTS[office].values())
        profiles = PROFILES[office]
        homes = [
            p
            for p in places
            if p.office == office
            and p.kind in ("apartment", "residence", "boarding_house", "villa", "hotel")
        ]
        corporations, individuals = SPONSORS_PER_OFFICE[office]
        for _ in range(PERSONS_PER_OFFICE[office]):
            nationality = rng.choices(nationalities, nationality_weights)[0]
            permit_type, occupation, visa_codes, sponsor_kind, _weight = rng.choices(
                profiles, [p[4] for p in profiles]
            )[0]
            sex = "M" if rng.random() < (0.55 if office == "KANIM-DPS" else 0.68) else "F"
            if occupation == "Ibu rumah tangga":
                sex = "F"
            full_name = names.person_name(rng, nationality, sex)
            oldest = 75 if "ensiun" in occupation else 60
            age_days = rng.randint(22 * 365, oldest * 365)
            number = names.passport_number(rng, nationality)
            while (number, nationality) in documents:
                number = names.passport_number(rng, nationality)
            documents.add((number, nationality))
            home = rng.choice(homes) if homes and rng.random() < 0.5 else None
            if home is not None:
                regency_code, address = home.regency_code, f"{home.name}, {home.address}"
            else:
                regency_code = rng.choices(regencies, regency_weights)[0]
                address = areas.address(rng, regency_code, office)[2]
            valid_until = _validity(rng, today, permit_type)
            issued_year = min(today.year, valid_until.year) % 100
            permit_number = (
                f"{PERMIT_PREFIXES[permit_type]}{issued_year:02d}"
                f"{rng.choice(names.LETTERS)}{rng.choice(names.LETTERS)}"
                f"{rng.randint(0, 9999):04d}-{rng.choice(names.LETTERS)}"
            )
            sponsor_count = corporations if sponsor_kind == "corporation" else individuals
            specs.append(
                PersonSpec(
                    office=office,
                    regency_code=regency_code,
                    full_name=full_name,
                    nationality=nationality,
                    sex=sex,
                    birth_date=today - datetime.timedelta(days=age_days),
                    birth_place=rng.choice(names.NATIONALITIES[nationality].birth_places),
                    occupation=occupation,
                    address=address,
                    document_number=number,
                    document_expiry=today + datetime.timedelta(days=rng.randint(120, 3300)),
                    permit_type=permit_type,
                    permit_number=permit_number,
                    permit_valid_until=valid_until,
                    visa_codes=visa_codes,
                    sponsor_kind=sponsor_kind,
                    sponsor_index=rng.randrange(sponsor_count),
                )
            )
    return specs


def _visa_index(rng: random.Random, spec: PersonSpec, indexes: list[VisaIndex]):
    """The profile's own index when the reference table has it, else any of the permit type."""
    by_code = {index.code: index for index in indexes}
    preferred = [by_code[code] for code in spec.visa_codes if code in by_code]
    if preferred:
        return rng.choice(preferred)
    same_type = [i for i in indexes if i.permit_type == spec.permit_type and i.is_active]
    return rng.choice(same_type) if same_type else None


def _registration_moment(rng: random.Random, office: str, day: datetime.date):
    minutes = rng.randint(8 * 60, 15 * 60)
    return datetime.datetime.combine(
        day, datetime.time(minutes // 60, minutes % 60), tzinfo=OFFICE_ZONES[office]
    )


def seed_registry(
    *, areas: Areas, today: datetime.date, officers: dict[str, list[User]]
) -> DemoRegistry:
    """Create what is missing of the demo registry, registered by the offices' officers."""
    result = DemoRegistry()
    rng = random.Random("silahap-demo:registration")
    window_start = today - datetime.timedelta(days=45)

    sponsors: dict[tuple[str, str], list[Sponsor]] = defaultdict(list)
    specs = sponsor_specs(areas)
    existing_sponsors = {
        (s.kind, s.identity_number): s
        for s in Sponsor.objects.filter(identity_number__in=[s.identity_number for s in specs])
    }
    with time_machine.travel(_registration_moment(rng, "KANIM-TNG", window_start), tick=False):
        for spec in specs:
            sponsor = existing_sponsors.get((spec.kind, spec.identity_number))
            if sponsor is None:
                sponsor = Sponsor.objects.create(
                    kind=spec.kind,
                    name=spec.name,
                    identity_number=spec.identity_number,
                    address=spec.address,
                    regency=areas.regencies[spec.regency_code],
                    phone=spec.phone,
                )
                result.created["sponsors"] += 1
            sponsors[(spec.office, spec.kind)].append(sponsor)

    places = place_specs(areas)
    existing_places = {
        (p.normalized_name, p.regency_id): p
        for p in Place.objects.filter(normalized_name__in=[normalize_name(s.name) for s in places])
    }
    for spec in places:
        day = window_start + datetime.timedelta(days=rng.randint(0, 9))
        moment = _registration_moment(rng, spec.office, day)
        officer = rng.choice(officers[spec.office])
        place = existing_places.get((normalize_name(spec.name), spec.regency_code))
        if place is None:
            with time_machine.travel(moment, tick=False):
                place = registry.place_create(
                    by=officer,
                    name=spec.name,
                    kind=spec.kind,
                    regency=areas.regencies[spec.regency_code],
                    address=spec.address,
                    district=spec.district,
                    village=spec.village,
                    latitude=spec.latitude,
                    longitude=spec.longitude,
                )
            result.created["places"] += 1
        result.places.setdefault(spec.office, []).append(place)

    people = person_specs(areas, today, places)
    numbers = [spec.document_number for spec in people]
    existing_documents = {
        (number, str(country)): person_id
        for number, country, person_id in TravelDocument.objects.filter(
            number__in=numbers
        ).values_list("number", "issuing_country", "person_id")
    }
    indexes = list(VisaIndex.objects.order_by("code"))
    plans = []
    for spec in people:
        day = window_start + datetime.timedelta(days=rng.randint(10, 14))
        moment = _registration_moment(rng, spec.office, day)
        officer = rng.choice(officers[spec.office])
        plans.append((moment, spec, officer, _visa_index(rng, spec, indexes)))
    plans.sort(key=lambda plan: plan[0])
    person_ids: dict[int, int] = {}
    for index, (moment, spec, officer, visa_index) in enumerate(plans):
        person_id = existing_documents.get((spec.document_number, spec.nationality))
        if person_id is None:
            office_sponsors = sponsors.get((spec.office, spec.sponsor_kind), [])
            with time_machine.travel(moment, tick=False):
                created = registry.person_create(
                    by=officer,
                    full_name=spec.full_name,
                    nationality=spec.nationality,
                    sex=spec.sex,
                    birth_date=spec.birth_date,
                    birth_place=spec.birth_place,
                    occupation=spec.occupation,
                    address=spec.address,
                    document_number=spec.document_number,
                    document_expiry=spec.document_expiry,
                    permit_type=spec.permit_type,
                    permit_number=spec.permit_number,
                    permit_valid_until=spec.permit_valid_until,
                    visa_index=visa_index,
                    sponsor=(
                        office_sponsors[spec.sponsor_index % len(office_sponsors)]
                        if office_sponsors
                        else None
                    ),
                )
            person_id = created.person.pk
            result.created["persons"] += int(created.created)
        person_ids[index] = person_id

    _seed_duplicates(plans=plans, places=result.places, result=result)
    persons = ForeignNational.objects.in_bulk(list(person_ids.values()))
    permits: dict[int, StayPermit] = {}
    for permit in StayPermit.objects.filter(person_id__in=list(person_ids.values())).order_by(
        "valid_until"
    ):
        permits[permit.person_id] = permit
    for index, (_moment, spec, _officer, _index) in enumerate(plans):
        person = persons[person_ids[index]]
        result.persons.setdefault(spec.office, []).append(
            DemoPerson(spec=spec, person=person, permit=permits.get(person.pk))
        )
    return result


# Registered twice by mistake, as happens in the field: a slip in the name and another passport
# number, or the same hotel entered again a few metres away. The duplicates pages show them.
DUPLICATE_PERSONS = 3


def _slip(name: str) -> str:
    """The name with two neighbouring letters swapped in its last word."""
    words = name.split()
    last = words[-1]
    if len(last) > 3:
        words[-1] = last[0] + last[2] + last[1] + last[3:]
    return " ".join(words)


def _seed_duplicates(*, plans, places: dict[str, list[Place]], result: DemoRegistry) -> None:
    for moment, spec, officer, _visa_index in plans[:DUPLICATE_PERSONS]:
        number = spec.document_number[:-1] + ("1" if spec.document_number[-1] != "1" else "2")
        if TravelDocument.objects.filter(number=number).exists():
            continue
        with time_machine.travel(moment + datetime.timedelta(days=3), tick=False):
            created = registry.person_create(
                by=officer,
                full_name=_slip(spec.full_name),
                nationality=spec.nationality,
                sex=spec.sex,
                birth_date=spec.birth_date,
                document_number=number,
                permit_type=spec.permit_type,
            )
        result.created["persons"] += int(created.created)
    original = next(
        (place for place in places.get("KANIM-TNG", []) if place.latitude is not None), None
    )
    if (
        original is None
        or Place.objects.filter(normalized_name=original.normalized_name).count() > 1
    ):
        return
    registry.place_create(
        by=plans[0][2],
        name=original.name.upper(),
        kind=original.kind,
        regency=original.regency,
        district=original.district,
        village=original.village,
        address=original.address,
        latitude=original.latitude + Decimal("0.0002"),
        longitude=original.longitude,
    )
    result.created["places"] += 1
