"""How `seed_demo --scale` gets its rows into the database fast (demo/bulk.py builds them).

PostgreSQL: COPY … FROM STDIN from a second thread, so the database stores one batch while Python
builds the next (on two cores, one each); for a run that at least doubles the bulk tables, their
secondary indexes are dropped before the load and built again after it (a sorted build beats
millions of one-row inserts, most of all into the trigram and name-key GIN indexes), and, when the
generator's role may, the per-row foreign-key triggers are skipped: the generator hands out every
key itself, the tables the keys name are locked against writers, and the suite checks the keys
set-based. SQLite: bulk_create in batches, nothing else.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection, models

from .registry import DemoError

# A run that adds fewer activities than this keeps the indexes: dropping them locks the tables
# against readers until the commit, for a gain that only shows on a large load.
REBUILD_INDEXES_FROM = 50_000
JSON = json.JSONEncoder(separators=(",", ":")).encode


class Table:
    """Rows for one model, as tuples in `fields` order, with any other nullable or defaulted
    column (one added after demo/bulk.py was written) filled in automatically."""

    def __init__(self, model: type[models.Model], fields: Iterable[str], now: str):
        self.model = model
        self.fields = list(fields)
        concrete = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [name for name in self.fields if name not in concrete]
        if unknown:
            raise DemoError(f"{model._meta.label} has no field(s) {unknown}; update demo/bulk.py")
        extra: list[tuple[str, Callable[[], object] | None, object]] = []
        for name, model_field in concrete.items():
            if name in self.fields:
                continue
            if model_field.has_default():
                default = model_field.default
                extra.append((name, default, None) if callable(default) else (name, None, default))
            elif model_field.null:
                extra.append((name, None, None))
            elif model_field.blank and isinstance(model_field, models.CharField | models.TextField):
                extra.append((name, None, ""))
            elif getattr(model_field, "auto_now", False):
                # e.g. updated_at (the API's updated_since): the row is as new as the run.
                extra.append((name, None, now))
            else:
                raise DemoError(
                    f"{model._meta.label}.{name} is required and unknown to demo/bulk.py"
                )
        # Constant extras are appended as one tuple; only a callable default runs per row.
        self.constant = tuple(value for _name, make, value in extra)
        self.callables = [(i, make) for i, (_name, make, _value) in enumerate(extra) if make]
        self.json = [
            i for i, name in enumerate(self.fields) if isinstance(concrete[name], models.JSONField)
        ]
        self.columns = [concrete[name].column for name in self.fields] + [
            concrete[name].column for name, _make, _value in extra
        ]
        self.attnames = self.fields + [name for name, _make, _value in extra]
        self.db_table = model._meta.db_table
        quote = connection.ops.quote_name
        self.copy_statement = (
            f"COPY {quote(self.db_table)} "
            f"({', '.join(quote(column) for column in self.columns)}) FROM STDIN"
        )
        self.rows: list[tuple] = []
        self.written = 0
        self.seconds = 0.0

    def full(self, row: tuple) -> tuple:
        if not self.callables:
            return row + self.constant
        extra = list(self.constant)
        for i, make in self.callables:
            extra[i] = make()
        return row + tuple(extra)


class Writer:
    """Buffers rows per table and writes a batch when one is full; `close` writes the rest."""

    def __init__(self, batch_size: int):
        self.batch_size = batch_size

    def add(self, table: Table, row: tuple) -> None:
        rows = table.rows
        rows.append(row)
        if len(rows) >= self.batch_size:
            self.flush(table)

    def flush(self, table: Table) -> None:
        if table.rows:
            rows, table.rows = table.rows, []
            started = time.perf_counter()
            self.write(table, [table.full(row) for row in rows])
            table.seconds += time.perf_counter() - started
            table.written += len(rows)

    def write(self, table: Table, rows: list[tuple]) -> None:
        raise NotImplementedError

    def close(self, tables: Iterable[Table]) -> None:
        for table in tables:
            self.flush(table)

    def abort(self) -> None:
        """Stop after an error elsewhere; the transaction rolls back."""


class BulkCreateWriter(Writer):
    """Any other database (SQLite): bulk_create in batches."""

    def write(self, table: Table, rows: list[tuple]) -> None:
        model, attnames = table.model, table.attnames
        model._default_manager.bulk_create(
            [model(**dict(zip(attnames, row, strict=True))) for row in rows],
            batch_size=min(self.batch_size, 2000),
        )


class CopyWriter(Writer):
    """PostgreSQL: COPY … FROM STDIN of each full batch, from a second thread on the same
    connection (and transaction), while the caller builds the next batches. The caller must not
    use the connection between the first `add` and `close`."""

    def __init__(self, batch_size: int):
        super().__init__(batch_size)
        self.pending: queue.Queue = queue.Queue(maxsize=4)
        self.error: BaseException | None = None
        self.stopping = False
        self.waited = 0.0
        self.database = connection.connection
        self.thread = threading.Thread(target=self._copy_batches, name="bulk-copy", daemon=True)
        self.thread.start()

    def flush(self, table: Table) -> None:
        if table.rows:
            rows, table.rows = table.rows, []
            table.written += len(rows)
            self._hand_over((table, rows))

    def _hand_over(self, item) -> None:
        started = time.perf_counter()
        while True:
            if self.error is not None:
                raise self.error
            try:
                self.pending.put(item, timeout=0.2)
                break
            except queue.Full:
                continue
        self.waited += time.perf_counter() - started

    def _copy_batches(self) -> None:
        while True:
            item = self.pending.get()
            if item is None:
                return
            if self.error is not None or self.stopping:
                continue  # drain, so that the caller's put never blocks for ever
            table, rows = item
            started = time.perf_counter()
            try:
                self._copy(table, rows)
            except BaseException as error:  # handed to the caller's thread
                self.error = error
            table.seconds += time.perf_counter() - started

    def _copy(self, table: Table, rows: list[tuple]) -> None:
        json_columns, full = table.json, table.full
        with self.database.cursor() as cursor, cursor.copy(table.copy_statement) as copy:
            write_row = copy.write_row
            for row in rows:
                if json_columns:
                    row = list(row)
                    for i in json_columns:
                        row[i] = JSON(row[i])
                    row = tuple(row)
                write_row(full(row))

    def close(self, tables: Iterable[Table]) -> None:
        for table in tables:
            self.flush(table)
        started = time.perf_counter()
        self.pending.put(None)
        self.thread.join()
        self.waited += time.perf_counter() - started
        if self.error is not None:
            raise self.error

    def abort(self) -> None:
        self.stopping = True
        while True:
            try:
                self.pending.put(None, timeout=0.2)
                break
            except queue.Full:
                continue
        self.thread.join()


@dataclass
class Indexes:
    """Secondary indexes dropped for the load, to build again after it (PostgreSQL)."""

    definitions: list[tuple[str, str]] = field(default_factory=list)
    seconds: list[tuple[float, str]] = field(default_factory=list)

    @classmethod
    def drop(cls, db_tables: list[str], *, unique: bool = False) -> Indexes:
        """Drop the tables' indexes that enforce nothing (not primary, not unique, backing no
        constraint): uniqueness is still checked row by row during the load. With `unique`, the
        UNIQUE constraints no foreign key leans on go too, for a load whose rows are unique by
        construction (grouped by the constraint's columns): adding a constraint back checks
        every row at once, and fails the load as a clash during it would have."""
        indexes = cls()
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid),
                       'DROP INDEX ' || i.indexrelid::regclass::text
                FROM pg_index i
                WHERE i.indrelid = ANY(%(tables)s::regclass[]) AND NOT i.indisprimary
                  AND NOT i.indisunique AND i.indisvalid
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
                UNION ALL
                SELECT quote_ident(c.conname),
                       format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', c.conrelid::regclass,
                              c.conname, pg_get_constraintdef(c.oid)),
                       format('ALTER TABLE %%s DROP CONSTRAINT %%I', c.conrelid::regclass,
                              c.conname)
                FROM pg_constraint c
                WHERE %(unique)s AND c.conrelid = ANY(%(tables)s::regclass[]) AND c.contype = 'u'
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint f
                                  WHERE f.contype = 'f' AND f.conindid = c.conindid)
                ORDER BY 1
                """,
                {"tables": db_tables, "unique": unique},
            )
            rows = cursor.fetchall()
            for _name, _definition, drop in rows:
                cursor.execute(drop)
        indexes.definitions = [(name, definition) for name, definition, _drop in rows]
        return indexes

    def build(self) -> None:
        with connection.cursor() as cursor:
            # An index cannot be built over a table with foreign-key checks still queued (rows
            # loaded with the triggers on): run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            # This transaction's sorts only; the server's settings stay as they are.
            cursor.execute("SET LOCAL maintenance_work_mem TO '1GB'")
            for name, definition in self.definitions:
                started = time.perf_counter()
                cursor.execute(definition)
                self.seconds.append((time.perf_counter() - started, name))


