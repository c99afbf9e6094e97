"""The search page's prepared cursor (PostgreSQL, `core.search.prepared_cursor`): it keeps
psycopg's conversion of each statement (a private part of psycopg, pinned in requirements.lock),
and Django's query log still sees its statements."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import search
from tests.factories import PublishedCaseStudyFactory

pytestmark = pytest.mark.django_db

# Over psycopg's 4 kB: the statements whose conversion psycopg itself would not keep.
LONG = " /*" + "x" * 5000 + "*/"


@pytest.mark.parametrize(
    "query, params",
    [
        ("SELECT %s::int + %s::int" + LONG, [2, 3]),
        ("SELECT %(a)s::int + %(b)s::int, %(a)s::int" + LONG, {"b": 3, "a": 2}),
        ("SELECT %s, %s::int" + LONG, [None, 5]),
        ("SELECT %s, %s" + LONG, ["texte", 1.5]),
        ("SELECT '100 %%', %s" + LONG, [1]),
        ("SELECT %b, %t" + LONG, [b"\x00", "t"]),
    ],
    ids=["positional", "named", "null", "types", "percent", "formats"],
)
def test_a_kept_conversion_is_what_psycopg_converts(query, params):
    """Fails when a psycopg release changes what `PostgresQuery.convert` does: the kept
    conversion copies it."""
    pytest.importorskip("psycopg")
    from psycopg._queries import PostgresQuery
    from psycopg.adapt import Transformer

    kept_class = search._prepared_cursor_class()._query_cls
    kept, psycopg_s = kept_class(Transformer()), PostgresQuery(Transformer())
    for _twice in range(2):  # converted, then taken from what was kept
        kept.convert(query, params)
        psycopg_s.convert(query, params)
        assert (kept.query, kept.params, kept.types, kept.formats) == (
            psycopg_s.query,
            psycopg_s.params,
            psycopg_s.types,
            psycopg_s.formats,
        )


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)
def test_the_query_log_shows_the_statements_of_the_search_page(client):
    """Django's query log (`connection.queries`, `assertNumQueries`' report, the
    django.db.backends logger) read None for every statement of the prepared cursor: psycopg
    keeps no query for a prepared statement."""
    PublishedCaseStudyFactory(title="Un budget", summary="Un texte.")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("search"), {"q": "budget"})
    assert "Un <mark>budget</mark>" in response.content.decode()
    assert all(isinstance(query["sql"], str) for query in queries.captured_queries)
    assert any("in_title" in query["sql"] for query in queries.captured_queries)
