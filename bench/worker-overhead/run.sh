#!/usr/bin/env bash
# The worker's own cost on the generated model: per-request harness overhead (median over 100 requests) and a
# trial's dead time. Prints the figures; never asserts on them. Options: REQUESTS=100 MAX_TOKENS=32.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
"$ROOT/optbench" test -pl worker -Dtest=HarnessOverheadBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Drequests="${REQUESTS:-100}" -DmaxTokens="${MAX_TOKENS:-32}" >"$ROOT/worker/target/worker-overhead-build.log" 2>&1 \
  || { tail -n 40 "$ROOT/worker/target/worker-overhead-build.log" >&2; exit 1; }
cat "$ROOT/worker/target/worker-overhead.txt"
