"""Measure every page type with wrk against gunicorn (2 workers), page cache off then on.

Run by `make bench` (bench/run.sh), which prepares the database and the environment.
Writes bench/results/latest.json and prints a table.
"""

import argparse
import json
import os
import re
import signal

# Bandit: runs wrk and gunicorn with fixed argument lists.
import subprocess  # nosec B404
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PORT = 8765
# The bare view measured before each page: shorter than a page's measure, enough to follow drift.
BARE_SECONDS = 2
BASE = f"http://127.0.0.1:{PORT}"

PAGES = [
    ("bare", "/bench/bare/", "bare"),
    ("accueil", "/", "home"),
    ("cas", "/cas/", "list"),
    ("cas, 2 filtres", "/cas/?region=Bretagne&type=focus", "list"),
    ("cas, recherche", "/cas/?q=ecole", "list"),
    ("pratiques", "/pratiques/", "list"),
    ("pratiques, 2 filtres", "/pratiques/?famille=axe-proximite&theme=demo-theme-1", "list"),
    ("pratiques, recherche", "/pratiques/?q=budget", "list"),
    ("formations", "/formations/", "list"),
    ("formations, 2 filtres", "/formations/?domaine=innovation&duree_min=1", "list"),
    ("formations, recherche", "/formations/?q=numerique", "list"),
    ("pistes", "/pistes/", "list"),
    (
        "pistes, 2 filtres",
        "/pistes/?orientation=demo-orientation-0&source=demo-synthetique",
        "list",
    ),
    ("pistes, recherche", "/pistes/?q=climat", "list"),
    ("orientations", "/orientations/", "list"),
    ("cas (fiche)", "/cas/demo-cas-1/", "detail"),
    ("pratique (fiche)", "/pratiques/demo-pratique-1/", "detail"),
    ("formation (fiche)", "/formations/demo-formation-1/", "detail"),
    ("piste (fiche)", "/pistes/demo-piste-1/", "detail"),
    ("orientation (fiche)", "/orientations/demo-orientation-0/", "detail"),
    ("territoire (fiche)", "/territoires/demo-commune-1/", "detail"),
    ("source (fiche)", "/sources/demo-synthetique/", "detail"),
    ("recherche", "/recherche/?q=ecole", "search"),
    # A different search at each request, one connection per server process: the time of one
    # search, not of a queue (the page cache answers a query met before, in the second pass).
    ("recherche, requêtes variées", "/recherche/", "searches"),
    ("api cas", "/api/v1/cas/?region=Bretagne", "api"),
]


def parse_duration_ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def varied_searches_script():
    """A wrk script that asks the search page for each query of bench/queries.py in turn."""
    from bench.queries import QUERIES

    paths = ", ".join(f'"/recherche/?q={urllib.parse.quote_plus(query)}"' for query in QUERIES)
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115
    script.write(
        f"local paths = {{{paths}}}\nlocal i = 0\n"
        "request = function()\n  i = i % #paths + 1\n"
        '  return wrk.format("GET", paths[i])\nend\n'
    )
    script.close()
    return script.name


def run_wrk(path, seconds, connections, script=None):
    extra = ["-s", script] if script else []
    # Bandit: fixed command, no shell, no outside input.
    out = subprocess.run(  # nosec B603 B607
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", *extra, BASE + path],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = parse_duration_ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = parse_duration_ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, p50, p99, int(errors.group(1)) if errors else 0


def query_counts():
    """Each page's query count, measured in-process with the page cache off."""
    import django

    os.environ["DJANGO_PAGE_CACHE_SECONDS"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "transfo.settings")
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client, counts = Client(), {}
    for name, path, _ in PAGES:
        path = path + "?q=ecole" if path == "/recherche/" else path
        with CaptureQueriesContext(connection) as queries:
            status = client.get(path).status_code
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        counts[name] = len(queries)
    return counts


def start_gunicorn(cache_seconds):
    env = {**os.environ, "DJANGO_PAGE_CACHE_SECONDS": str(cache_seconds)}
    # Bandit: fixed command, no shell.
    process = subprocess.Popen(  # nosec B603
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "transfo.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            # Bandit: fixed http://127.0.0.1 URL.
            urllib.request.urlopen(BASE + "/bench/bare/", timeout=1)  # nosec B310
            return process
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, required=True)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()

    counts = query_counts()
    searches = varied_searches_script()
    results, bare = [], {}
    for cache in ("off", "on"):
        server = start_gunicorn(0 if cache == "off" else 600)
        try:
            for name, path, kind in PAGES:
                # Warm up (and fill the cache).
                # Bandit: fixed local URL.
                urllib.request.urlopen(BASE + path, timeout=30).read()  # nosec B310
                # The machine's speed drifts during a pass (its cores are shared): each page is
                # compared with the bare view measured just before it.
                nearby_bare = run_wrk(PAGES[0][1], BARE_SECONDS, args.connections)[0]
                if kind == "searches":
                    rps, p50, p99, errors = run_wrk(path, args.seconds, 2, searches)
                else:
                    rps, p50, p99, errors = run_wrk(path, args.seconds, args.connections)
                if kind == "bare":
                    bare[cache] = rps
                results.append(
                    {
                        "name": name,
                        "path": path,
                        "kind": kind,
                        "cache": cache,
                        "bare_rps": round(nearby_bare, 1),
                        "rps": round(rps, 1),
                        "p50_ms": round(p50, 2),
                        "p99_ms": round(p99, 2),
                        "errors": errors,
                        "queries": 0 if kind == "bare" else counts[name],
                    }
                )
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait()
    os.unlink(searches)
    bare_rps = bare["off"]
    for row in results:
        # Against the bare view measured by the same server just before.
        row["ratio"] = round(row["rps"] / row["bare_rps"], 3)
    pages = [row for row in results if row["kind"] != "bare"]
    report = {"cases": args.cases, "bare_rps": round(bare_rps, 1), "pages": pages}
    out = ROOT / "bench/results/latest.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    print(f"\n{args.cases} cas · vue nue : {bare_rps:.0f} req/s\n")
    print(
        f"{'page':28} {'cache':5} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'nue':>6} {'ratio':>6} "
        f"{'req.':>5} {'err':>4}"
    )
    for row in pages:
        print(
            f"{row['name']:28} {row['cache']:5} {row['rps']:8.0f} {row['p50_ms']:8.1f} {row['p99_ms']:8.1f} "
            f"{row['bare_rps']:6.0f} {row['ratio']:6.2f} {row['queries']:5d} {row['errors']:4d}"
        )
    print(f"\nRésultats : {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
