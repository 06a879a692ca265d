"""Indexes for person search (silahap.registry.search), and names normalised anew.

PostgreSQL: a GIN index on the typo keys of each word of the normalised name (the function
silahap_name_keys), which name search looks up first; pg_trgm and a GIN trigram index on the
normalised name, its last resort; a varchar_pattern_ops index on document numbers, so that
"starts with" uses an index whatever the database's collation. SQLite has none of them: its
index is an FTS5 table of the names' words, kept in step by triggers
(silahap.registry.sqlite_words).

normalize_name now keeps letters Unicode does not decompose (Đ, ø, ß, ł...) and joins words
across apostrophes (O'Brien, as in an MRZ); stored names are brought in line.
"""

from django.db import migrations

from silahap.registry.normalize import normalize_name

# The keys of each word of a normalised name: the word, and from 3 letters the word less any
# one letter. Mirrors silahap.registry.search.word_keys; two words within one typing error of
# each other share a key, so the GIN index finds them.
NAME_KEYS_FUNCTION = """
CREATE OR REPLACE FUNCTION silahap_name_keys(name text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT array_to_tsvector(coalesce(array_agg(DISTINCT key), '{}'))
  FROM (
    SELECT word AS key FROM unnest(string_to_array(name, ' ')) AS word
    UNION ALL
    SELECT overlay(word PLACING '' FROM position FOR 1)
    FROM unnest(string_to_array(name, ' ')) AS word,
         generate_series(1, length(word)) AS position
    WHERE length(word) >= 3
  ) AS keys
  WHERE key <> ''
$$
"""

POSTGRESQL_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    NAME_KEYS_FUNCTION,
    "CREATE INDEX IF NOT EXISTS person_name_keys "
    "ON registry_foreignnational USING gin (silahap_name_keys(normalized_name))",
    "CREATE INDEX IF NOT EXISTS person_normalized_name_trgm "
    "ON registry_foreignnational USING gin (normalized_name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS travel_document_number_pattern "
    "ON registry_traveldocument (number varchar_pattern_ops)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS person_name_keys",
    "DROP FUNCTION IF EXISTS silahap_name_keys(text)",
    "DROP INDEX IF EXISTS travel_document_number_pattern",
    "DROP INDEX IF EXISTS person_normalized_name_trgm",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


def install_sqlite_word_index(apps, schema_editor):
    from silahap.registry import sqlite_words

    sqlite_words.install(schema_editor.connection)


def uninstall_sqlite_word_index(apps, schema_editor):
    from silahap.registry import sqlite_words

    sqlite_words.uninstall(schema_editor.connection)


def renormalize(apps, schema_editor):
    for model_name, field in (("ForeignNational", "full_name"), ("Place", "name")):
        model = apps.get_model("registry", model_name)
        changed = []
        rows = model.objects.values_list("pk", field, "normalized_name").order_by("pk")
        for pk, name, stored in rows.iterator(chunk_size=5000):
            normalized = normalize_name(name)
            if normalized != stored:
                changed.append(model(pk=pk, normalized_name=normalized))
        model.objects.bulk_update(changed, ["normalized_name"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0004_point_needs_both_coordinates"),
    ]

    operations = [
        migrations.RunPython(_run(POSTGRESQL_FORWARD), _run(POSTGRESQL_BACKWARD)),
        migrations.RunPython(renormalize, migrations.RunPython.noop),
        migrations.RunPython(install_sqlite_word_index, uninstall_sqlite_word_index),
    ]
