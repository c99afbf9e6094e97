"""Accent-insensitive search on both databases.

Every searchable table has `search_text`: the record's text folded by `core.text.fold`
(accents stripped, casefolded), written on save. That column is the whole story on SQLite.

On PostgreSQL, migrations add what SQLite cannot have (`postgres_search_operations`): a
`french_unaccent` text search configuration (unaccent + French stemming), a stored generated
`search_vector` column over `search_text` with a GIN index, and a trigram index for typos.
The column is not a model field, so the model and its migrations stay the same on both databases.
"""

from django.db import connections, migrations
from django.db.models import BooleanField, FloatField, Q
from django.db.models.expressions import RawSQL

from core.text import fold, search_terms

CONFIG = "french_unaccent"


def _install_config(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        """
        DO $$ BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
            CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
            ALTER TEXT SEARCH CONFIGURATION french_unaccent
              ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
          END IF;
        END $$;
        """
    )


def _drop_config(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")


def install_search_config():
    return migrations.RunPython(_install_config, _drop_config, elidable=False)


def postgres_search_operations(table):
    """The stored search vector and its indexes for one table (nothing on SQLite)."""

    def forward(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            f'ALTER TABLE "{table}" ADD COLUMN search_vector tsvector GENERATED ALWAYS AS '
            f"(to_tsvector('{CONFIG}'::regconfig, search_text)) STORED"
        )
        # Serves the full-text match of `search()`.
        schema_editor.execute(
            f'CREATE INDEX "{table}_search_vector" ON "{table}" USING gin (search_vector)'
        )
        # Serves the typo-tolerant fallback (word similarity on the folded text).
        schema_editor.execute(
            f'CREATE INDEX "{table}_search_trgm" ON "{table}" USING gin (search_text gin_trgm_ops)'
        )

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f'DROP INDEX IF EXISTS "{table}_search_trgm"')
        schema_editor.execute(f'ALTER TABLE "{table}" DROP COLUMN IF EXISTS search_vector')

    return migrations.RunPython(forward, backward, elidable=False)


def is_postgres(queryset):
    return connections[queryset.db].vendor == "postgresql"


def search(queryset, query):
    """The records matching every word of the query, whatever their accents and case."""
    terms = search_terms(query)
    if not terms:
        return queryset.none()
    if not is_postgres(queryset):
        condition = Q()
        for term in terms:
            condition &= Q(search_text__contains=term)
        return queryset.filter(condition)
    table = queryset.model._meta.db_table
    tsquery = f"plainto_tsquery('{CONFIG}'::regconfig, %s)"
    # Full text (stemmed: "budgets" finds "budget", served by the GIN index). Only when no record
    # of the table matches that way, every word must be close to a word of the record instead
    # ("<%" is pg_trgm's word similarity): "malaunai" finds "Malaunay". The NOT EXISTS is
    # computed once per query, so the costly similarity is never computed when full text finds.
    typos = " AND ".join(f'%s <%% "{table}".search_text' for _ in terms)
    # Bandit: the table name comes from model metadata; the words are query parameters.
    matches = RawSQL(  # nosec B611
        f'("{table}".search_vector @@ {tsquery} OR (NOT EXISTS '  # nosec B608
        f'(SELECT 1 FROM "{table}" AS fulltext WHERE fulltext.search_vector @@ {tsquery}) AND ({typos})))',
        [" ".join(terms), " ".join(terms), *terms],
        output_field=BooleanField(),
    )
    return queryset.filter(matches)


def by_relevance(queryset, query):
    """Best matches first."""
    terms = search_terms(query)
    if not terms:
        return queryset
    folded = " ".join(terms)
    table = queryset.model._meta.db_table
    if is_postgres(queryset):
        # Bandit: table from model metadata, words as parameters.
        rank = RawSQL(  # nosec B611
            f"ts_rank(\"{table}\".search_vector, plainto_tsquery('{CONFIG}'::regconfig, %s))",
            [folded],
            output_field=FloatField(),
        )
        return queryset.annotate(rank=rank).order_by("-rank", "pk")
    # SQLite: the earlier the words appear in the text (the title comes first), the better.
    position = " + ".join(f'instr("{table}".search_text, %s)' for _ in terms)
    # Bandit: table from model metadata, words as parameters.
    rank = RawSQL(position, [fold(term) for term in terms], output_field=FloatField())  # nosec B611
    return queryset.annotate(rank=rank).order_by("rank", "pk")
