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
from django.db.models.query import get_related_populators

ModelT = TypeVar("ModelT", bound=Model)
# Values no caller asks for, per kind of field a statement takes; the n-th value of a statement
# gets the n-th marker of its kind, so two values of one kind are told apart. The text holds
# "%" and "_" so a lookup that escapes or wraps its value (iexact, contains) is refused at
# compile time instead of being given the real value unescaped.
MARKERS: dict[type, Callable[[int], Any]] = {
    int: lambda n: -7_130_913 - n,
    str: lambda n: f"marker_of%a-compiled-statement-{n}",
    datetime.date: lambda n: datetime.date(1901, 2, 3) + datetime.timedelta(days=n),
    datetime.datetime: lambda n: (
        datetime.datetime(1901, 2, 3, 4, 5, 6, tzinfo=datetime.UTC) + datetime.timedelta(seconds=n)
    ),
}


class Compiled:
    """One queryset's SQL for one connection, and where its models' columns are in a row."""

    def __init__(
        self,
        queryset: QuerySet,
        alias: str,
        fields: Sequence[tuple[Field, Any]],
        check: QuerySet,
    ):
        """`check` is the same queryset built with other markers: the parameters that differ
        between the two must be exactly where the markers were found, so a constant that happens
        to equal a marker, or a value used otherwise than as a parameter, is refused."""
        self.alias = alias
        self.connection = connections[alias]
        self.compiler = queryset.query.get_compiler(using=alias)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        self.fields = [field for field, _marker in fields]
        self.at = [self._positions(field, marker) for field, marker in fields]
        other_sql, other = check.query.get_compiler(using=alias).as_sql()
        markers = {index for at in self.at for index in at}
        if (
            other_sql != self.sql
            or len(other) != len(self.params)
            or markers != {at for at, param in enumerate(self.params) if param != other[at]}
        ):  # a statement written wrongly fails on its first use
            raise RuntimeError(f"a value of this statement is not only a parameter: {self.sql}")
        # Annotations, prefetches and known related objects are not filled by objects().
        private = vars(queryset)  # the queryset's own state; not in the stubs
        self.plain = not (
            queryset.query.annotation_select
            or private.get("_prefetch_related_lookups")
            or private.get("_known_related_objects")
        )
        self.models: dict[type[Model], tuple[int, int, list[str]]] = {}
        info = self.compiler.klass_info
        # The root model's columns and the select_related models filled from the same row, as
        # the ORM's own iterable fills them (a model related twice, e.g. a unit and its office,
        # is filled at each place).
        self.root = self._columns(info) if info else None
        # Django 5.2's signature; the stubs describe a later one (with a fetch mode).
        self.related = (
            get_related_populators(info, self.compiler.select, alias)  # type: ignore[call-arg]
            if info
            else []
        )
        infos = [info] if info else []
        self.twice: set[type[Model]] = set()
        while infos:
            info = infos.pop()
            if info["model"] in self.models:
                self.twice.add(info["model"])
            self.models[info["model"]] = self._columns(info)
            infos.extend(info.get("related_klass_infos", []))

    def _columns(self, info: dict) -> tuple[int, int, list[str]]:
        columns = info["select_fields"]
        first, last = columns[0], columns[-1] + 1
        return (
            first,
            last,
            [column[0].target.attname for column in self.compiler.select[first:last]],
        )

    def _positions(self, field: Field, marker: Any) -> list[int]:
        """Where the marker's value is among the parameters: once, or at each place a queryset
        uses one value twice (a day that is both "started by" and "not ended before")."""
        prepared = field.get_db_prep_value(marker, self.connection)
        found = [at for at, param in enumerate(self.params) if param == prepared]
        if not found:  # pragma: no cover — a queryset that does not use a value it is given
            raise RuntimeError(f"{field} does not appear in {self.sql}")
        return found

    def rows(self, values: Sequence[Any]) -> list[tuple]:
        params = list(self.params)
        for at, field, value in zip(self.at, self.fields, values, strict=True):
            prepared = field.get_db_prep_value(value, self.connection)
            for index in at:
                params[index] = prepared
        with self.connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            found = cursor.fetchall()
        return [tuple(row) for row in self.compiler.results_iter(results=[found])]

    def made(self, model: type[ModelT], row: tuple) -> ModelT:
        if model in self.twice:  # which one is meant: objects() fills each in place
            raise TypeError(f"{model.__name__} is selected twice in this statement")
        first, last, names = self.models[model]
        return model.from_db(self.alias, names, row[first:last])

    def objects(self, values: Sequence[Any]) -> list:
        """The queryset's models, each with its select_related models in place."""
        if self.root is None or not self.plain:  # a statement written wrongly
            raise TypeError("objects() makes plain models: not values, annotations or prefetches")
        model = self.compiler.klass_info["model"]
        first, last, names = self.root
        made = []
        for row in self.rows(values):
            obj = model.from_db(self.alias, names, row[first:last])
            for related in self.related:
                related.populate(row, obj)
            made.append(obj)
        return made


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
        self.others = [(field, MARKERS[_kind(field)](n + 500)) for n, field in enumerate(fields)]
        self.local = threading.local()

    def compiled(self, alias: str) -> Compiled:
        compiled = getattr(self.local, alias, None)
        if compiled is None or compiled.connection is not connections[alias]:
            queryset = self.build(*(marker for _field, marker in self.markers))
            check = self.build(*(marker for _field, marker in self.others))
            compiled = Compiled(queryset, alias, self.markers, check)
            setattr(self.local, alias, compiled)
        return compiled

    def rows(self, alias: str, *values: Any) -> list[tuple]:
        return self.compiled(alias).rows(values)

    def first(self, model: type[ModelT], alias: str, *values: Any) -> ModelT | None:
        compiled = self.compiled(alias)
        found = compiled.rows(values)
        return compiled.made(model, found[0]) if found else None

    def objects(self, alias: str, *values: Any) -> list:
        return self.compiled(alias).objects(values)


def _kind(field: Field) -> type:
    target = field.target_field if field.is_relation else field  # type: ignore[attr-defined]
    if isinstance(target, Field) and target.get_internal_type() == "DateTimeField":
        return datetime.datetime
    if isinstance(target, Field) and target.get_internal_type() == "DateField":
        return datetime.date
    if target.get_internal_type() in ("CharField", "TextField", "SlugField"):
        return str
    return int
