#!/usr/bin/env bash
# make load: builds the issuer and tools/cla-load, starts the issuer on a free
# loopback port with a temporary data folder and rate limits off, runs
# cla-load against it for LOADTIME a scenario (default 20s) with LOADCONC
# concurrent clients (default 8), prints the report and stops the issuer.
# SCENARIOS picks some (comma-separated; default all: request-api,
# request-form, verify-api, verify-page, verify-page-flood). It ends with the
# issuer's peak resident memory (VmHWM). Exit status: cla-load's.
set -euo pipefail
cd "$(dirname "$0")/.."
LOADTIME="${LOADTIME:-20s}" LOADCONC="${LOADCONC:-8}" SCENARIOS="${SCENARIOS:-}"
tmp=$(mktemp -d)
pid=
stop() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap stop EXIT
go build -o "$tmp/cla-issuer" ./cmd/cla-issuer
go build -o "$tmp/cla-load" ./tools/cla-load
# Port 0: the kernel picks a free port; the JSON log says which.
"$tmp/cla-issuer" -addr 127.0.0.1:0 -data "$tmp/data" -no-rate-limits -log-json \
  >"$tmp/issuer.out" 2>"$tmp/issuer.log" &
pid=$!
addr=
for _ in $(seq 300); do
  addr=$(sed -n 's/.*"msg":"issuer listening".*"addr":"\(127\.0\.0\.1:[0-9]*\)".*/\1/p' "$tmp/issuer.log" | head -1)
  [ -n "$addr" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.2
done
if [ -z "$addr" ]; then
  echo "load: the issuer did not start" >&2
  cat "$tmp/issuer.log" >&2
  exit 1
fi
for _ in $(seq 50); do
  curl -fs "http://$addr/healthz" >/dev/null && break
  sleep 0.2
done
echo "load: issuer at http://$addr (data in $tmp, rate limits off), $LOADTIME a scenario, $LOADCONC clients"
status=0
"$tmp/cla-load" -url "http://$addr" -duration "$LOADTIME" -c "$LOADCONC" ${SCENARIOS:+-scenarios "$SCENARIOS"} || status=$?
if [ -r "/proc/$pid/status" ]; then
  echo "load: issuer peak RSS $(awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' "/proc/$pid/status")"
fi
if grep -q '"level":"ERROR"' "$tmp/issuer.log"; then
  echo "load: the issuer logged errors:" >&2
  grep '"level":"ERROR"' "$tmp/issuer.log" | head -5 >&2
  status=1
fi
exit $status
