"""Which models' queries the ORM compiles from here on, for tests of statements compiled once
per connection (silahap/statements.py)."""

from __future__ import annotations

from django.db.models.sql.compiler import SQLCompiler


def compiled_models(monkeypatch) -> list[type]:
    """The list the model of every query compiled after this call is appended to."""
    compiles: list[type] = []
    original = SQLCompiler.as_sql

    def counted(self, *args, **kwargs):
        compiles.append(self.query.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counted)
    return compiles
