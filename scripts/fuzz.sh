#!/usr/bin/env bash
# Runs every fuzz target of the module for FUZZTIME each (default 30s).
# FUZZMINTIME bounds the minimisation of each new interesting input
# (default 10s; Go's own default of 60s can eat a short run whole when one
# execution is slow, as with the form handlers).
set -euo pipefail
fuzztime="${FUZZTIME:-30s}"
mintime="${FUZZMINTIME:-10s}"
status=0
for pkg in $(go list ./...); do
  for target in $(go test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz' || true); do
    echo "== $pkg $target ($fuzztime)"
    if ! go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" -fuzzminimizetime "$mintime" "$pkg"; then
      status=1
    fi
  done
done
exit $status
