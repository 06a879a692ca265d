"""Check (dry run) or apply a file, one chunk of rows at a time.

Every chunk costs a fixed number of queries whatever its size: one lookup of the documents it
names, one of their persons' permits or stays, one of its places, and bulk writes. Rows are
matched on document number + issuing country (lodging: the nationality), so a row already applied
finds everything it would write and is "unchanged": importing a file twice changes nothing.

Registry writes made here carry no audit event each; the import's own events (upload, dry run,
confirm, import with its counts) stand for them, as a 50,000-row file would otherwise add 50,000.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from silahap.registry import warnings
from silahap.registry.imports import checking
from silahap.registry.imports.layouts import LAYOUTS, Column, header_key
from silahap.registry.imports.reading import FileProblem, open_table
from silahap.registry.models import (
    ForeignNational,
    Place,
    PlaceKind,
    Regency,
    StayPermit,
    TravelDocument,
    VisaIndex,
)
from silahap.registry.models_imports import ImportJob, ImportKind, ImportRow, LodgingStay
from silahap.registry.normalize import normalize_name

CHUNK_SIZE = 1000
Outcome = ImportRow.Outcome
# Persons file: fields an import fills in when the registry has nothing for them; what an
# officer recorded is never overwritten by a file.
FILLABLE = ("birth_date", "birth_place", "occupation", "address")
MERGE_DEPTH = 5


@lru_cache(maxsize=4096)
def _place_name(name: str) -> str:
    """A lodging's name as places are matched (a file names the same few places many times)."""
    return normalize_name(name)


@dataclass
class Line:
    number: int
    values: dict
    problems: list = field(default_factory=list)
    outcome: str = ""
    person_id: int | None = None
    notes: list = field(default_factory=list)

    def label(self, kind: str) -> str:
        values = self.values
        if kind == ImportKind.LODGING:
            parts = [values.get("guest_name"), values.get("document_number"),
                     values.get("lodging"), values.get("check_in")]  # fmt: skip
        else:
            parts = [values.get("full_name"), values.get("document_number")]
        return " · ".join(str(part) for part in parts if part)[:200]


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: int = 0
    new_persons: int = 0
    new_places: int = 0

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


def file_digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


