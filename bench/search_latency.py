"""Search latency in process, p50/p99, on whatever database DATABASE_URL names.

Usage (the database must hold the demo data: `manage.py generate_demo_data --cases 10000`):

    DATABASE_URL=... .venv/bin/python bench/search_latency.py [--rounds 30]

Measures (1) the search function as a list uses it: count + first page of cases by relevance,
(2) the whole search page (every kind, counts, excerpts, rendering), (3) the same page as
gunicorn serves it (Django's WSGI handler: every middleware, the page cache off), for typical
queries: common words, several words, a typo, an unfinished word, a hyphenated word, no match.
`--profile cumulative` prints cProfile's view of the WSGI page over every query instead.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "transfo.settings")
# As `make bench` serves the site: debug off (no query log), no page cache (every search runs).
os.environ.setdefault("DJANGO_DEBUG", "False")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("DJANGO_PAGE_CACHE_SECONDS", "0")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from bench.queries import QUERIES  # noqa: E402
from cases.models import CaseStudy  # noqa: E402
from core.search import RankedRecords, best_matches, search_or_broaden  # noqa: E402
from transfo import views  # noqa: E402


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def measure(label, function, rounds, per_query=False, raw=None):
    """Wall-clock time, and this process's CPU time: on a shared machine the wall clock counts
    the wait for a core; with SQLite (in process) the CPU time is the search's own cost (with
    PostgreSQL, the server's share is not in it: read the wall time and the query plans)."""
    wall, cpu = {}, {}
    for query in QUERIES:
        function(query)  # warm-up
    for _ in range(rounds):
        for query in QUERIES:
            start, start_cpu = time.perf_counter(), time.process_time()
            function(query)
            wall.setdefault(query, []).append((time.perf_counter() - start) * 1000)
            cpu.setdefault(query, []).append((time.process_time() - start_cpu) * 1000)
    if raw:
        with open(raw, "a", encoding="utf-8") as out:
            for query in QUERIES:
                out.write(json.dumps({"label": label, "query": query, "wall": wall[query]}) + "\n")
                out.write(json.dumps({"label": label, "query": query, "cpu": cpu[query]}) + "\n")
    rows = [(label, sum(wall.values(), []), sum(cpu.values(), []))]
    if per_query:
        rows += [(f"  « {query} »", wall[query], cpu[query]) for query in QUERIES]
    for name, walls, cpus in rows:
        print(
            f"{name:<40} n={len(walls):>4}  wall p50 {percentile(walls, 0.5):6.1f} ms  "
            f"p99 {percentile(walls, 0.99):6.1f} ms  |  cpu p50 {percentile(cpus, 0.5):6.1f} ms  "
            f"p99 {percentile(cpus, 0.99):6.1f} ms"
        )


def search_function(query):
    """What the search page does for one kind: the best ids, the count, the records."""
    ids, _total = best_matches(
        CaseStudy.objects.published(),
        query,
        views.SEARCH_RESULTS_PER_TYPE,
        count_up_to=views.SEARCH_COUNT_CAP + 1,
    )
    list(CaseStudy.objects.filter(pk__in=ids).select_related("territory"))


def list_search(query):
    """What a list does with `q`: the query compiled once, the count, then the first page ranked
    in the index (`RankedRecords`, as the list's paginator slices it)."""
    records = CaseStudy.objects.published().select_related("territory")
    compiled = search_or_broaden(records, query)
    found = records.search(compiled)
    found.count()
    list(RankedRecords(records, found.by_relevance(compiled), compiled)[0:20])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--per-query", action="store_true", help="Une ligne par requête aussi.")
    parser.add_argument("--only", choices=["function", "list", "page", "wsgi"], action="append")
    parser.add_argument("--profile", metavar="SORT", help="cProfile de la page WSGI (cumulative…)")
    parser.add_argument(
        "--raw", metavar="FILE", help="Ajoute chaque mesure à ce fichier (JSON par ligne)."
    )
    args = parser.parse_args()
    settings.PAGE_CACHE_SECONDS = 0
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver", "127.0.0.1"]
    cases = CaseStudy.objects.count()
    print(f"{connection.vendor}, {cases} cases, load average {os.getloadavg()[0]:.1f}")
    if args.profile:
        profile(args.profile, args.rounds)
        return
    measured = {
        "function": ("search function (cases: best 10, count)", search_function),
        "list": ("case list with q (count + 20 rows)", list_search),
        "page": ("search page view (8 kinds, html)", page),
        "wsgi": ("search page through WSGI", wsgi_page),
    }
    for name in args.only or measured:
        label, function = measured[name]
        measure(label, function, args.rounds, args.per_query, args.raw)


def page(query):
    request = RequestFactory().get("/recherche/", {"q": query})
    views.search(request)


handler = None


def wsgi_page(query):
    """The page as gunicorn gets it: Django's WSGI handler, every middleware, no test client."""
    global handler
    handler = handler or WSGIHandler()
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/recherche/",
        "QUERY_STRING": urllib.parse.urlencode({"q": query}),
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.url_scheme": "http",
    }
    statuses = []
    body = b"".join(handler(environ, lambda status, headers, *_: statuses.append(status)))
    assert statuses[0].startswith("200"), (query, statuses[0])  # nosec B101
    return body


def profile(sort, rounds):
    for query in QUERIES:
        wsgi_page(query)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(rounds):
        for query in QUERIES:
            wsgi_page(query)
    profiler.disable()
    pstats.Stats(profiler).sort_stats(sort).print_stats(int(os.environ.get("TOP", "50")))


if __name__ == "__main__":
    main()
