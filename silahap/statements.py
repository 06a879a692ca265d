"""Querysets compiled once per connection and run again with other values.

For the short statements of the most frequent requests, building and compiling the ORM's query
costs more than running it: an API token's lookup with its client (most of ~5 ms at 1,000,000
activities), the regency select's rows (a third of a list's rows), the officer's report under its
lock on every activity submitted (~0.3 ms to compile, ~0.25 ms to run, ~0.5 ms more for the
queryset's machinery). A `Statement` keeps the SQL the ORM compiled for a queryset built with
marker values and runs it with the real ones, prepared for the database as the ORM prepares
them; its rows go through the ORM's converters, and each model is made by `from_db` from its
own columns, as the ORM makes them. The statement reads the tables every time; only its SQL is
kept, per thread and connection (a connection belongs to its thread; tests swap them).
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import connections
from django.db.models import Field, Model, QuerySet

ModelT = TypeVar("ModelT", bound=Model)
# Values no caller asks for, per kind of field a statement takes; the n-th value of a statement
# gets the n-th marker of its kind, so two values of one kind are told apart.
MARKERS: dict[type, Callable[[int], Any]] = {
    int: lambda n: -7_130_913 - n,
    str: lambda n: f"marker-of-a-compiled-statement-{n}",
    datetime.date: lambda n: datetime.date(1901, 2, 3) + datetime.timedelta(days=n),
}


class Compiled:
    """One queryset's SQL for one connection, and where its models' columns are in a row."""

    def __init__(self, queryset: QuerySet, alias: str, fields: Sequence[tuple[Field, Any]]):
        self.alias = alias
        self.connection = connections[alias]
        self.compiler = queryset.query.get_compiler(using=alias)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        self.fields = [field for field, _marker in fields]
        self.at = [self._position(field, marker) for field, marker in fields]
        self.models: dict[type[Model], tuple[int, int, list[str]]] = {}
        infos = [self.compiler.klass_info] if self.compiler.klass_info else []
        while infos:
            info = infos.pop()
            columns = info["select_fields"]
            first, last = columns[0], columns[-1] + 1
            names = [column[0].target.attname for column in self.compiler.select[first:last]]
            self.models[info["model"]] = (first, last, names)
            infos.extend(info.get("related_klass_infos", []))

    def _position(self, field: Field, marker: Any) -> int:
        prepared = field.get_db_prep_value(marker, self.connection)
        found = [at for at, param in enumerate(self.params) if param == prepared]
        if len(found) != 1:  # pragma: no cover — a queryset that uses a value twice or never
            raise RuntimeError(f"{field} appears {len(found)} times in {self.sql}")
        return found[0]

    def rows(self, values: Sequence[Any]) -> list[tuple]:
        params = list(self.params)
        for at, field, value in zip(self.at, self.fields, values, strict=True):
            params[at] = field.get_db_prep_value(value, self.connection)
        with self.connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            found = cursor.fetchall()
        return [tuple(row) for row in self.compiler.results_iter(results=[found])]

    def made(self, model: type[ModelT], row: tuple) -> ModelT:
        first, last, names = self.models[model]
        return model.from_db(self.alias, names, row[first:last])


class Statement:
    """`build(*markers)` gives the queryset; `fields` are the model fields its values are for.

    report = Statement(
        lambda officer, day: DailyReport.objects.filter(officer_id=officer, report_date=day),
        DailyReport._meta.get_field("officer"),
        DailyReport._meta.get_field("report_date"),
    )
    report.first(DailyReport, "default", officer.pk, day)
    """

    def __init__(self, build: Callable[..., QuerySet], *fields: Field):
        self.build = build
        self.markers = [(field, MARKERS[_kind(field)](n)) for n, field in enumerate(fields)]
        self.local = threading.local()

    def compiled(self, alias: str) -> Compiled:
        compiled = getattr(self.local, alias, None)
        if compiled is None or compiled.connection is not connections[alias]:
            queryset = self.build(*(marker for _field, marker in self.markers))
            compiled = Compiled(queryset, alias, self.markers)
            setattr(self.local, alias, compiled)
        return compiled

    def rows(self, alias: str, *values: Any) -> list[tuple]:
        return self.compiled(alias).rows(values)

    def first(self, model: type[ModelT], alias: str, *values: Any) -> ModelT | None:
        compiled = self.compiled(alias)
        found = compiled.rows(values)
        return compiled.made(model, found[0]) if found else None


def _kind(field: Field) -> type:
    target = field.target_field if field.is_relation else field  # type: ignore[attr-defined]
    if isinstance(target, Field) and target.get_internal_type() == "DateField":
        return datetime.date
    if target.get_internal_type() in ("CharField", "TextField", "SlugField"):
        return str
    return int
