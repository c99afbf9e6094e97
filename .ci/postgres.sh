# A throwaway PostgreSQL 15 cluster on 127.0.0.1, for CI and benchmarks (source this file).
# `start_postgres PORT` starts it, exports DATABASE_URL and stops it when the shell exits.
PGBIN=/usr/lib/postgresql/15/bin

start_postgres() {
  local port=$1
  PGDIR=$(mktemp -d)
  chown postgres "$PGDIR"
  trap stop_postgres EXIT
  runuser -u postgres -- "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U postgres -E UTF8 >/dev/null
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDIR/data" -w -l "$PGDIR/log" \
    -o "-h 127.0.0.1 -p $port -k $PGDIR -c fsync=off -c full_page_writes=off -c synchronous_commit=off" start >/dev/null
  export DATABASE_URL="postgres://postgres@127.0.0.1:$port/transfo"
  runuser -u postgres -- "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U postgres transfo
}

stop_postgres() {
  [ -n "${PGDIR:-}" ] || return 0
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PGDIR"
}
