#!/usr/bin/env bash
# Make sure a PostgreSQL server is reachable for the storage tests and print its admin URL.
# Order: $TT_TEST_PG_URL if set and reachable; the local server on 127.0.0.1:5432 as postgres;
# else a throw-away cluster of our own on port 55432 (installing PostgreSQL as root if needed).
set -euo pipefail

try() { psql "$1" -qtAc 'select 1' >/dev/null 2>&1; }
to_sqlalchemy() { echo "${1/postgresql:\/\//postgresql+psycopg://}"; }

if [ -n "${TT_TEST_PG_URL:-}" ]; then
  plain="${TT_TEST_PG_URL/+psycopg/}"
  if try "$plain"; then echo "$TT_TEST_PG_URL"; exit 0; fi
fi
local_url="postgresql://postgres@127.0.0.1:5432/postgres"
if command -v psql >/dev/null && try "$local_url"; then to_sqlalchemy "$local_url"; exit 0; fi

# Start the machine's own cluster if it exists but is stopped.
if command -v pg_ctlcluster >/dev/null && [ "$(id -u)" -eq 0 ] && ls /etc/postgresql/*/main >/dev/null 2>&1; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start >&2 || true
  if try "$local_url"; then to_sqlalchemy "$local_url"; exit 0; fi
fi

own_url="postgresql://postgres@127.0.0.1:55432/postgres"
if try "$own_url"; then to_sqlalchemy "$own_url"; exit 0; fi
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "PostgreSQL missing. Run: sudo apt-get install -y postgresql" >&2; exit 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2
fi
bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")
data=/var/tmp/tt-test-pg
run=()
if [ "$(id -u)" -eq 0 ]; then run=(runuser -u postgres --); fi
if [ ! -f "$data/PG_VERSION" ]; then
  mkdir -p "$data"; [ "$(id -u)" -eq 0 ] && chown postgres "$data"
  "${run[@]}" "$bin/initdb" -D "$data" -A trust -U postgres >&2
fi
"${run[@]}" "$bin/pg_ctl" -D "$data" -l "$data/log" -w \
  -o "-p 55432 -c listen_addresses=127.0.0.1 -k /tmp" start >&2
to_sqlalchemy "$own_url"
