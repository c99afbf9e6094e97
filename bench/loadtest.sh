#!/usr/bin/env bash
# `make loadtest`: on PostgreSQL, then on SQLite, the pages readers load most, measured with
# wrk twice: 60 s of reads alone, then 60 s of the same reads while two editors save the same
# records through the admin, each once every 2 s: one save a second in all, the pace of #15's
# goal, with two editors so that simultaneous saves meet (bench/editor.py). Reports both
# throughputs and their ratio per page; zero errors and zero lost writes on both databases, or a
# non-zero exit. LOADTEST_SECONDS shortens each phase; LOADTEST_EDIT_INTERVAL changes each
# editor's pace (1: two saves a second in all; 0: as fast as the server answers);
# LOADTEST_DATABASES=sqlite (or postgresql) runs one database only.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
command -v wrk >/dev/null || { as_root apt-get update -qq; DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq wrk >/dev/null; }

# The virtualenv may be shared (a symlink) and already complete.
[ -x .venv/bin/gunicorn ] || make install
source .ci/postgres.sh

export DJANGO_DEBUG=False DJANGO_SECRET_KEY=loadtest-only-not-a-secret DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
SECONDS_RUN=${LOADTEST_SECONDS:-60}
EDIT_INTERVAL=${LOADTEST_EDIT_INTERVAL:-2}
PORT=${LOADTEST_PORT:-8766}
status=0

run_one() {
  local name=$1 out server
  out=$(mktemp -d)
  export DJANGO_STATIC_ROOT="$out/static" DJANGO_MEDIA_ROOT="$out/media"
  .venv/bin/python manage.py migrate --noinput -v0
  .venv/bin/python manage.py seed >/dev/null
  .venv/bin/python manage.py collectstatic --noinput -v0
  .venv/bin/gunicorn transfo.wsgi -w 2 -b 127.0.0.1:$PORT --log-level warning &
  server=$!
  for _ in $(seq 50); do curl -sf -o /dev/null http://127.0.0.1:$PORT/ && break; sleep 0.2; done

  local case_page practice_page
  case_page=$(.venv/bin/python manage.py shell --no-imports -v 0 -c "from cases.models import CaseStudy; print(CaseStudy.objects.published().order_by('slug').first().get_absolute_url())")
  practice_page=$(.venv/bin/python manage.py shell --no-imports -v 0 -c "from practices.models import Practice; print(Practice.objects.published().order_by('slug').first().get_absolute_url())")
  local pages=("/" "/cas/?region=Bretagne" "/recherche/?q=ecole" "$case_page" "$practice_page" "/api/v1/cas/")

  # Starts wrk on every page for SECONDS_RUN seconds, its outputs under $out/$1-<i>.txt.
  read_load() {
    wrk_pids=()
    for i in "${!pages[@]}"; do
      # A response slower than gunicorn's own timeout (30 s) counts as an error; wrk's default
      # of 2 s would count the queueing of a busy shared machine instead.
      wrk -t1 -c4 -d"${SECONDS_RUN}s" --timeout 30s "http://127.0.0.1:$PORT${pages[$i]}" > "$out/$1-$i.txt" &
      wrk_pids+=($!)
    done
  }
  local wrk_pids=()
  read_load reads
  wait "${wrk_pids[@]}" 2>/dev/null || true
  local editor_status=0
  read_load writes
  .venv/bin/python bench/editor.py "$SECONDS_RUN" "http://127.0.0.1:$PORT" "$EDIT_INTERVAL" > "$out/editor.json" || editor_status=$?
  wait "${wrk_pids[@]}" 2>/dev/null || true
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true

  local errors=0
  echo "== $name : ${SECONDS_RUN} s de lectures seules, puis ${SECONDS_RUN} s avec deux éditeurs (un enregistrement par ${EDIT_INTERVAL} s chacun)"
  printf '%-32s %14s %14s %7s %8s\n' page "seules req/s" "écritures" ratio erreurs
  for i in "${!pages[@]}"; do
    local alone busy total=0
    alone=$(grep -oP 'Requests/sec:\s+\K[\d.]+' "$out/reads-$i.txt")
    busy=$(grep -oP 'Requests/sec:\s+\K[\d.]+' "$out/writes-$i.txt")
    for phase in reads writes; do
      local bad sock
      bad=$(grep -oP 'Non-2xx or 3xx responses: \K\d+' "$out/$phase-$i.txt" || echo 0)
      sock=$( { grep -oP 'Socket errors: connect \K\d+, read \d+, write \d+, timeout \d+' "$out/$phase-$i.txt" || true; } | tr -d ',' | awk '{s=$1+$3+$5+$7} END {print s+0}')
      total=$((total + bad + ${sock:-0}))
    done
    errors=$((errors + total))
    printf '%-32s %14s %14s %7s %8s\n' "${pages[$i]}" "$alone" "$busy" "$(awk -v a="$alone" -v b="$busy" 'BEGIN {printf "%.2f", (a > 0 ? b / a : 0)}')" "$total"
  done
  echo "Éditeurs : $(cat "$out/editor.json")"
  echo "Erreurs de lecture : $errors"
  rm -rf "$out"
  [ "$errors" -eq 0 ] && [ "$editor_status" -eq 0 ]
}

for database in ${LOADTEST_DATABASES:-postgresql sqlite}; do
  case $database in
    postgresql)
      start_postgres "${LOADTEST_PGPORT:-54349}"
      run_one PostgreSQL || status=1
      stop_postgres
      unset PGDIR
      ;;
    sqlite)
      sqlite_dir=$(mktemp -d)
      export DATABASE_URL="sqlite:///$sqlite_dir/loadtest.sqlite3"
      run_one SQLite || status=1
      rm -rf "$sqlite_dir"
      ;;
  esac
done
exit $status
