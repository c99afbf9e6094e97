"""Search that finds what people type, the same way on SQLite and on PostgreSQL.

Design:
- Text and query are normalised once, in Python (`core.text`: folding, acronyms, digit groups,
  apostrophes, hyphenated and glued forms, French stemming), so both databases see the very same
  tokens.
- Every searchable record has one `SearchEntry` row (title, summary, body, notes: its
  normalised text by weight), written by the signals below on every save, delete and relation
  change, and by `manage.py rebuild_search_index`.
- SQLite indexes the entries in an FTS5 table (`unicode61 remove_diacritics 2`, external
  content, triggers), ranked by bm25 with column weights. PostgreSQL keeps a stored tsvector
  (`simple` configuration over the already-stemmed text, `setweight` A/B/C/D) with a GIN index,
  ranked by ts_rank. Both are joined through the `SearchIndex` model and `SearchRelation`.
- A query is compiled once (`compile_query`): every word must match (whole words, with their
  stems), a hyphenated word matches as a phrase or glued, editors' synonyms are alternatives,
  an unfinished last word is completed from the index's vocabulary, and a word that matches
  nothing is replaced by the vocabulary's words at edit distance 1 (4–7 letters) or 2 (more),
  or by the two words it glues together; this is also what « Vouliez-vous dire … ? » shows.
"""

import re
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

from django.apps import apps
from django.contrib.contenttypes.fields import GenericRelation
from django.db import connections, migrations, models, transaction
from django.db.models import BooleanField, FloatField, Lookup
from django.db.models.expressions import RawSQL
from django.db.models.lookups import Exact
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.db.models.sql.where import AND, WhereNode
from rapidfuzz.distance import Levenshtein

from core.text import chunks, index_text, stem

# Column weights, title > summary > body > notes (bm25 on SQLite, ts_rank on PostgreSQL).
WEIGHTS = {"title": 10.0, "summary": 4.0, "body": 1.5, "notes": 0.5}
FIELDS = tuple(WEIGHTS)
# bm25's weights for the FTS5 columns: the kind (no weight), then the fields.
BM25_WEIGHTS = ", ".join(["0.0", *(str(WEIGHTS[name]) for name in FIELDS)])
# D, C, B, A. Also written into the database by migration core 0007 (`POSTGRES_TITLE_WORDS`:
# the ranked title words' trigger and scores): changing them needs a migration that creates
# those functions again and scores every title word again, or one-word searches keep the old
# order (`rebuild_search_index` writes through the old trigger; a new test database never shows it).
PG_WEIGHTS = "{0.05, 0.15, 0.4, 1.0}"
MAX_GROUPS = 10
# The two tiers of the ranking: the records whose title holds the words come first, then the
# others (see `best_matches`).
TITLE, REST = "title", "rest"
# A token that PostgreSQL's `simple` parser keeps as one lexeme, itself (`lone_word`).
_LONE_WORD = re.compile(r"[a-z]{1,100}|[0-9]{1,100}")
MAX_COMPLETIONS = 30
MAX_CORRECTIONS = 3


# --- The relation every searchable model declares -------------------------------------------


class DocumentField(models.TextField):
    """The whole indexed document: the FTS5 table's hidden column, or the PostgreSQL vector."""


@DocumentField.register_lookup
class Match(Lookup):
    lookup_name = "match"
    prepare_rhs = False

    def process_rhs(self, compiler, connection):
        query = self.rhs
        if connection.vendor == "postgresql":
            return "%s", [query.tsquery(boost=False)]
        # The searched model's kind inside the MATCH: SQLite then reads only that kind's matches
        # from the index instead of joining every matching entry to learn its kind.
        return "%s", [query.fts5(kind(compiler.query.model))]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} @@ to_tsquery('simple', {rhs})", [*lhs_params, *rhs_params]
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class KindIs(Exact):
    """`kind = %s`, that SQLite must not answer from the (kind, object_id) index.

    With the index, SQLite's planner walks every entry of the kind and probes the full-text
    index once per entry (seconds at 10,000 cases); the unary + leaves it the fast plan: the
    full-text MATCH first, then each entry and record by primary key."""

    def as_sqlite(self, compiler, connection):
        sql, params = self.as_sql(compiler, connection)
        return f"+{sql}", params


class SearchRelation(GenericRelation):
    """`search_index = SearchRelation()` on a model makes it searchable.

    A generic relation keyed on the model's label instead of a content type (no content type
    query, ever), which never cascades: the index rows are removed by the signals below, through
    `SearchEntry`, so that the SQLite triggers see every change."""

    def __init__(self, **kwargs):
        kwargs.setdefault("related_query_name", "+")
        super().__init__("core.SearchEntry", content_type_field="kind", **kwargs)

    def _check_generic_foreign_key_existence(self):
        return []

    def get_extra_restriction(self, alias, remote_alias):
        kind_field = self.remote_field.model._meta.get_field("kind")
        lookup = KindIs(kind_field.get_col(remote_alias), kind(self.model))
        return WhereNode([lookup], connector=AND)

    def bulk_related_objects(self, objs, using=None):
        return []

    def get_content_type(self):
        raise NotImplementedError("SearchRelation is keyed on the model label.")


def kind(model):
    """The entries' kind of a model's records (a proxy's records are its concrete model's)."""
    return model._meta.concrete_model._meta.label_lower


_KIND = re.compile(r"[a-z0-9_]+\.[a-z0-9_]+")


def _kind_literal(model):
    """A model's kind as an SQL literal (an app label and a model name: nothing to escape)."""
    label = kind(model)
    if not _KIND.fullmatch(label):
        raise ValueError(f"Unexpected kind: {label!r}")
    return f"'{label}'"


def searchable_models():
    return [
        model
        for model in apps.get_models()
        if any(isinstance(f, SearchRelation) for f in model._meta.private_fields)
    ]


def relation_name(model):
    for private in model._meta.private_fields:
        if isinstance(private, SearchRelation):
            return private.name
    raise TypeError(f"{model._meta.label} is not searchable (no SearchRelation).")


# --- Migrations -------------------------------------------------------------------------------

CONFIG = "french_unaccent"  # The first version's PostgreSQL configuration (old migrations).

