#!/usr/bin/env bash
# `make audit`: serve the seeded site as `make run` does, then run Lighthouse on three pages.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-8765}"
out=test-results/lighthouse
mkdir -p "$out"
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

set -a; . ./.env.local; set +a
export $(make -s serve-settings)
export DATABASE_URL="sqlite:///$work/audit.sqlite3" DJANGO_STATIC_ROOT="$work/static"
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py seed >/dev/null
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/gunicorn transfo.wsgi --bind "127.0.0.1:$port" --workers 2 --log-level warning &
server=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.3; done

case_path=$(.venv/bin/python manage.py shell -c "from cases.models import CaseStudy; print(CaseStudy.objects.published().order_by('pk').first().get_absolute_url())" 2>/dev/null | tail -1)
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
for page in "accueil /" "liste-cas /cas/" "cas $case_path"; do
  set -- $page
  node_modules/.bin/lighthouse "http://127.0.0.1:$port$2" --quiet --output=json --output=html \
    --output-path="$out/$1" --chrome-flags="--headless=new --no-sandbox" \
    --only-categories=performance,accessibility,best-practices,seo
  node -e '
    const r = require(process.argv[1]);
    const s = Object.values(r.categories).map(c => `${c.title} ${Math.round(c.score * 100)}`);
    console.log(process.argv[2].padEnd(10), s.join(" · "));
  ' "$PWD/$out/$1.report.json" "$1"
done
