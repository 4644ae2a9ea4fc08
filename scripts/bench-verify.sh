#!/usr/bin/env bash
# Load test of verify-by-code over HTTP (issue 4): wrk against the running
# issuer's /api/v1/constancias/{code}, then against a bare net/http handler
# returning a fixed JSON body (the baseline), on this machine, same settings.
# Prints both and the ratio. Needs wrk (Debian package).
set -euo pipefail
cd "$(dirname "$0")/.."
DUR="${DUR:-10s}" CONNS="${CONNS:-50}" THREADS="${THREADS:-2}"
command -v wrk >/dev/null || { echo "bench-verify: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
go build -o "$tmp/cla-issuer" ./cmd/cla-issuer
go build -o "$tmp/bare" ./tools/bench/bare
"$tmp/cla-issuer" -addr 127.0.0.1:18098 -data "$tmp/data" -no-rate-limits >"$tmp/issuer.out" 2>"$tmp/issuer.log" &
"$tmp/bare" -addr 127.0.0.1:18099 &
for _ in $(seq 100); do grep -q "ready" "$tmp/issuer.out" 2>/dev/null && break; sleep 0.2; done
# One constancia to look up: the first demo identity.
code=$(curl -s -X POST -H 'Content-Type: application/json' http://127.0.0.1:18098/api/v1/solicitudes -d '{
  "requester":"adult","email":"bench@example.pe","accept_terms":"2026-11",
  "student":{"doc_type":"DNI","doc_number":"26380187","father_names":"FERNANDO SEBASTIÁN","mother_names":"LUZ","ubigeo":"110101"}}' |
  sed -n 's/.*"code": *"\([0-9A-Z-]*\)".*/\1/p')
[ -n "$code" ] || { echo "bench-verify: could not issue a constancia" >&2; cat "$tmp/issuer.log" >&2; exit 1; }
run() { wrk -t"$THREADS" -c"$CONNS" -d"$DUR" --latency "$1"; }
echo "== issuer: GET /api/v1/constancias/$code"
issuer=$(run "http://127.0.0.1:18098/api/v1/constancias/$code"); echo "$issuer"
echo "== baseline: bare net/http handler, fixed JSON"
bare=$(run "http://127.0.0.1:18099/"); echo "$bare"
rps() { echo "$1" | awk '/Requests\/sec/ {print $2}'; }
p99() { echo "$1" | awk '/ 99%/ {print $2}'; }
echo
printf 'issuer %s req/s (p99 %s), bare %s req/s (p99 %s), ratio %.2f (goal >= 0.30, p99 <= 10 ms)\n' \
  "$(rps "$issuer")" "$(p99 "$issuer")" "$(rps "$bare")" "$(p99 "$bare")" \
  "$(echo "$(rps "$issuer") $(rps "$bare")" | awk '{print $1/$2}')"