SQLITE_INDEX = [
    # Joined on its rowid (the entry's id): the ranking never reads the text back. The entry's
    # kind is indexed too (column weight 0), so that a search of one kind is answered, counted
    # and ranked inside the full-text index; with « . » as a token character, « cases.casestudy »
    # is one token (a phrase costs bm25 a position check per row). The indexed text holds no
    # dots: `core.text` joins or splits them all.
    """CREATE VIRTUAL TABLE core_searchindex USING fts5(
        kind, title, summary, body, notes, content='core_searchentry', content_rowid='id',
        tokenize="unicode61 remove_diacritics 2 tokenchars '.'")""",
    """CREATE TRIGGER core_searchentry_ai AFTER INSERT ON core_searchentry BEGIN
        INSERT INTO core_searchindex(rowid, kind, title, summary, body, notes)
        VALUES (new.id, new.kind, new.title, new.summary, new.body, new.notes);
    END""",
    """CREATE TRIGGER core_searchentry_ad AFTER DELETE ON core_searchentry BEGIN
        INSERT INTO core_searchindex(core_searchindex, rowid, kind, title, summary, body, notes)
        VALUES ('delete', old.id, old.kind, old.title, old.summary, old.body, old.notes);
    END""",
    """CREATE TRIGGER core_searchentry_au AFTER UPDATE ON core_searchentry BEGIN
        INSERT INTO core_searchindex(core_searchindex, rowid, kind, title, summary, body, notes)
        VALUES ('delete', old.id, old.kind, old.title, old.summary, old.body, old.notes);
        INSERT INTO core_searchindex(rowid, kind, title, summary, body, notes)
        VALUES (new.id, new.kind, new.title, new.summary, new.body, new.notes);
    END""",
    # The vocabulary's trigrams, for typo candidates.
    """CREATE VIRTUAL TABLE core_searchterm_trigram USING fts5(
        word, content='core_searchterm', content_rowid='id', tokenize='trigram')""",
    """CREATE TRIGGER core_searchterm_ai AFTER INSERT ON core_searchterm BEGIN
        INSERT INTO core_searchterm_trigram(rowid, word) VALUES (new.id, new.word);
    END""",
    """CREATE TRIGGER core_searchterm_ad AFTER DELETE ON core_searchterm BEGIN
        INSERT INTO core_searchterm_trigram(core_searchterm_trigram, rowid, word)
        VALUES ('delete', old.id, old.word);
    END""",
]
SQLITE_INDEX_DROP = [
    "DROP TRIGGER IF EXISTS core_searchterm_ad",
    "DROP TRIGGER IF EXISTS core_searchterm_ai",
    "DROP TABLE IF EXISTS core_searchterm_trigram",
    "DROP TRIGGER IF EXISTS core_searchentry_au",
    "DROP TRIGGER IF EXISTS core_searchentry_ad",
    "DROP TRIGGER IF EXISTS core_searchentry_ai",
    "DROP TABLE IF EXISTS core_searchindex",
]
POSTGRES_INDEX = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # The text is already normalised and stemmed in Python: `simple` only splits it.
    """ALTER TABLE core_searchentry ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title), 'A')
        || setweight(to_tsvector('simple'::regconfig, summary), 'B')
        || setweight(to_tsvector('simple'::regconfig, body), 'C')
        || setweight(to_tsvector('simple'::regconfig, notes), 'D')) STORED""",
    # Serves every search (the @@ of `Match`).
    "CREATE INDEX core_searchentry_vector ON core_searchentry USING gin (vector)",
    """CREATE VIEW core_searchindex AS
        SELECT id AS rowid, vector AS core_searchindex FROM core_searchentry""",
    # Serves the typo candidates (`word % 'pesac'`).
    "CREATE INDEX core_searchterm_trgm ON core_searchterm USING gin (word gin_trgm_ops)",
]
POSTGRES_INDEX_DROP = [
    "DROP INDEX IF EXISTS core_searchterm_trgm",
    "DROP VIEW IF EXISTS core_searchindex",
    "DROP INDEX IF EXISTS core_searchentry_vector",
    "ALTER TABLE core_searchentry DROP COLUMN IF EXISTS vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def install_search_index():
    """The full-text index over `SearchEntry` and the vocabulary's trigrams, per database."""
    return migrations.RunPython(
        _run({"sqlite": SQLITE_INDEX, "postgresql": POSTGRES_INDEX}),
        _run({"sqlite": SQLITE_INDEX_DROP, "postgresql": POSTGRES_INDEX_DROP}),
        elidable=False,
    )


def index_kinds():
    """SQLite: the full-text index rebuilt with the entries' kind (`SQLITE_INDEX`), from whatever
    shape it had; PostgreSQL already reads the kind from its column."""
    entry_index = SQLITE_INDEX[:4]
    drop = [s for s in SQLITE_INDEX_DROP if "searchterm" not in s]
    rebuild = ["INSERT INTO core_searchindex(core_searchindex) VALUES ('rebuild')"]
    return migrations.RunPython(
        _run({"sqlite": [*drop, *entry_index, *rebuild]}), migrations.RunPython.noop, elidable=False
    )


POSTGRES_TIERS = [
    # The title alone, for the first tier of the ranking (`best_matches`).
    """ALTER TABLE core_searchentry ADD COLUMN title_vector tsvector GENERATED ALWAYS AS (
        to_tsvector('simple'::regconfig, title)) STORED""",
    # The kind inside the GIN indexes (btree_gin): a kind's matches are found in the index
    # instead of intersecting every kind's matches with the kind's rows (1 ms for a kind of 200
    # records that holds none of the 8,000 matches of a common word).
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    "CREATE INDEX core_searchentry_kind_vector ON core_searchentry USING gin (kind, vector)",
    "CREATE INDEX core_searchentry_kind_title ON core_searchentry USING gin (kind, title_vector)",
    "DROP INDEX IF EXISTS core_searchentry_vector",
    # The joined ranking (`by_relevance`) reads the title's vector beside the whole one.
    """CREATE OR REPLACE VIEW core_searchindex AS
        SELECT id AS rowid, vector AS core_searchindex, title_vector FROM core_searchentry""",
    "ANALYZE core_searchentry",
]
POSTGRES_TIERS_DROP = [
    "DROP VIEW IF EXISTS core_searchindex",
    """CREATE VIEW core_searchindex AS
        SELECT id AS rowid, vector AS core_searchindex FROM core_searchentry""",
    "CREATE INDEX IF NOT EXISTS core_searchentry_vector ON core_searchentry USING gin (vector)",
    "DROP INDEX IF EXISTS core_searchentry_kind_title",
    "DROP INDEX IF EXISTS core_searchentry_kind_vector",
    "ALTER TABLE core_searchentry DROP COLUMN IF EXISTS title_vector",
]


def index_title_tier():
    """PostgreSQL: the title's own vector and the (kind, vector) indexes; SQLite reads the
    title column of its full-text index already."""
    return migrations.RunPython(
        _run({"postgresql": POSTGRES_TIERS}),
        _run({"postgresql": POSTGRES_TIERS_DROP}),
        elidable=False,
    )


# PostgreSQL: each word of each entry's title, with the rank its entry has when the query is
# that word alone (`CompiledQuery.lone_word`). Ranking the title tier of a common word read and
# ranked every entry whose title holds it (1,800 of 10,000 cases for « ecole »: 5 ms); this
# index gives its best in rank order (0.2 ms). Kept by the database itself, statement by
# statement, whatever writes the entries: no second place for Python to keep in step.
# Bandit: the weights are a module constant.
_TITLE_WORDS_ADD = (
    "INSERT INTO core_searchtitleword (entry_id, kind, object_id, lexeme, score) "  # nosec B608
    f"SELECT added.id, added.kind, added.object_id, word.lexeme, ts_rank('{PG_WEIGHTS}'::float4[], "
    "added.vector, plainto_tsquery('simple', word.lexeme), 1) "
    "FROM added, unnest(tsvector_to_array(added.title_vector)) AS word(lexeme);"
)
_TITLE_WORDS_REMOVE = (
    "DELETE FROM core_searchtitleword word USING removed WHERE word.entry_id = removed.id; "
)


def _title_words_trigger(name, event, referencing, body):
    return [
        f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN {body} RETURN NULL; END $$""",
        f"""CREATE TRIGGER {name} AFTER {event} ON core_searchentry
        {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {name}()""",
    ]


POSTGRES_TITLE_WORDS = [
    # A word once per entry (a vector's lexemes are distinct): a restore that would write the
    # rows twice fails instead of showing records twice.
    """CREATE TABLE core_searchtitleword (
        entry_id bigint NOT NULL, kind varchar(60) NOT NULL, object_id integer NOT NULL,
        lexeme text NOT NULL, score real NOT NULL, PRIMARY KEY (entry_id, lexeme))""",
    """CREATE INDEX core_searchtitleword_rank ON core_searchtitleword
        (kind, lexeme, score DESC) INCLUDE (object_id, entry_id)""",
    *_title_words_trigger(
        "core_searchtitleword_add", "INSERT", "REFERENCING NEW TABLE AS added", _TITLE_WORDS_ADD
    ),
    *_title_words_trigger(
        "core_searchtitleword_remove",
        "DELETE",
        "REFERENCING OLD TABLE AS removed",
        _TITLE_WORDS_REMOVE,
    ),
    *_title_words_trigger(
        "core_searchtitleword_replace",
        "UPDATE",
        "REFERENCING OLD TABLE AS removed NEW TABLE AS added",
        _TITLE_WORDS_REMOVE + _TITLE_WORDS_ADD,
    ),
    # Django's test flush empties the entries with TRUNCATE, which fires no row's trigger.
    *_title_words_trigger(
        "core_searchtitleword_clear", "TRUNCATE", "", "TRUNCATE core_searchtitleword;"
    ),
    # The entries already written.
    _TITLE_WORDS_ADD.replace("FROM added,", "FROM core_searchentry added,"),
    "ANALYZE core_searchtitleword",
]
POSTGRES_TITLE_WORDS_DROP = [
    *(
        f"DROP TRIGGER IF EXISTS core_searchtitleword_{name} ON core_searchentry"
        for name in ("add", "remove", "replace", "clear")
    ),
    *(
        f"DROP FUNCTION IF EXISTS core_searchtitleword_{name}()"
        for name in ("add", "remove", "replace", "clear")
    ),
    "DROP TABLE IF EXISTS core_searchtitleword",
]


def index_title_words():
    """PostgreSQL: the words of the entries' titles, ranked (`POSTGRES_TITLE_WORDS`)."""
    return migrations.RunPython(
        _run({"postgresql": POSTGRES_TITLE_WORDS}),
        _run({"postgresql": POSTGRES_TITLE_WORDS_DROP}),
        elidable=False,
    )


# PostgreSQL: each kind of a few hundred records has its own full-text index. In the (kind,
# vector) index, a common word's matches of every kind were read to find a small kind's few:
# 0.12 ms a kind, 0.2 ms for a kind without any (« ecole »: 8,000 matches, 7,950 of them cases),
# seven times a search; 0.02 ms with its own. The statements name the kind (`_kind_literal`).
SMALL_KINDS = [
    "cases.territory",
    "practices.finding",
    "practices.orientation",
    "practices.piste",
    "practices.practice",
    "practices.source",
    "trainings.training",
]


def _kind_index(name):
    return "core_searchentry_vector_" + name.replace(".", "_")


POSTGRES_KIND_INDEXES = [
    *(
        f"CREATE INDEX {_kind_index(name)} ON core_searchentry USING gin (vector) "
        f"WHERE kind = '{name}'"
        for name in SMALL_KINDS
    ),
    "ANALYZE core_searchentry",
]
POSTGRES_KIND_INDEXES_DROP = [f"DROP INDEX IF EXISTS {_kind_index(name)}" for name in SMALL_KINDS]


def index_small_kinds():
    """PostgreSQL: the small kinds' own full-text indexes (`POSTGRES_KIND_INDEXES`)."""
    return migrations.RunPython(
        _run({"postgresql": POSTGRES_KIND_INDEXES}),
        _run({"postgresql": POSTGRES_KIND_INDEXES_DROP}),
        elidable=False,
    )


def drop_postgres_search_vector(table):
    """Removes the first version's per-table vector and indexes (PostgreSQL only)."""
    statements = [
        f'DROP INDEX IF EXISTS "{table}_search_trgm"',
        f'DROP INDEX IF EXISTS "{table}_search_vector"',
        f'ALTER TABLE "{table}" DROP COLUMN IF EXISTS search_vector',
    ]
    return migrations.RunPython(_run({"postgresql": statements}), migrations.RunPython.noop)


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
    """Used by the first migrations (the per-table search of the first version)."""
    return migrations.RunPython(_install_config, _drop_config, elidable=False)


def postgres_search_operations(table):
    """Used by the first migrations; `drop_postgres_search_vector` undoes it."""

    def forward(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            f'ALTER TABLE "{table}" ADD COLUMN search_vector tsvector GENERATED ALWAYS AS '
            f"(to_tsvector('{CONFIG}'::regconfig, search_text)) STORED"
        )
        schema_editor.execute(
            f'CREATE INDEX "{table}_search_vector" ON "{table}" USING gin (search_vector)'
        )
        schema_editor.execute(
            f'CREATE INDEX "{table}_search_trgm" ON "{table}" USING gin (search_text gin_trgm_ops)'
        )

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f'DROP INDEX IF EXISTS "{table}_search_trgm"')
        schema_editor.execute(f'ALTER TABLE "{table}" DROP COLUMN IF EXISTS search_vector')

    return migrations.RunPython(forward, backward, elidable=False)


# --- Indexing ---------------------------------------------------------------------------------


def _text(value):
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return " . ".join(_text(v) for v in value if v)
    return str(value)


def document_of(record):
    """A record's normalised text by weight, from its `search_document()`."""
    document = record.search_document()
    return {name: index_text(_text(document.get(name))) for name in FIELDS}, document


def _vocabulary(document):
    words = {}
    for value in document.values():
        for chunk in chunks(_text(value)):
            for word in (*chunk.words, chunk.glued):
                if len(word) <= 100:
                    words[word] = stem(word)
    return words


def _follow(model):
    return tuple(getattr(model, "search_follow", ()))


def _for_indexing(model, queryset):
    related = [model._meta.get_field(name) for name in _follow(model)]
    single = [f.name for f in related if f.many_to_one or f.one_to_one]
    multiple = [f.name for f in related if f.many_to_many or f.one_to_many]
    return queryset.select_related(*single).prefetch_related(*multiple)


def index_records(model, records, using="default"):
    """Write (or rewrite) the index entries of these records."""
    SearchEntry = apps.get_model("core", "SearchEntry")
    entries, words = [], {}
    pks = []
    for record in records:
        normalised, document = document_of(record)
        entries.append(SearchEntry(kind=kind(model), object_id=record.pk, **normalised))
        words.update(_vocabulary(document))
        pks.append(record.pk)
    with transaction.atomic(using=using):
        SearchEntry.objects.using(using).filter(kind=kind(model), object_id__in=pks).delete()
        SearchEntry.objects.using(using).bulk_create(entries, batch_size=500)
        add_words(words, using)


def add_words(words, using="default"):
    SearchTerm = apps.get_model("core", "SearchTerm")
    SearchTerm.objects.using(using).bulk_create(
        [SearchTerm(word=word, stem=word_stem) for word, word_stem in words.items()],
        ignore_conflicts=True,
        batch_size=500,
    )


def reindex(model, pks, using="default"):
    pks = list(pks)
    if pks:
        manager = model._default_manager.using(using)
        with transaction.atomic(using=using):
            # Another transaction may be re-indexing these records (an editor saves a case
            # while another renames its territory, which re-indexes the case too). The records'
            # rows are locked first, in order, and read once that one has ended: its changes
            # are then seen, and so is its entry, replaced below instead of skipped (the insert
            # would break the entries' unique (kind, object_id)). SQLite: one writer at a time.
            list(
                manager.select_for_update(of=("self",))
                .filter(pk__in=pks)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            queryset = manager.filter(pk__in=pks)
            index_records(model, _for_indexing(model, queryset), using)


def unindex(model, pks, using="default"):
    SearchEntry = apps.get_model("core", "SearchEntry")
    SearchEntry.objects.using(using).filter(kind=kind(model), object_id__in=list(pks)).delete()


def rebuild(using="default", stdout=None):
    """The whole index afresh: every searchable record, and the vocabulary."""
    SearchEntry = apps.get_model("core", "SearchEntry")
    SearchTerm = apps.get_model("core", "SearchTerm")
    counts = {}
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor == "sqlite":
            # Whatever state the full-text tables are in (a copied database, an interrupted
            # write), make them agree with their content first: the delete triggers below
            # would corrupt an index that does not hold what they remove.
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO core_searchindex(core_searchindex) VALUES ('rebuild')")
                cursor.execute(
                    "INSERT INTO core_searchterm_trigram(core_searchterm_trigram) VALUES ('rebuild')"
                )
        SearchEntry.objects.using(using).all().delete()
        SearchTerm.objects.using(using).all().delete()
        for model in searchable_models():
            queryset = _for_indexing(model, model._default_manager.using(using).order_by("pk"))
            batch = []
            for record in queryset.iterator(chunk_size=1000):
                batch.append(record)
                if len(batch) == 1000:
                    index_records(model, batch, using)
                    batch = []
            index_records(model, batch, using)
            counts[model._meta.label] = len(queryset)
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("INSERT INTO core_searchindex(core_searchindex) VALUES ('optimize')")
    if connections[using].vendor == "postgresql":
        with connections[using].cursor() as cursor:
            cursor.execute("ANALYZE core_searchentry")
            cursor.execute("ANALYZE core_searchtitleword")
            cursor.execute("ANALYZE core_searchterm")
    return counts


# Signals: the index follows every save, delete and relation change.


def _on_save(sender, instance, raw=False, using="default", **kwargs):
    if raw:
        # Fixtures loaded as-is (loaddata): `seed` saves through save(), the rebuild covers the rest.
        return
    reindex(sender, [instance.pk], using)
    _reindex_dependents(sender, instance, using)


def _on_pre_delete(sender, instance, using="default", **kwargs):
    instance._search_dependents = _dependents(sender, instance, using)


def _on_delete(sender, instance, using="default", **kwargs):
    unindex(sender, [instance.pk], using)
    for model, pks in getattr(instance, "_search_dependents", []):
        reindex(model, pks, using)


def _dependents(sender, instance, using):
    """The records whose document shows this one (a case shows its territory's name)."""
    found = []
    for model in searchable_models():
        for name in _follow(model):
            related = model._meta.get_field(name).related_model
            if related is sender:
                pks = list(
                    model._default_manager.using(using)
                    .filter(**{name: instance.pk})
                    .values_list("pk", flat=True)
                )
                if pks:
                    found.append((model, pks))
    return found


def _reindex_dependents(sender, instance, using):
    for model, pks in _dependents(sender, instance, using):
        reindex(model, pks, using)


def _m2m_handler(model, field_name):
    def handler(sender, instance, action, reverse, pk_set, using="default", **kwargs):
        if action == "pre_clear" and reverse:
            instance._search_cleared = list(
                model._default_manager.using(using)
                .filter(**{field_name: instance.pk})
                .values_list("pk", flat=True)
            )
        if action not in {"post_add", "post_remove", "post_clear"}:
            return
        if not reverse:
            reindex(model, [instance.pk], using)
        elif action == "post_clear":
            reindex(model, getattr(instance, "_search_cleared", []), using)
        else:
            reindex(model, pk_set or [], using)

    return handler


_handlers = []


def connect_signals():
    """Called once the apps are ready (core.apps)."""
    watched = set()
    for model in searchable_models():
        post_save.connect(_on_save, sender=model, dispatch_uid=f"search-save-{kind(model)}")
        pre_delete.connect(_on_pre_delete, sender=model, dispatch_uid=f"search-pre-{kind(model)}")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"search-del-{kind(model)}")
        for name in _follow(model):
            field_ = model._meta.get_field(name)
            related = field_.related_model
            if field_.many_to_many:
                handler = _m2m_handler(model, name)
                _handlers.append(handler)
                m2m_changed.connect(
                    handler,
                    sender=field_.remote_field.through,
                    dispatch_uid=f"search-m2m-{kind(model)}-{name}",
                )
            if related not in watched and not any(
                isinstance(f, SearchRelation) for f in related._meta.private_fields
            ):
                # A related model that is not itself searchable (a theme): its renames too.
                watched.add(related)
                post_save.connect(
                    _reindex_dependents_on_save,
                    sender=related,
                    dispatch_uid=f"search-dep-save-{kind(related)}",
                )
                pre_delete.connect(
                    _on_pre_delete, sender=related, dispatch_uid=f"search-dep-pre-{kind(related)}"
                )
                post_delete.connect(
                    _reindex_dependents_on_delete,
                    sender=related,
                    dispatch_uid=f"search-dep-del-{kind(related)}",
                )


def _reindex_dependents_on_save(sender, instance, raw=False, using="default", **kwargs):
    if not raw:
        _reindex_dependents(sender, instance, using)


def _reindex_dependents_on_delete(sender, instance, using="default", **kwargs):
    for model, pks in getattr(instance, "_search_dependents", []):
        reindex(model, pks, using)


# --- Queries ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Alternative:
    tokens: tuple[str, ...]

    def fts5(self):
        return '"' + " ".join(self.tokens) + '"'

    def tsquery(self, phrase=True):
        return (" <-> " if phrase else " & ").join(self.tokens)


@dataclass
class Group:
    """One word (or expression) of the query and what may stand for it in a document."""

    typed: str
    alternatives: list[Alternative]
    # The vocabulary word shown in « Vouliez-vous dire … ? » when the typed one matches nothing.
    correction: str = ""
    # A word that matches nothing, not even after correction.
    unknown: bool = False

    @property
    def primary(self):
        return self.alternatives[0].tokens


@dataclass
class CompiledQuery:
    text: str
    groups: list[Group] = field(default_factory=list)
    any_word: bool = False
    # What `tsquery` and `fts5` wrote, by their arguments: a search's ranking statements ask
    # for the same few texts for every kind (16 times for « ecole »). A compiled query is not
    # changed once written (`broadened` gives another).
    _written: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __bool__(self):
        return bool(self.groups)

    def broadened(self):
        """Every word no longer required: the records that hold the most words come first."""
        return replace(self, any_word=True)

    @property
    def needs_all(self):
        """Whether `broadened` may help: from three words on, a record that lacks one of them
        is still a fair answer; with two, it answers another question."""
        return len(self.groups) > 2 and not self.any_word

    @property
    def matches_nothing(self):
        """Whether no record can match, without asking: a word that neither the vocabulary nor
        any correction of it holds is in no document (the vocabulary holds every indexed word
        up to 100 letters)."""
        unknown = [group.unknown and len(group.typed) <= 100 for group in self.groups]
        return all(unknown) if self.any_word else any(unknown)

    @property
    def suggestion(self):
        """The query with each corrected word replaced, or "" when nothing was corrected."""
        if not any(group.correction for group in self.groups):
            return ""
        return " ".join(group.correction or group.typed for group in self.groups)

    @property
    def stems(self):
        return {
            token for group in self.groups for alt in group.alternatives for token in alt.tokens
        }

    @property
    def lone_word(self):
        """The query's only token when it is one word that nothing else may stand for, and one
        that PostgreSQL's `simple` parser keeps whole (letters alone or digits alone: it
        splits « 12e3x »), else "": what `core_searchtitleword` answers."""
        if len(self.groups) != 1 or len(set(self.groups[0].alternatives)) != 1:
            return ""
        tokens = self.groups[0].primary
        if len(tokens) == 1 and _LONE_WORD.fullmatch(tokens[0]):
            return tokens[0]
        return ""

    def _render(self, alternative, joiner, either, phrase, boost=True):
        parts = []
        for group in self.groups:
            options = [alternative(alt) for alt in dict.fromkeys(group.alternatives)]
            parts.append(options[0] if len(options) == 1 else "(" + either.join(options) + ")")
        joined = (either if self.any_word else joiner).join(parts)
        whole = [token for group in self.groups for token in group.primary]
        if boost and len(self.groups) > 1:
            # The exact phrase as an extra alternative: it matches no more records, but those
            # that hold it rank higher.
            joined = f"({joined}){either}{phrase(Alternative(tuple(whole)))}"
        return joined

    def fts5(self, kind=None, tier=None):
        """The FTS5 query; with `kind` (« cases.casestudy »), only that kind's entries match;
        with `tier` (`TITLE` or `REST`), only the entries whose title matches, or the others."""
        key = ("fts5", kind, tier)
        if (written := self._written.get(key)) is not None:
            return written
        text = self._render(Alternative.fts5, " AND ", " OR ", Alternative.fts5)
        if tier == TITLE:
            text = f"title : ({text})"
        elif tier == REST:
            text = f"({text}) NOT title : ({text})"
        if kind is not None:
            text = f'kind : "{kind}" AND ({text})'
        self._written[key] = text
        return text

    def tsquery(self, phrases=True, boost=True):
        """The PostgreSQL query; without `phrases`, its words in any order (what a GIN index
        answers without reading the documents: see `_best_entries_sql`); without `boost`,
        without the exact phrase of several words, which ranks but matches no other record:
        the same matches, found for less (a phrase in the query makes PostgreSQL check every
        candidate's positions: 3.4 -> 1.9 ms for the 5,000 cases holding « transition
        écologique numérique »)."""
        key = ("tsquery", phrases, boost)
        if (written := self._written.get(key)) is None:
            written = self._written[key] = self._render(
                lambda alt: f"({alt.tsquery(phrases)})" if len(alt.tokens) > 1 else alt.tsquery(),
                " & ",
                " | ",
                lambda alt: f"({alt.tsquery(phrases)})",
                boost,
            )
        return written


def _groups(text):
    groups = []
    for chunk in chunks(text)[:MAX_GROUPS]:
        alternatives = [Alternative(tuple(stem(word) for word in chunk.words))]
        if chunk.is_compound:
            alternatives.append(Alternative((stem(chunk.glued),)))
        typed = "-".join(chunk.words) if chunk.is_compound else chunk.words[0]
        groups.append(Group(typed, alternatives))
    return groups


def _splits(word):
    return [(word[:i], word[i:]) for i in range(2, len(word) - 1)]


def _fixable(group):
    word = group.typed
    return len(group.alternatives) == 1 and len(word) >= 4 and word.isalpha()


def _fetch(cursor, sql, params):
    cursor.execute(sql, params)
    return cursor.fetchall()


def _synonym_expressions(rows):
    """The editors' synonyms as lists of variants, each variant the tokens of an expression."""
    expressions = []
    for (terms,) in rows:
        variants = []
        for part in [p.strip() for p in terms.replace(";", ",").replace("\n", ",").split(",")]:
            tokens = tuple(stem(word) for chunk in chunks(part) for word in chunk.words)
            if tokens:
                variants.append(tokens)
        if len(variants) > 1:
            expressions.append(variants)
    return expressions


def _apply_synonyms(groups, expressions):
    if not expressions:
        return groups
    result, i = [], 0
    while i < len(groups):
        best = None
        for variants in expressions:
            for tokens in variants:
                span, collected = 0, ()
                while i + span < len(groups) and len(collected) < len(tokens):
                    collected += groups[i + span].primary
                    span += 1
                if collected == tokens and (best is None or span > best[0]):
                    best = (span, variants)
        if best is None:
            result.append(groups[i])
            i += 1
            continue
        span, variants = best
        merged = groups[i : i + span]
        alternatives = (
            merged[0].alternatives
            if span == 1
            else [Alternative(sum((g.primary for g in merged), ()))]
        )
        alternatives = alternatives + [Alternative(tokens) for tokens in variants]
        result.append(Group(" ".join(g.typed for g in merged), list(dict.fromkeys(alternatives))))
        i += span
    return result


# What `compile_query` reads of the vocabulary, by name in a `kept` store: the synonyms, and
# per word (« w:ecole ») what the vocabulary says of it — {"known": its stem is indexed,
# "parts": {known word: stem} of the two words it may glue together, "completions": the stems
# it may be the start of, "correction": (alternatives, suggestion, unknown)}, each read the
# first time a query needs it. A word's facts are the same in every query that holds it.
SYNONYMS = "synonyms"
# Longer words are in no document (the vocabulary holds words up to 100 letters): not kept.
KEPT_WORD_LENGTH = 100


def _word_key(word):
    return f"w:{word}"


def _word_facts(word, known_stems, known_words):
    return {
        "known": stem(word) in known_stems,
        "parts": {
            part: known_words[part]
            for pair in _splits(word)
            for part in pair
            if part in known_words
        },
    }


def compile_query(text, using="default", kept=None):
    """The query as both databases will run it; one query to the database in the usual case
    (the synonyms, which words the index knows, how the last word may end), a few more for
    unknown words.

    `kept`, a store with `get_many(names)` and `set_many({name: value})` (the search page's
    lasts as long as the content does not change), gives what earlier queries read of the
    vocabulary: a query of words met before reads nothing."""
    text = (text or "")[:200]
    groups = _groups(text)
    if not groups:
        return CompiledQuery(text)
    connection = connections[using]
    ends_word = not text[-1:].isspace()
    # The words the vocabulary may say something of (a word of three letters, a number or a
    # hyphenated word is searched as typed). Synonyms make no other such word: the groups they
    # leave alone are the words as typed.
    words = list(dict.fromkeys(group.typed for group in groups if _fixable(group)))
    kept_words = [word for word in words if len(word) <= KEPT_WORD_LENGTH]
    found = {}
    if kept is not None:
        found = kept.get_many([SYNONYMS, *map(_word_key, kept_words)])
    expressions = found.get(SYNONYMS)
    facts = {word: found.get(_word_key(word)) for word in words}
    missing = [word for word in words if facts[word] is None]
    new = {}
    opened = []
    with ExitStack() as stack:

        def cursor():
            # Opened only to read: Django checks a reused connection with a query of its own
            # at its first cursor of a request.
            if not opened:
                opened.append(stack.enter_context(connection.cursor()))
            return opened[0]

        if expressions is None or missing:
            # The words the last one may be the start of, asked with the rest (a few rows from
            # the vocabulary's index): a word typed unfinished is completed without a second
            # round trip.
            unfinished = groups[-1].typed if ends_word and groups[-1].typed in missing else None
            rows = _read_vocabulary(cursor(), missing, unfinished, synonyms=expressions is None)
            if expressions is None:
                expressions = new[SYNONYMS] = _synonym_expressions(
                    [(terms,) for which, terms, _ in rows if which == 0]
                )
            known_stems = {row[2] for row in rows if row[0] == 1}
            known_words = {row[1]: row[2] for row in rows if row[0] == 1}
            for word in missing:
                facts[word] = new[_word_key(word)] = _word_facts(word, known_stems, known_words)
            if unfinished:
                facts[unfinished]["completions"] = [row[1] for row in rows if row[0] == 2]
        groups = _apply_synonyms(groups, expressions)
        for position, group in enumerate(groups):
            if not _fixable(group) or facts[group.typed]["known"]:
                continue
            word, fact = group.typed, facts[group.typed]
            if position == len(groups) - 1 and ends_word:
                if "completions" not in fact:
                    fact["completions"] = _completions(cursor(), word)
                    new[_word_key(word)] = fact
                if fact["completions"]:
                    group.alternatives = [
                        *group.alternatives,
                        *(Alternative((completion,)) for completion in fact["completions"]),
                    ]
                    continue
            if "correction" not in fact:
                fact["correction"] = _correct(cursor(), connection.vendor, word, fact["parts"])
                new[_word_key(word)] = fact
            alternatives, group.correction, group.unknown = fact["correction"]
            group.alternatives = [*group.alternatives, *map(Alternative, alternatives)]
    if kept is not None and new:
        kept.set_many(
            {
                name: value
                for name, value in new.items()
                if name == SYNONYMS or name[2:] in kept_words
            }
        )
    return CompiledQuery(text, groups)


def _read_vocabulary(cursor, words, unfinished, synonyms=True):
    """One statement: the synonyms (rows 0, terms), the vocabulary's words of the words' stems and
    of the parts they may glue together (rows 1, word, stem), the stems the unfinished word may
    be the start of (rows 2, stem)."""
    stems = sorted({stem(word) for word in words})
    parts = sorted({part for word in words for pair in _splits(word) for part in pair})
    selects, params = [], []
    if synonyms:
        selects.append("SELECT 0, terms, '' FROM core_synonym")
    if words:
        in_stems = ", ".join(["%s"] * len(stems))
        in_parts = ", ".join(["%s"] * len(parts)) if parts else "NULL"
        selects.append(
            # Bandit: only placeholders are formatted in; the words are parameters.
            f"SELECT 1, word, stem FROM core_searchterm WHERE stem IN ({in_stems}) "  # nosec B608
            f"OR word IN ({in_parts})"
        )
        params += [*stems, *parts]
    if unfinished:
        # Bandit: a constant of this module; the word is a parameter.
        selects.append(f"SELECT 2, stem, '' FROM ({COMPLETIONS_SQL}) completions")  # nosec B608
        params += _completions_params(unfinished)
    return _fetch(cursor, " UNION ALL ".join(selects), params)


# The vocabulary's words that start as the last word is typed: « budg » → budget, …
COMPLETIONS_SQL = (
    "SELECT DISTINCT stem FROM core_searchterm WHERE word >= %s AND word < %s "
    "ORDER BY stem LIMIT %s"
)


def _completions_params(typed):
    return [typed, typed + "\uffff", MAX_COMPLETIONS]


def _completions(cursor, typed):
    """`COMPLETIONS_SQL` on its own (the last word, once synonyms are applied, is not the one
    asked with the rest; or the word was met before, not last)."""
    return [row[0] for row in _fetch(cursor, COMPLETIONS_SQL, _completions_params(typed))]


def _correct(cursor, vendor, word, known_words):
    """(the alternatives' tokens, the suggestion, whether nothing stands for the word) of a word
    the vocabulary does not know; `known_words`: the vocabulary's words among its parts."""
    limit = 1 if len(word) <= 7 else 2
    if vendor == "postgresql":
        sql = (
            "SELECT word, stem FROM core_searchterm WHERE (word %% %s OR (word >= %s AND word < %s))"
            " AND length(word) BETWEEN %s AND %s LIMIT 500"
        )
        params = [word, word[:2], word[:2] + "\uffff", len(word) - limit, len(word) + limit]
    else:
        trigrams = " OR ".join(f'"{word[i : i + 3]}"' for i in range(len(word) - 2))
        sql = (
            "SELECT t.word, t.stem FROM core_searchterm t WHERE t.id IN (SELECT rowid FROM "
            "core_searchterm_trigram WHERE core_searchterm_trigram MATCH %s ORDER BY rank LIMIT 500)"
            " AND length(t.word) BETWEEN %s AND %s UNION SELECT word, stem FROM core_searchterm "
            "WHERE word >= %s AND word < %s AND length(word) BETWEEN %s AND %s"
        )
        params = [
            trigrams,
            len(word) - limit,
            len(word) + limit,
            word[:2],
            word[:2] + "\uffff",
            len(word) - limit,
            len(word) + limit,
        ]
    candidates = []
    for candidate, candidate_stem in _fetch(cursor, sql, params):
        distance = Levenshtein.distance(word, candidate, score_cutoff=limit)
        if distance <= limit and candidate != word:
            candidates.append(
                (distance, -len(_common_prefix(word, candidate)), candidate, candidate_stem)
            )
    candidates.sort()
    alternatives = []
    for *_, candidate_stem in candidates:
        if (candidate_stem,) not in alternatives:
            alternatives.append((candidate_stem,))
        if len(alternatives) == MAX_CORRECTIONS:
            break
    correction = ""
    for left, right in _splits(word):
        if left in known_words and right in known_words:
            alternatives.append((known_words[left], known_words[right]))
            if not candidates:
                correction = correction or f"{left} {right}"
    if candidates:
        correction = candidates[0][2]
    return alternatives, correction, not alternatives


def _common_prefix(a, b):
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def as_compiled(query, using="default"):
    if isinstance(query, CompiledQuery):
        return query
    return compile_query(query, using)


def search(queryset, query):
    """The records matching every word of the query (see the module's docstring)."""
    compiled = as_compiled(query, queryset.db)
    if not compiled:
        return queryset.none()
    lookup = f"{relation_name(queryset.model)}__index__document__match"
    return queryset.filter(**{lookup: compiled})


def search_or_broaden(queryset, query):
    """`search`, or, when no record holds every word, the records holding some of them.

    Returns the compiled query actually used (its `any_word` says which)."""
    compiled = as_compiled(query, queryset.db)
    if compiled.needs_all and not search(queryset, compiled).exists():
        compiled = compiled.broadened()
    return compiled


def _index_alias(queryset):
    for alias, join in queryset.query.alias_map.items():
        if getattr(join, "table_name", None) == "core_searchindex":
            return alias
    return None


def by_relevance(queryset, query):
    """Best matches first: the records whose title holds the words, then the others; in each
    tier, title > summary > body > notes, the exact phrase and rarer words weigh more; ties by
    the most recently updated. Only for a queryset from `search`."""
    alias = _index_alias(queryset)
    compiled = as_compiled(query, queryset.db)
    if alias is None or not compiled:
        return queryset
    column = f'"{alias}"."core_searchindex"'
    model_kind = kind(queryset.model)
    if connections[queryset.db].vendor == "postgresql":
        # Bandit: the alias comes from the query's own join; the words are a parameter.
        rank = RawSQL(  # nosec B611
            f"ts_rank('{PG_WEIGHTS}'::float4[], {column}, to_tsquery('simple', %s), 1)",
            [compiled.tsquery()],
            output_field=FloatField(),
        )
        # Bandit: the alias comes from the query's own join; the words are a parameter.
        in_title = RawSQL(  # nosec B611
            f'"{alias}"."title_vector" @@ to_tsquery(\'simple\', %s)',
            [compiled.tsquery(boost=False)],
            output_field=BooleanField(),
        )
    else:
        # bm25 is lower for better matches; it reads the MATCH of the same query.
        # Bandit: the alias comes from the query's own join, the weights are constants.
        rank = RawSQL(f"-bm25({column}, {BM25_WEIGHTS})", [], output_field=FloatField())  # nosec B611
        # Bandit: the alias comes from the query's own join; the words are a parameter.
        in_title = RawSQL(  # nosec B611
            f'"{alias}"."rowid" IN (SELECT rowid FROM core_searchindex '  # nosec B608
            "WHERE core_searchindex MATCH %s)",
            [compiled.fts5(model_kind, TITLE)],
            output_field=BooleanField(),
        )
    return queryset.annotate(search_in_title=in_title, rank=rank).order_by(
        "-search_in_title", "-rank", "-updated_at", "pk"
    )


def excerpt_terms(query):
    """What to highlight: the stems the compiled query looks for."""
    compiled = query if isinstance(query, CompiledQuery) else CompiledQuery(query, _groups(query))
    return compiled.stems


# Ranking inside the full-text index: a word found in thousands of records is ranked there, on
# the index alone, and only the best few entries are joined to their records.
# PostgreSQL: the query's words as a subquery, worked out once per statement (an init plan);
# in a prepared statement's generic plan `to_tsquery('simple', $1)` would be parsed again for
# every row it ranks (`prepared_cursor`).
PG_TSQUERY = "(SELECT to_tsquery('simple', %s))"
FIRST_FETCH = 20
LARGEST_FETCH = 2000


def tie_cap(fetch):
    """How many entries a fetch of `fetch` reads at most with their ties (PostgreSQL): as many
    as the next fetch."""
    return min(4 * fetch, LARGEST_FETCH)


def probe(queryset):
    """The SQL that gives an entry's record `updated_at` when the queryset holds it, else NULL:
    one probe by primary key per entry, whatever the queryset's filters. Compiling it costs
    more than running it: `best_matches` takes it ready-made when the caller has it."""
    # Bandit: a constant column reference, no value.
    record = RawSQL("entry.object_id", [])  # nosec B611
    visible = queryset.order_by().filter(pk=record).values("updated_at")[:1]
    return visible.query.sql_with_params()


def _best_entries_sql(queryset, compiled, fetch, count_up_to, tier, visible):
    """The best `fetch` entries of the queryset's kind in `tier` (`TITLE`, `REST`, or None for
    both at once), ranked in the index, best first: whether their title matches (1 or 0),
    their score, record pk, the record's `updated_at` when the queryset holds it (else NULL,
    see `probe`; seconds since the epoch on PostgreSQL), and how many records of the queryset match (in any tier), counted up to
    `count_up_to` at least (0: not counted)."""
    model = queryset.model
    visible_sql, visible_params = visible
    postgres = connections[queryset.db].vendor == "postgresql"
    if postgres:
        # Ranked with the exact phrase, matched without it (the same records, for less).
        tsquery, matching = compiled.tsquery(), compiled.tsquery(boost=False)
        # Bandit: the weights are a module constant; the words are parameters.
        score = f"ts_rank('{PG_WEIGHTS}'::float4[], entry.vector, {PG_TSQUERY}, 1)"  # nosec B608
        score_params = [tsquery]
        # The kind written in the statement, not a parameter: its generic plan reads the kind's
        # own index (`POSTGRES_KIND_INDEXES`), which a parameter would not let it choose.
        of_kind = f"entry.kind = {_kind_literal(model)}"
        matches = f"{of_kind} AND entry.vector @@ {PG_TSQUERY}"
        match_params = [matching]
        title = f"entry.title_vector @@ {PG_TSQUERY}"
        title_params = [matching]
        entries = ranked = "core_searchentry entry"
        ranked_id = "entry.id"
        in_title = f"CASE WHEN {title} THEN 1 ELSE 0 END"
        tiers = {
            TITLE: (f"{of_kind} AND {title}", [*title_params]),
            REST: (f"{matches} AND NOT {title}", [*match_params, *title_params]),
        }
        if "<->" in matching:
            # A phrase (a hyphenated word) is checked on the rows, not in the index: the same
            # words in any order, an index condition, makes PostgreSQL expect fewer rows and
            # read the title index instead of the whole table when the title tier of a common
            # word holds a sixth of it (« tiers-lieu »: 13 ms -> 5 ms).
            loose = f"entry.title_vector @@ {PG_TSQUERY} AND "
            where, params = tiers[TITLE]
            tiers[TITLE] = (
                f"{loose}{where}",
                [compiled.tsquery(phrases=False, boost=False), *params],
            )
    else:
        score, score_params = f"-bm25(found.core_searchindex, {BM25_WEIGHTS})", []
        matches, match_params = "found.core_searchindex MATCH %s", [compiled.fts5(kind(model))]
        # The unary +: see `tiers`.
        title = (
            "+found.rowid IN (SELECT rowid FROM core_searchindex WHERE core_searchindex MATCH %s)"
        )
        title_params = [compiled.fts5(kind(model), TITLE)]
        entries = (
            "core_searchindex found INNER JOIN core_searchentry entry ON entry.id = found.rowid"
        )
        # A tier is ranked on the index alone; only its best entries are joined.
        ranked, ranked_id = "core_searchindex found", "found.rowid"
        in_title = title
        tiers = {
            # The title tier ranked on the whole query, as `by_relevance` ranks it: bm25 reads
            # the MATCH, and the title's words alone put « budget » in the title before
            # « budget » in the title and twice in the summary. The whole query's matches are
            # read once and kept when their title matches (the unary + in `title`: probing
            # FTS5 at each title match's rowid works out bm25's statistics again each time,
            # 1 s for « ecole » at 10,000 cases; this way 6 -> 14 ms).
            TITLE: (f"{matches} AND {title}", [*match_params, *title_params]),
            REST: ("found.core_searchindex MATCH %s", [compiled.fts5(kind(model), REST)]),
        }
    if tier is None:
        # A kind of a few hundred records: both tiers ranked in one pass.
        (where, where_params), flag, flag_params = (matches, match_params), in_title, title_params
    else:
        (where, where_params), flag, flag_params = tiers[tier], str(int(tier == TITLE)), []
    # Bandit: the SQL is the ORM's own for the queryset and constants; the words are parameters.
    best_select = f"SELECT {ranked_id} AS id, {flag} AS in_title, {score} AS score"  # nosec B608
    if postgres:
        # The entry's record read with its rank: no second look-up of each entry.
        best_select += ", entry.object_id AS object_id"
    best_from = f"FROM {ranked} WHERE {where}"
    best_params = [*flag_params, *score_params, *where_params]
    counted_title = (entries, tiers[TITLE][0], tiers[TITLE][1])
    tier_cte, tier_cte_params = "", []
    if postgres and tier == TITLE and compiled.lone_word:
        # One word: its title tier is read in rank order from the words of the titles, ranked
        # for that word alone when written (`POSTGRES_TITLE_WORDS`), as deep as the page and
        # the count need, instead of ranking every title that holds it.
        words = "core_searchtitleword entry"
        word_where = f"{of_kind} AND entry.lexeme = %s"
        word_params = [compiled.lone_word]
        best_select = (
            "SELECT entry.entry_id AS id, 1 AS in_title, entry.score AS score, "
            "entry.object_id AS object_id"
        )
        best_from, best_params = f"FROM {words} WHERE {word_where}", [*word_params]  # nosec B608
        counted_title = (words, word_where, word_params)
    elif postgres and tier == TITLE:
        # The title tier's matches, found and scored once (PostgreSQL): ranked for the page and
        # counted up to the cap from the same rows, instead of finding them again in the index.
        # Bandit: as above.
        tier_cte = f"WITH tier AS MATERIALIZED ({best_select} {best_from}) "  # nosec B608
        tier_cte_params, best_params = best_params, []
        best_select, best_from = "SELECT *", "FROM tier"
        counted_title = ("tier entry", "TRUE", [])
    if postgres:
        # Every entry tying with the last fetched comes too, among the best `tie_cap(fetch)`:
        # the most recently updated of them may be the one to show (`_best_of_tier`), and
        # asking again cost a statement per page of a list whose records tie by the hundred.
        # (The cap keeps PostgreSQL's bounded sort: WITH TIES alone sorts every match.)
        # Bandit: as above.
        best = (
            f"SELECT * FROM ({best_select} {best_from} ORDER BY in_title DESC, score DESC "  # nosec B608
            "LIMIT %s) capped ORDER BY in_title DESC, score DESC FETCH FIRST %s ROWS WITH TIES"
        )
        best_params += [tie_cap(fetch), fetch]
    else:
        best = f"{best_select} {best_from} ORDER BY in_title DESC, score DESC, id DESC LIMIT %s"
        best_params.append(fetch)

    # Bandit: as above.
    def counted(where, source=entries):
        return (
            f"(SELECT count(*) FROM (SELECT 1 FROM {source} WHERE {where} "  # nosec B608
            f"AND ({visible_sql}) IS NOT NULL LIMIT %s) counted)"
        )

    if not count_up_to or tier is None:
        # One pass over a small kind fetches up to the cap: `_best_of_tier` counts the rows.
        count, count_params = "0", []
    elif not postgres:
        # SQLite reads the matches in order and stops at the cap.
        count, count_params = counted(matches), [*match_params, *visible_params, count_up_to]
    else:
        # PostgreSQL: counted first among the title matches; when they alone reach the cap, the
        # matches of a common word are not all read (their bitmap, which cannot stop at the
        # cap, costs more than the whole title tier).
        source, title_where, title_where_params = counted_title
        count = (
            f"CASE WHEN {counted(title_where, source)} >= %s THEN %s ELSE {counted(matches)} END"
        )
        count_params = [
            *title_where_params,
            *visible_params,
            count_up_to,
            count_up_to,
            count_up_to,
            *match_params,
            *visible_params,
            count_up_to,
        ]
    if postgres:
        # Bandit: as above.
        sql = (
            f"{tier_cte}SELECT entry.in_title AS in_title, entry.score AS score, "  # nosec B608
            # The record's `updated_at` as seconds: a float is read in C, a timestamp in Python
            # (a hundred and more rows a search page).
            f"entry.object_id AS object_id, extract(epoch FROM ({visible_sql}))::float8 "
            f"AS updated, {count} AS matches "
            f"FROM ({best}) entry ORDER BY entry.in_title DESC, entry.score DESC, entry.id DESC"
        )
        return sql, [*tier_cte_params, *visible_params, *count_params, *best_params]
    # Bandit: as above.
    sql = (
        "SELECT best.in_title AS in_title, best.score AS score, "  # nosec B608
        f"entry.object_id AS object_id, ({visible_sql}) AS updated, {count} AS matches "
        f"FROM ({best}) best INNER JOIN core_searchentry entry ON entry.id = best.id "
        "ORDER BY best.in_title DESC, best.score DESC, best.id DESC"
    )
    return sql, [*visible_params, *count_params, *best_params]


def _best_of_tier(queryset, compiled, tier, wanted, count_up_to, visible, stamps=None):
    """Yields the SQL it needs (`_best_entries_sql`), is sent its rows; returns (the pks of the
    queryset's `wanted` best matches in `tier`, best first, or all of them when fewer; the
    count of `_best_entries_sql`, None when the tier has no entry), or None for the pks when
    the queryset keeps out too many of the tier's best entries (see `best_matches`)."""
    # Both tiers in one pass (a small kind): the count is that of the rows fetched, up to the
    # cap, instead of a second scan of the matches.
    counted_here = tier is None and count_up_to
    postgres = connections[queryset.db].vendor == "postgresql"
    fetch = max(FIRST_FETCH, 2 * wanted, count_up_to if counted_here else 0)
    count = None
    while fetch <= LARGEST_FETCH:
        rows = yield _best_entries_sql(queryset, compiled, fetch, count_up_to, tier, visible)
        if not rows:
            return [], 0 if counted_here else count
        found = [
            ((-in_title, -score), _NewestFirst(updated), pk)
            for in_title, score, pk, updated, _ in rows
            if updated is not None
        ]
        count = min(len(found), count_up_to) if counted_here else rows[0][4]
        if stamps is not None:
            stamps.update((pk, newest.value) for _, newest, pk in found)
        exhausted = len(rows) < fetch
        # Entries not fetched rank no better than the last fetched: a record tying with it
        # might come before ours on recency, unless every tie was fetched (PostgreSQL).
        last = max((-in_title, -score) for in_title, score, *_ in rows)
        ties_fetched = postgres and len(rows) < tie_cap(fetch)
        sure = [key for key in found if exhausted or ties_fetched or key[0] < last]
        counted = exhausted or not counted_here or len(found) >= count_up_to
        if counted and (exhausted or len(sure) >= wanted):
            return [pk for *_, pk in sorted(found if exhausted else sure)][:wanted], count
        if postgres and not ties_fetched and tie_cap(fetch) == LARGEST_FETCH:
            # A tie of more entries than any fetch holds: asking again returns the same rows.
            break
        fetch *= 4
    return None, count


def _ranking(queryset, compiled, limit, offset, count_up_to, visible, stamps=None):
    """`best_matches` as a generator of the SQL it needs (see `_best_of_tier`); `stamps`, a
    dict, is given each record's `updated_at` as the ranking read it (see `probe`)."""
    wanted = offset + limit
    tiered = getattr(queryset.model, "search_tiered", False)
    pks, count = yield from _best_of_tier(
        queryset, compiled, TITLE if tiered else None, wanted, count_up_to, visible, stamps
    )
    if tiered and pks is not None and len(pks) < wanted:
        rest, rest_count = yield from _best_of_tier(
            queryset,
            compiled,
            REST,
            wanted - len(pks),
            count_up_to if count is None else 0,
            visible,
            stamps,
        )
        pks = None if rest is None else pks + rest
        count = rest_count if count is None else count
    if pks is None:
        found = search(queryset, compiled)
        ranked = by_relevance(found, compiled).values_list("pk", flat=True)[offset:wanted]
        return list(ranked), found.order_by()[:count_up_to].count()
    return pks[offset:wanted], count or 0


def prepared_cursor(using="default"):
    """A cursor for the statements the search page runs every time, whose plan does not depend
    on their parameters: the ranking statements (`_run_together`), the records shown.

    PostgreSQL planned the ranking statements afresh, 3 to 5 ms for the eight kinds of the
    search page (as long as running them): there each SQL text is prepared once per connection,
    and runs its generic plan (`plan_cache_mode`, see the settings). The words are not in that
    plan (`PG_TSQUERY`), nor do they change its shape: every access is the full-text indexes'
    (same rows, 40 to 60 % less time for the statement, measured on every query of
    `bench/queries.py`). Elsewhere, a plain cursor."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return connection.cursor()
    # What `connection.cursor()` does, with a cursor that prepares its statements (Django's
    # binds its parameters in the client, which cannot prepare); the query log and wrappers
    # (`assertNumQueries`) see it as any other.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        return connection._prepare_cursor(_prepared_cursor(connection))


def _prepared_cursor(connection):
    # Only with PostgreSQL (psycopg is not needed with SQLite alone).
    from django.db.backends.postgresql.psycopg_any import register_tzloader
    from psycopg import adapters
    from psycopg.pq import Format

    cursor = _prepared_cursor_class()(connection.connection)
    # As Django's own cursors: the connection's time zone, if it changed since it opened.
    timestamptz = adapters.types["timestamptz"].oid
    if (
        connection.timezone
        != connection.connection.adapters.get_loader(timestamptz, Format.TEXT).timezone
    ):
        register_tzloader(connection.timezone, cursor)
    return cursor


# How many statements' conversions `_prepared_cursor_class` keeps: the shapes of the ranking
# statements (which kinds, which tiers, a phrase or not) and the results' statement.
KEPT_CONVERSIONS = 256


@cache
def _prepared_cursor_class():
    import psycopg

    # psycopg's own (pinned in requirements.lock; `tests/core/test_prepared_cursor.py` fails if
    # they change).
    from psycopg._queries import PostgresQuery, _query2pg_nocache

    class KeptConversion(PostgresQuery):
        # psycopg keeps a statement's conversion (its %s written $1, $2…) only up to 4 kB and
        # 50 parameters, against statements of every size an ORM writes; the search page's are
        # a few shapes of 9 kB and 75 parameters, converted again at each search (0.26 ms).
        converted = staticmethod(lru_cache(maxsize=KEPT_CONVERSIONS)(_query2pg_nocache))

        def convert(self, query, vars):
            if vars is None:
                return super().convert(query, vars)
            query = self._ensure_bytes(query)
            self.query, self._want_formats, self._order, self._parts = self.converted(
                query, self._tx.encoding
            )
            self.dump(vars)
            return None

    class PreparedCursor(psycopg.Cursor):
        """Binds its parameters on the server, and prepares each statement at its first run."""

        _query_cls = KeptConversion

        def _convert_query(self, query, params=None):
            self._converted = super()._convert_query(query, params)
            return self._converted

        def execute(self, query, params=None, *, prepare=None, binary=None):
            super().execute(query, params, prepare=True, binary=binary)
            # psycopg keeps no query of a prepared statement, where Django's query log reads
            # it (`last_executed_query`: None for every search statement): its $n form.
            self._query = self._converted
            return self

    return PreparedCursor


def _run_together(requests, using):
    """The rows of several `_best_entries_sql` at once, in one statement (UNION ALL): {key:
    rows}, each request's rows best first."""
    if len(requests) == 1:
        ((key, (sql, params)),) = requests.items()
        with prepared_cursor(using) as cursor:
            return {key: _fetch(cursor, sql, params)}
    parts, params = [], []
    for key, (sql, request_params) in requests.items():
        # Bandit: each part is `_best_entries_sql`'s SQL; the key is an int of ours.
        parts.append(f"SELECT {int(key)}, r.* FROM ({sql}) r")  # nosec B608
        params += request_params
    with prepared_cursor(using) as cursor:
        rows = _fetch(cursor, " UNION ALL ".join(parts), params)
    found = {key: [] for key in requests}
    for key, *row in rows:
        found[key].append(row)
    for key in found:
        # A subquery's order does not survive the union.
        found[key].sort(key=lambda row: (row[0], row[1]), reverse=True)
    return found


def best_matches_together(searches, using="default", stamps=None):
    """`best_matches` of several querysets (usually of several kinds) at once: each step of
    their rankings runs in one statement for all of them, so that the search page asks the
    database two or three times instead of twice per kind.

    `searches`: (queryset, query, limit, count_up_to, visible) tuples, `visible` their
    `probe` or None. Returns [(pks, count)] in the same order. `stamps`, a list of as many
    dicts, is given each record's `updated_at` as its ranking read it (none for a ranking
    that fell back to `by_relevance`)."""
    results, running = [None] * len(searches), {}
    for key, (queryset, query, limit, count_up_to, visible) in enumerate(searches):
        compiled = as_compiled(query, using)
        if not compiled or compiled.matches_nothing:
            results[key] = ([], 0)
            continue
        running[key] = _ranking(
            queryset,
            compiled,
            limit,
            0,
            count_up_to,
            visible or probe(queryset),
            None if stamps is None else stamps[key],
        )
    requests = {}
    for key, ranking in running.items():
        try:
            requests[key] = next(ranking)
        except StopIteration as done:
            results[key] = done.value
    while requests:
        answered, requests = _run_together(requests, using), {}
        for key, rows in answered.items():
            try:
                requests[key] = running[key].send(rows)
            except StopIteration as done:
                results[key] = done.value
    return results


def best_matches(queryset, query, limit, offset=0, count_up_to=0, visible=None):
    """(the pks of the queryset's matches `offset` to `offset + limit`, best first; how many
    records match, counted up to `count_up_to`), in one query as a rule.

    The order is `by_relevance`'s (title matches first, then rank, the most recently updated,
    pk), but the ranking happens inside the full-text index. For a model that declares
    `search_tiered` (thousands of records), tier by tier: the records whose title holds the
    words first, a small match, and the others only when the titles do not fill the page
    (ranking every record that holds a common word somewhere costs ten times more); for the
    others, both tiers in one pass (one statement less to plan, on a few hundred entries).
    Only the best few entries are joined to their records, which are checked
    against the queryset (published, filters). If too few pass, or the last of them ties with
    entries not fetched, it asks for more; past `LARGEST_FETCH` (a queryset that keeps out most
    matches), `by_relevance` ranks the joined rows instead.

    `visible`: the queryset's `probe`, when the caller keeps it."""
    compiled = as_compiled(query, queryset.db)
    if not compiled or compiled.matches_nothing:
        return [], 0
    ranking = _ranking(queryset, compiled, limit, offset, count_up_to, visible or probe(queryset))
    try:
        request = next(ranking)
        while True:
            request = ranking.send(_run_together({0: request}, queryset.db)[0])
    except StopIteration as done:
        return done.value


def ranked_pks(queryset, query, limit, offset=0):
    """The pks of the queryset's matches `offset` to `offset + limit`, best first."""
    return best_matches(queryset, query, limit, offset)[0]


@dataclass(frozen=True)
class _NewestFirst:
    """A sort key that puts the most recently updated first (PostgreSQL's seconds since the
    epoch, or SQLite's strings)."""

    value: object

    def __lt__(self, other):
        return self.value > other.value


class RankedRecords:
    """A list's records by relevance, as its paginator slices them: each page is ranked inside
    the index (`ranked_pks`), then only its records are read, instead of ranking and sorting
    every match to show twenty.

    `records`: the list's queryset with every filter but the search; `matching`: the same,
    searched (what is counted)."""

    def __init__(self, records, matching, query):
        self.records = records
        self.matching = matching
        self.query = query

    def count(self):
        return self.matching.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key : key + 1][0]
        start = key.start or 0
        stop = self.count() if key.stop is None else key.stop
        pks = ranked_pks(self.records, self.query, max(0, stop - start), start)
        # Imported here: core.cache reads core.models, which reads this module.
        from core.cache import stamp_fields

        # The cards mostly come from the cache: the records of the others are read for them
        # (core.cache.card_records).
        records = self.records.filter(pk__in=pks).select_related(None).prefetch_related(None)
        records = records.only(*stamp_fields(records.model))
        by_pk = {record.pk: record for record in records}
        return [by_pk[pk] for pk in pks if pk in by_pk]