class Run:
    """One pass over a job's file; `apply=False` is the dry run and writes only its report."""

    def __init__(self, job: ImportJob, *, apply: bool, on_chunk: Callable | None = None):
        self.job = job
        self.apply = apply
        self.on_chunk = on_chunk
        self.columns: tuple[Column, ...] = LAYOUTS[job.kind]
        self.counts = Counts()
        self.seen: dict[tuple, int] = {}
        self.visa_indexes = {
            code.upper(): (pk, permit_type, code)
            for pk, permit_type, code in VisaIndex.objects.values_list("pk", "permit_type", "code")
        }
        self.regencies = set(Regency.objects.values_list("code", flat=True))
        self.default_regency = self._default_regency()
        # Lodging: places and persons met so far, so a second row does not create them again.
        self.places: dict[tuple[str, str], int | None] = {}
        self.pending_persons: set[tuple[str, str]] = set()

    def _default_regency(self) -> str | None:
        codes = list(self.job.office.work_area.values_list("code", flat=True)[:2])
        return codes[0] if len(codes) == 1 else None

    # ------------------------------------------------------------------ reading

    def lines(self) -> list[Line]:
        """Every non-empty row of the file, checked on its own; raises FileProblem."""
        table = open_table(self.job.file_name, self.job.read_bytes())
        keys = [header_key(cell) for cell in table.header]
        missing = [c.key for c in self.columns if c.required and c.key not in keys]
        if missing:
            raise FileProblem("missing_columns", columns=missing)
        positions = {
            column.key: keys.index(column.key) for column in self.columns if column.key in keys
        }
        limit = settings.SILAHAP_IMPORT_MAX_ROWS
        lines: list[Line] = []
        for number, cells in table.rows:
            if all(checking.as_text(cell) == "" for cell in cells):
                continue
            if len(lines) >= limit:
                raise FileProblem("too_many_rows", limit=limit)
            by_key = {
                key: cells[index] if index < len(cells) else None
                for key, index in positions.items()
            }
            values, problems = checking.check_cells(
                self.columns, by_key, visa_indexes=self.visa_indexes, regencies=self.regencies
            )
            lines.append(Line(number=number, values=values, problems=problems))
        if not lines:
            raise FileProblem("no_rows")
        return lines

    def _row_problems(self, line: Line) -> None:
        values = line.values
        if line.problems:
            return
        if self.job.kind == ImportKind.PERSONS:
            values["document_country"] = values["document_country"] or values["nationality"]
            line.problems = checking.person_problems(values)
            key: tuple = (values["document_number"], values["document_country"])
        else:
            values["lodging_regency"] = values["lodging_regency"] or self.default_regency
            if not values["lodging_regency"]:
                line.problems = [("required", {"column": "lodging_regency"})]
                return
            line.problems = checking.lodging_problems(values)
            values["place_key"] = (_place_name(values["lodging"]), values["lodging_regency"])
            key = (values["document_number"], values["nationality"], values["place_key"],
                   values["check_in"])  # fmt: skip
        if not line.problems:
            if key in self.seen:
                line.problems = [("duplicate", {"line": self.seen[key]})]
            else:
                self.seen[key] = line.number

    # ------------------------------------------------------------------ running

    def execute(self, lines: list[Line]) -> Counts:
        ImportRow.objects.filter(job=self.job).delete()
        for start in range(0, len(lines), CHUNK_SIZE):
            chunk = lines[start : start + CHUNK_SIZE]
            for line in chunk:
                self._row_problems(line)
            with transaction.atomic():
                good = [line for line in chunk if not line.problems]
                if self.job.kind == ImportKind.PERSONS:
                    self._persons(good)
                else:
                    self._lodging(good)
                for line in chunk:
                    if line.problems:
                        line.outcome = Outcome.REFUSED
                    self.counts.add(line.outcome)
                ImportRow.objects.bulk_create(
                    [
                        ImportRow(
                            job_id=self.job.pk,
                            line=line.number,
                            outcome=line.outcome,
                            label=line.label(self.job.kind),
                            person_id=line.person_id if line.person_id else None,
                            notes=line.problems or line.notes,
                        )
                        for line in chunk
                    ]
                )
                if self.on_chunk is not None:
                    self.on_chunk(start + len(chunk), self.counts)
        return self.counts

    # ------------------------------------------------------------------ shared lookups

    def _documents(self, keys: set[tuple[str, str]]) -> dict[tuple[str, str], TravelDocument]:
        """The registered documents among (number, country) keys, their holder resolved through
        merges to the record that stands for them now."""
        if not keys:
            return {}
        documents = TravelDocument.objects.filter(
            number__in={number for number, _country in keys}
        ).select_related("person")
        found = {(d.number, str(d.issuing_country)): d for d in documents}
        found = {key: document for key, document in found.items() if key in keys}
        merged = [d for d in found.values() if d.person.merged_into_id]
        for _depth in range(MERGE_DEPTH):
            if not merged:
                break
            targets = ForeignNational.objects.in_bulk({d.person.merged_into_id for d in merged})
            for document in merged:
                document.person = targets[document.person.merged_into_id]
            merged = [d for d in merged if d.person.merged_into_id]
        return found

    def _new_person(self, *, name: str, nationality: str, values: dict) -> ForeignNational:
        return ForeignNational(
            full_name=name,
            normalized_name=normalize_name(name),
            sex=values.get("sex") or ForeignNational.Sex.UNSPECIFIED,
            birth_date=values.get("birth_date"),
            birth_place=values.get("birth_place") or "",
            nationality=nationality,
            occupation=values.get("occupation") or "",
            address=values.get("address") or "",
            created_by=self.job.uploaded_by,
        )

    # ------------------------------------------------------------------ persons

    @staticmethod
    def _permit_key(permit_type, number, issued_on, valid_until) -> tuple:
        return (permit_type, number) if number else (permit_type, "", issued_on, valid_until)

    def _persons(self, lines: list[Line]) -> None:
        keys = {(ln.values["document_number"], ln.values["document_country"]) for ln in lines}
        documents = self._documents(keys)
        person_ids = {document.person.pk for document in documents.values()}
        permits: dict[int, set] = {}
        for row in StayPermit.objects.filter(person_id__in=person_ids).values_list(
            "person_id", "permit_type", "number", "issued_on", "valid_until"
        ):
            permits.setdefault(row[0], set()).add(self._permit_key(*row[1:]))
        new_people: list[tuple[Line, ForeignNational]] = []
        changed_people: dict[int, ForeignNational] = {}
        changed_documents: list[TravelDocument] = []
        new_permits: list[tuple[Line, StayPermit]] = []
        for line in lines:
            values = line.values
            document = documents.get((values["document_number"], values["document_country"]))
            permit = self._permit(values)
            if document is None:
                line.outcome = Outcome.CREATED
                line.notes = [("new_person", {})]
                new_people.append((line, self._new_person(
                    name=values["full_name"], nationality=values["nationality"], values=values
                )))  # fmt: skip
                if permit is not None:
                    new_permits.append((line, permit))
                continue
            person = document.person
            line.person_id = person.pk
            filled = [name for name in FILLABLE if values.get(name) and not getattr(person, name)]
            if values.get("sex") in ("M", "F") and person.sex == ForeignNational.Sex.UNSPECIFIED:
                filled.append("sex")
            for name in filled:
                setattr(person, name, values[name])
            if filled:
                changed_people[person.pk] = person
                line.notes.append(("filled", {"fields": ", ".join(filled)}))
            expiry = values.get("document_expiry")
            if expiry and (document.expiry_date is None or expiry > document.expiry_date):
                document.expiry_date = expiry
                changed_documents.append(document)
                line.notes.append(("filled", {"fields": "document_expiry"}))
            if permit is not None:
                key = self._permit_key(
                    permit.permit_type, permit.number, permit.issued_on, permit.valid_until
                )
                if key not in permits.setdefault(person.pk, set()):
                    permits[person.pk].add(key)
                    permit.person = person
                    new_permits.append((line, permit))
                    line.notes.append(("new_permit", {}))
            if normalize_name(values["full_name"]) != person.normalized_name:
                line.notes.append(("name_differs", {"name": person.full_name}))
            changed = any(code in ("filled", "new_permit") for code, _params in line.notes)
            line.outcome = Outcome.UPDATED if changed else Outcome.UNCHANGED
        self.counts.new_persons += len(new_people)
        if not self.apply:
            return
        now = timezone.now()
        created = ForeignNational.objects.bulk_create([person for _line, person in new_people])
        TravelDocument.objects.bulk_create(
            [
                TravelDocument(
                    person=person,
                    kind=line.values["document_kind"] or TravelDocument.Kind.PASSPORT,
                    number=line.values["document_number"],
                    issuing_country=line.values["document_country"],
                    expiry_date=line.values["document_expiry"],
                )
                for (line, _unsaved), person in zip(new_people, created, strict=True)
            ]
        )
        for (line, _unsaved), person in zip(new_people, created, strict=True):
            line.person_id = person.pk
        by_line = {line.number: line for line in lines}
        for line, permit in new_permits:
            if permit.person_id is None:
                permit.person_id = by_line[line.number].person_id
        StayPermit.objects.bulk_create([permit for _line, permit in new_permits])
        warnings.refresh_warning_columns({permit.person_id for _line, permit in new_permits})
        for person in changed_people.values():
            person.updated_at = now
        ForeignNational.objects.bulk_update(
            changed_people.values(), [*FILLABLE, "sex", "updated_at"]
        )
        TravelDocument.objects.bulk_update(changed_documents, ["expiry_date"])

    def _permit(self, values: dict) -> StayPermit | None:
        if not values.get("permit_type"):
            return None
        visa = values.get("visa_index")
        return StayPermit(
            permit_type=values["permit_type"],
            number=values.get("permit_number") or "",
            visa_index_id=visa[0] if visa else None,
            issued_on=values.get("permit_issued_on"),
            valid_until=values.get("permit_valid_until"),
        )

    # ------------------------------------------------------------------ lodging

    def _lodging(self, lines: list[Line]) -> None:
        place_ids = self._places(lines)
        keys = {(ln.values["document_number"], ln.values["nationality"]) for ln in lines}
        documents = self._documents(keys)
        new_people: dict[tuple[str, str], ForeignNational] = {}
        for line in lines:
            values = line.values
            key = (values["document_number"], values["nationality"])
            document = documents.get(key)
            if document is not None:
                line.person_id = document.person.pk
                continue
            if key not in self.pending_persons and key not in new_people:
                line.notes.append(("new_person", {}))
                new_people[key] = self._new_person(
                    name=values["guest_name"], nationality=values["nationality"], values=values
                )
        self.counts.new_persons += len(new_people)
        if self.apply and new_people:
            created = ForeignNational.objects.bulk_create(list(new_people.values()))
            TravelDocument.objects.bulk_create(
                [
                    TravelDocument(
                        person=person,
                        kind=TravelDocument.Kind.PASSPORT if len(number) <= 9 else "other",
                        number=number,
                        issuing_country=country,
                    )
                    for (number, country), person in zip(new_people, created, strict=True)
                ]
            )
            ids = {key: person.pk for key, person in zip(new_people, created, strict=True)}
            for line in lines:
                if line.person_id is None:
                    key = (line.values["document_number"], line.values["nationality"])
                    line.person_id = ids[key]
        elif not self.apply:
            self.pending_persons.update(new_people)
        known = [line for line in lines if line.person_id and place_ids.get(line.number)]
        stays = {
            (stay.person_id, stay.place_id, stay.check_in): stay
            for stay in LodgingStay.objects.filter(
                person_id__in={line.person_id for line in known},
                place_id__in={place_ids[line.number] for line in known},
                check_in__in={line.values["check_in"] for line in known},
            )
        }
        new_stays: list[LodgingStay] = []
        changed_stays: list[LodgingStay] = []
        for line in lines:
            values = line.values
            place_id = place_ids.get(line.number)
            stay_key = (line.person_id, place_id, values["check_in"])
            stay = stays.get(stay_key)  # type: ignore[arg-type]  # no stay when an id is None
            if stay is None:
                line.outcome = Outcome.CREATED
                stay = LodgingStay(  # type: ignore[misc]  # ids are None only in a dry run: unsaved
                    person_id=line.person_id, place_id=place_id, check_in=values["check_in"],
                    check_out=values["check_out"], source_job=self.job,
                )  # fmt: skip
                new_stays.append(stay)
                # Two documents of one (merged) person in one chunk: one stay, not a conflict.
                if line.person_id and place_id:
                    stays[stay_key] = stay  # type: ignore[index]  # both ids known here
            elif values["check_out"] and stay.check_out != values["check_out"]:
                line.outcome = Outcome.UPDATED
                line.notes.append(("check_out_set", {}))
                stay.check_out = values["check_out"]
                changed_stays.append(stay)
            else:
                line.outcome = Outcome.UNCHANGED
        if self.apply:
            LodgingStay.objects.bulk_create(new_stays)
            LodgingStay.objects.bulk_update([s for s in changed_stays if s.pk], ["check_out"])

    def _places(self, lines: list[Line]) -> dict[int, int | None]:
        """Line number → the place's id (None in a dry run for a place still to be created)."""
        wanted = {line.values["place_key"] for line in lines} - set(self.places)
        if wanted:
            for pk, name, regency in (
                Place.objects.filter(
                    normalized_name__in={name for name, _regency in wanted},
                    regency_id__in={regency for _name, regency in wanted},
                    merged_into__isnull=True,
                )
                .order_by("pk")
                .values_list("pk", "normalized_name", "regency_id")
            ):
                self.places.setdefault((name, regency), pk)
        missing: dict[tuple[str, str], Line] = {}
        for line in lines:
            key = line.values["place_key"]
            if key not in self.places and key not in missing:
                missing[key] = line
                line.notes.append(("new_place", {}))
        self.counts.new_places += len(missing)
        if missing and self.apply:
            created = Place.objects.bulk_create(
                [
                    Place(
                        name=" ".join(line.values["lodging"].split()),
                        normalized_name=key[0],
                        kind=PlaceKind.HOTEL,
                        address=line.values.get("lodging_address") or "",
                        regency_id=key[1],
                        created_by=self.job.uploaded_by,
                    )
                    for key, line in missing.items()
                ]
            )
            self.places.update({key: p.pk for key, p in zip(missing, created, strict=True)})
        elif missing:
            self.places.update(dict.fromkeys(missing))
        return {line.number: self.places[line.values["place_key"]] for line in lines}


def run(job: ImportJob, *, apply: bool, on_chunk: Callable | None = None) -> Counts:
    """Read, check and (when `apply`) write the job's file; raises FileProblem."""
    runner = Run(job, apply=apply, on_chunk=on_chunk)
    lines = runner.lines()
    if on_chunk is not None:
        on_chunk(0, runner.counts, total=len(lines))
    return runner.execute(lines)
