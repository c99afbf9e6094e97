#!/usr/bin/env bash
# `make bench`: a throwaway PostgreSQL, synthetic data, gunicorn (2 workers), wrk on every page type.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
command -v wrk >/dev/null || { as_root apt-get update -qq; DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq wrk >/dev/null; }

make install
source .ci/postgres.sh
start_postgres "${BENCH_PGPORT:-54339}"

export DJANGO_DEBUG=False
export DJANGO_SECRET_KEY=bench-only-not-a-secret
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost,testserver
export DJANGO_STATIC_ROOT="$PGDIR/static"
export TRANSFO_BENCH_BARE_VIEW=1
CASES=${BENCH_CASES:-10000}

.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py generate_demo_data --cases "$CASES"
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/python bench/measure.py --cases "$CASES" --seconds "${BENCH_SECONDS:-5}"