def skip_foreign_key_triggers(
    written: list[type[models.Model]], *, recounted: tuple[str, ...] = ()
) -> bool:
    """Let this transaction skip the per-row foreign-key checks (session_replication_role),
    when the role may and no other trigger sits on the tables (a replica role would skip it
    too). The tables the rows point to are locked against writers meanwhile: no row they name
    can go before the commit, as the checks' row locks would have ensured. The caller turns the
    checks back on with `restore_triggers` before writing anything else. Triggers named in
    `recounted` may be skipped too: the caller recounts what they keep after the load."""
    own = [model._meta.db_table for model in written]
    parents = sorted(
        {
            model_field.related_model._meta.db_table
            for model in written
            for model_field in model._meta.concrete_fields
            if model_field.is_relation
        }
        - set(own)
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            return False
        cursor.execute(
            "SELECT COUNT(*) FROM pg_trigger WHERE tgrelid = ANY(%s::regclass[]) "
            "AND NOT tgisinternal AND NOT tgname = ANY(%s::text[])",
            [own, list(recounted)],
        )
        if cursor.fetchone()[0]:
            return False
        quote = connection.ops.quote_name
        cursor.execute(f"LOCK TABLE {', '.join(map(quote, parents))} IN SHARE MODE")
        cursor.execute("SET LOCAL session_replication_role TO replica")
    return True


def restore_triggers() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role TO origin")


def analyse(db_tables: list[str]) -> None:
    """Fresh statistics, so that the next queries plan for the rows just written."""
    with connection.cursor() as cursor:
        for db_table in db_tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(db_table)}")
