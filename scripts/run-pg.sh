#!/usr/bin/env bash
# make run-pg: the issuer on a local PostgreSQL, to try the database
# backend: a cluster in data-pg/ (made on first run, kept), started on
# 127.0.0.1:5433 for as long as the issuer runs, then stopped. As root the
# cluster runs as the postgres user (PostgreSQL refuses root).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bin=$(dirname "$(readlink -f "$(command -v initdb 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")")
dir="$root/data-pg"
port="${CLA_PG_PORT:-5433}"
as=()
if [ "$(id -u)" -eq 0 ]; then as=(runuser -u postgres --); fi
if [ ! -d "$dir/data" ]; then
  mkdir -p "$dir"
  [ ${#as[@]} -gt 0 ] && chown postgres: "$dir"
  "${as[@]}" "$bin/initdb" -D "$dir/data" -U cla --auth=trust -E UTF8 --no-locale >/dev/null
fi
"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w start \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir" >/dev/null
trap '"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -w stop >/dev/null' EXIT
"${as[@]}" "$bin/psql" -h 127.0.0.1 -p "$port" -U cla -d postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname = 'cla'" | grep -q 1 ||
  "${as[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U cla cla
echo "run-pg: PostgreSQL at 127.0.0.1:$port (data-pg/); the issuer's records are there"
CLA_DATABASE_URL="postgres://cla@127.0.0.1:$port/cla?sslmode=disable" go run ./cmd/cla-issuer "$@"
