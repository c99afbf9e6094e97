#!/usr/bin/env bash
# `make loadtest`: 60 s of concurrent reads (wrk) while an editor saves and publishes records;
# zero errors and zero lost writes, or a non-zero exit.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
command -v wrk >/dev/null || { as_root apt-get update -qq; DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq wrk >/dev/null; }

make install
source .ci/postgres.sh
start_postgres "${LOADTEST_PGPORT:-54349}"

export DJANGO_DEBUG=False DJANGO_SECRET_KEY=loadtest-only-not-a-secret DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_STATIC_ROOT="$PGDIR/static"
SECONDS_RUN=${LOADTEST_SECONDS:-60}
PORT=8766

.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py seed >/dev/null
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/gunicorn transfo.wsgi -w 2 -b 127.0.0.1:$PORT --log-level warning &
server=$!
trap 'kill $server 2>/dev/null || true; stop_postgres' EXIT
for _ in $(seq 50); do curl -sf -o /dev/null http://127.0.0.1:$PORT/ && break; sleep 0.2; done

case_page=$(.venv/bin/python manage.py shell --no-imports -v 0 -c "from cases.models import CaseStudy; print(CaseStudy.objects.published().order_by('slug').first().get_absolute_url())")
practice_page=$(.venv/bin/python manage.py shell --no-imports -v 0 -c "from practices.models import Practice; print(Practice.objects.published().order_by('slug').first().get_absolute_url())")
pages=("/" "/cas/?region=Bretagne" "/recherche/?q=ecole" "$case_page" "$practice_page" "/api/v1/cas/")
out=$(mktemp -d)
for i in "${!pages[@]}"; do
  wrk -t1 -c4 -d"${SECONDS_RUN}s" "http://127.0.0.1:$PORT${pages[$i]}" > "$out/wrk-$i.txt" &
done
editor_status=0
.venv/bin/python bench/editor.py "$SECONDS_RUN" > "$out/editor.json" || editor_status=$?
wait $(jobs -p | grep -v "^$server$") 2>/dev/null || true

errors=0
printf '%-32s %10s %10s\n' page "req/s" erreurs
for i in "${!pages[@]}"; do
  rps=$(grep -oP 'Requests/sec:\s+\K[\d.]+' "$out/wrk-$i.txt")
  bad=$(grep -oP 'Non-2xx or 3xx responses: \K\d+' "$out/wrk-$i.txt" || echo 0)
  sock=$( { grep -oP 'Socket errors: connect \K\d+, read \d+, write \d+, timeout \d+' "$out/wrk-$i.txt" || true; } | tr -d ',' | awk '{s=$1+$3+$5+$7} END {print s+0}')
  total=$((bad + ${sock:-0}))
  errors=$((errors + total))
  printf '%-32s %10s %10s\n' "${pages[$i]}" "$rps" "$total"
done
echo "Éditeur : $(cat "$out/editor.json")"
echo "Erreurs de lecture : $errors"
[ "$errors" -eq 0 ] && [ "$editor_status" -eq 0 ]
