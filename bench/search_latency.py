"""Search latency in process, p50/p99, on whatever database DATABASE_URL names.

Usage (the database must hold the demo data: `manage.py generate_demo_data --cases 10000`):

    DATABASE_URL=... .venv/bin/python bench/search_latency.py [--rounds 30]

Measures (1) the search function as a list uses it: count + first page of cases by relevance,
(2) the whole search page (every kind, counts, excerpts, rendering), for typical queries:
common words, several words, a typo, an unfinished word, a hyphenated word, no match.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "transfo.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from bench.queries import QUERIES  # noqa: E402
from cases.models import CaseStudy  # noqa: E402
from core.search import RankedRecords, search_or_broaden  # noqa: E402
from transfo import views  # noqa: E402


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def measure(label, function, rounds, per_query=False):
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
    ids, _total = views.ranked_page(CaseStudy.objects.published(), query)
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
    args = parser.parse_args()
    settings.PAGE_CACHE_SECONDS = 0
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    cases = CaseStudy.objects.count()
    print(f"{connection.vendor}, {cases} cases, load average {os.getloadavg()[0]:.1f}")
    measure("search function (cases: best 10, count)", search_function, args.rounds, args.per_query)
    measure("case list with q (count + 20 rows)", list_search, args.rounds, args.per_query)
    measure("search page (7 kinds, excerpts, html)", page, args.rounds, args.per_query)


def page(query):
    request = RequestFactory().get("/recherche/", {"q": query})
    views.search(request)


if __name__ == "__main__":
    main()
