#!/usr/bin/env bash
# make load-scale: issuance and verify-by-code side by side, the embedded
# bbolt store against PostgreSQL with one and two issuer replicas, at a
# thousand and at a million stored constancias (SIZES; BACKENDS picks
# "bbolt", "postgres" or both). Each size's store is first filled by
# cla-load -preload (a synthetic population, signed and audited, no PDFs)
# and copied into PostgreSQL by cla-issuer database migrate; then cla-load runs request-api and verify-api for
# LOADTIME each with LOADCONC clients (between them, the e-mails request-api queued are let drain from
# the outbox, and the e-mails a second recorded), on a status list of 8,388,608 bits
# (national scale) in every case. On PostgreSQL at the largest size
# request-api runs once more while a VACUUM reads every page of the table
# (the database's heaviest routine maintenance). PostgreSQL is a throwaway cluster
# in the temporary folder, with its default durable commits. Ends with
# one table of every run. Needs ~8 KB of disk a constancia a store (16 GB
# at a million on both backends) and, at a million, about twenty minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
LOADTIME="${LOADTIME:-20s}" LOADCONC="${LOADCONC:-8}" SIZES="${SIZES:-1000 1000000}"
BACKENDS="${BACKENDS:-bbolt postgres}"
STATUS_SIZE=8388608
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cla-load-scale.XXXXXX")
pids=()
pgbin=$(dirname "$(readlink -f "$(command -v initdb 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")")
as=()
if [ "$(id -u)" -eq 0 ]; then as=(runuser -u postgres --); fi
stop_issuers() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  pids=()
}
cleanup() {
  stop_issuers
  [ -d "$tmp/pg/data" ] && "${as[@]}" "$pgbin/pg_ctl" -D "$tmp/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  [ -n "${KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
go build -o "$tmp/cla-issuer" ./cmd/cla-issuer
go build -o "$tmp/cla-load" ./tools/cla-load

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 55432)
mkdir -p "$tmp/pg"
[ ${#as[@]} -gt 0 ] && chown postgres: "$tmp/pg" && chmod 755 "$tmp"
"${as[@]}" "$pgbin/initdb" -D "$tmp/pg/data" -U cla --auth=trust -E UTF8 --no-locale >/dev/null
"${as[@]}" "$pgbin/pg_ctl" -D "$tmp/pg/data" -l "$tmp/pg/log" -w start \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $tmp/pg -c max_connections=200 -c shared_buffers=512MB" >/dev/null
psql() { "${as[@]}" "$pgbin/psql" -h 127.0.0.1 -p "$port" -U cla -v ON_ERROR_STOP=1 "$@"; }

# start_issuer DATA [DATABASE]: one issuer on a free loopback port; its
# address is appended to $urls.
start_issuer() {
  local data=$1 db=${2:-} log
  log="$data.$RANDOM.log"
  "$tmp/cla-issuer" -addr 127.0.0.1:0 -data "$data" -status-size "$STATUS_SIZE" -no-rate-limits -log-json \
    ${db:+-database "$db"} >/dev/null 2>"$log" &
  pids+=($!)
  local addr=
  for _ in $(seq 600); do
    addr=$(sed -n 's/.*"msg":"issuer listening".*"addr":"\(127\.0\.0\.1:[0-9]*\)".*/\1/p' "$log" | head -1)
    [ -n "$addr" ] && break
    kill -0 "${pids[-1]}" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.2
  done
  [ -n "$addr" ] || { echo "load-scale: the issuer did not start" >&2; cat "$log" >&2; exit 1; }
  urls="${urls:+$urls,}http://$addr"
}

summary="$tmp/summary"
: >"$summary"
# measure LABEL SCENARIOS: cla-load against $urls, one scenario at a
# time; its tables go to the terminal and its scenario rows, labelled, to
# the summary. After request-api the e-mails it queued are composed (a
# PDF each) and sent in the background: the next scenario starts once the
# outbox is empty, and how long that took is a row of its own.
measure() {
  local label=$1 out="$tmp/out" scen
  echo "== $label: $urls"
  for scen in ${2//,/ }; do
    "$tmp/cla-load" -url "$urls" -duration "$LOADTIME" -c "$LOADCONC" -scenarios "$scen" | tee "$out"
    awk -v l="$label" '$1 ~ /^(request-api|verify-api)$/ {printf "%-34s %-12s %8s %8s %8s %8s %6s\n", l, $1, $5, $6, $8, $9, $10}' "$out" >>"$summary"
    if [ "$scen" = request-api ]; then drain "$label"; fi
  done
}

# drain LABEL: waits until the outbox is empty (the first replica's
# /healthz counts every replica's mail) and records the e-mails a second.
drain() {
  python3 - "${urls%%,*}" "$1" >>"$summary" <<'PY'
import json, sys, time, urllib.request
base, label = sys.argv[1], sys.argv[2]
def queued():
    with urllib.request.urlopen(base + "/healthz", timeout=30) as r:
        return json.load(r)["mail"]["queued"]
q0, t0 = queued(), time.time()
while queued() > 0:
    time.sleep(0.2)
secs = time.time() - t0
if q0 == 0:  # the deliverers kept up with the requests
    print("%-34s %-12s %8s %8s %8s %8s %6s" % (label, "mail-drain", "kept up", "-", "-", "0 s", 0))
else:
    print("%-34s %-12s %8.1f %8s %8s %8s %6s" % (label, "mail-drain", q0 / secs, "-", "-", "%.0f s" % secs, 0))
PY
  tail -1 "$summary" | sed 's/^/load-scale: /'
}

# vacuum_during_load N DB DELAY LABEL: request-api while
# VACUUM (DISABLE_PAGE_SKIPPING, ANALYZE) runs with vacuum_cost_delay
# DELAY; pg_stat_activity sampled every 0.25 s meanwhile. A vacuum still
# running when the load ends is cancelled.
vacuum_during_load() {
  local n=$1 db=$2 delay=$3 label=$4 samples="$tmp/samples.$RANDOM" vac smp
  echo "== PostgreSQL, $n constancias: VACUUM (DISABLE_PAGE_SKIPPING, ANALYZE), vacuum_cost_delay $delay, during request-api"
  ( t0=$(date +%s.%N)
    psql -d "$db" -qc "SET vacuum_cost_delay = '$delay'" -c "VACUUM (DISABLE_PAGE_SKIPPING, ANALYZE) kv" 2>/dev/null || true
    t1=$(date +%s.%N)
    echo "load-scale: VACUUM (cost delay $delay) ran $(awk "BEGIN {printf \"%.1f\", $t1 - $t0}") s" ) &
  vac=$!
  ( while kill -0 "$vac" 2>/dev/null; do
      psql -d "$db" -tAF '|' -c "SELECT to_char(clock_timestamp(), 'HH24:MI:SS.MS'), pid, coalesce(wait_event_type || ':' || wait_event, 'CPU'),
          round(extract(epoch FROM clock_timestamp() - xact_start)::numeric, 3), left(regexp_replace(query, '\s+', ' ', 'g'), 50)
        FROM pg_stat_activity WHERE datname = '$db' AND state <> 'idle' AND pid <> pg_backend_pid()" >>"$samples" 2>/dev/null || true
      sleep 0.25
    done ) &
  smp=$!
  measure "postgres 2 replicas, $n, $label" request-api
  psql -d "$db" -qtAc "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query LIKE 'VACUUM (DISABLE_PAGE_SKIPPING%' AND pid <> pg_backend_pid()" >/dev/null || true
  wait "$vac" "$smp" 2>/dev/null || true
  echo "load-scale: waits sampled during it (event: samples), and the longest transactions seen:"
  # (head ends these pipes early: under pipefail that is SIGPIPE, not a failure)
  { grep -v VACUUM "$samples" | cut -d'|' -f3 | sort | uniq -c | sort -rn | head -8 | sed 's/^/  /'; } || true
  { sort -t'|' -k4 -rn "$samples" | grep -v VACUUM | head -5 | sed 's/^/  /'; } || true
  { grep -E 'checkpoint (starting|complete)' "$tmp/pg/log" | tail -4 | sed 's/^/  /'; } || true
}

largest=0
for n in $SIZES; do [ "$n" -gt "$largest" ] && largest=$n; done
for n in $SIZES; do
  # One synthetic population a size, in a bbolt file; PostgreSQL gets a
  # copy of it through cla-issuer database migrate (COPY), before the
  # bbolt run adds to it.
  seed="$tmp/seed-$n"
  echo "== $n constancias: preloading"
  "$tmp/cla-load" -preload "$n" -data "$seed" -status-size "$STATUS_SIZE"
  echo "load-scale: bbolt file $(du -h "$seed/db_micertificado" | cut -f1)"
  db="cla_$n"
  url="postgres://cla@127.0.0.1:$port/$db?sslmode=disable"
  if [[ " $BACKENDS " == *" postgres "* ]]; then
    psql -d postgres -qc "CREATE DATABASE $db" >/dev/null
    "$tmp/cla-issuer" database migrate -data "$seed" -database "$url" | tail -1
    # After a bulk load, as PostgreSQL's manual says: the visibility map
    # and statistics, so that autovacuum does not do it during the runs.
    psql -d "$db" -qc "VACUUM (ANALYZE)"
    # And written out now: otherwise the checkpoint of the load (GBs)
    # spreads over the next runs, bbolt's included.
    psql -d "$db" -qc "CHECKPOINT"
    sync
    mkdir -p "$tmp/pg-$n-a" "$tmp/pg-$n-b"
    cp -r "$seed/keys" "$seed/secret" "$tmp/pg-$n-a/"
    cp -r "$seed/keys" "$seed/secret" "$tmp/pg-$n-b/"
  fi
  if [[ " $BACKENDS " == *" bbolt "* ]]; then
    urls=; start_issuer "$seed"
    measure "bbolt, $n stored" request-api,verify-api
    stop_issuers
  fi
  rm -rf "$seed"
  [[ " $BACKENDS " == *" postgres "* ]] || continue
  urls=; start_issuer "$tmp/pg-$n-a" "$url"
  measure "postgres 1 replica, $n stored" request-api,verify-api
  # The second replica: the same keys and secret, its own data folder.
  start_issuer "$tmp/pg-$n-b" "$url"
  measure "postgres 2 replicas, $n stored" request-api,verify-api
  if [ "$n" -eq "$largest" ]; then
    # The heaviest routine maintenance: a vacuum that reads every page
    # (as an anti-wraparound vacuum does), with statistics; first as a
    # person typing VACUUM runs it (no cost delay), then as autovacuum
    # runs it (autovacuum_vacuum_cost_delay, 2 ms). What the busy
    # backends wait on is sampled meanwhile, and the checkpoints logged.
    vacuum_during_load "$n" "$db" 0 "VACUUM"
    vacuum_during_load "$n" "$db" 2ms "VACUUM, autovacuum's pace"
  fi
  stop_issuers
  echo "load-scale: database $(psql -d "$db" -tAc "SELECT pg_size_pretty(pg_database_size('$db'))")"
  psql -d postgres -qc "DROP DATABASE $db" >/dev/null
done
echo
echo "load-scale: $LOADTIME a scenario, $LOADCONC clients, status list $STATUS_SIZE bits"
printf "%-34s %-12s %8s %8s %8s %8s %6s\n" run scenario "ops/s" "p50 ms" "p99 ms" "max ms" errors
cat "$summary"
