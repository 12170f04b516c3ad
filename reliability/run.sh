#!/usr/bin/env bash
# The reliability and security suite in its full form: every process fault three times, a Kafka broker away for
# 90 s, the judge service and the judge model each stopped for a run, 100 runs submitted at once, the hostile-spec
# corpus, access and loopback checks, all against a stack of its own (.optbench/reliability, ports +20000, Kafka
# 49092, PostgreSQL 45432). Prints the table of figures. About 18 minutes on an idle 2-core machine.
# Usage: reliability/run.sh [--ci]   (--ci: the reduced form that ./optbench test runs)
set -euo pipefail

OPTBENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../deploy/local/lib.sh
source "$OPTBENCH_ROOT/deploy/local/lib.sh"

form=full
case "${1:-}" in
  --ci) form=ci ;;
  "") ;;
  *) fail "usage: reliability/run.sh [--ci]" ;;
esac
use_java
out="$OPTBENCH_ROOT/reliability/target/reliability"
started=$(date +%s)
status=0
# -am builds what the suite's module needs; -Dtest keeps the other modules' tests out of it.
"$OPTBENCH_ROOT/mvnw" -B -f "$OPTBENCH_ROOT/pom.xml" verify -pl reliability -am -Dtest=StackReliabilityTest \
  -Dsurefire.failIfNoSpecifiedTests=false -Dreliability.form="$form" || status=$?

table() {
  [ -f "$1" ] || return 0
  echo
  echo "$2"
  column -t -s $'\t' "$1"
}
table "$out/scenarios.tsv" "Faults ($form form): after recovery every trial stored exactly once, or FAILED with its reason"
table "$out/bad-input.tsv" "Bad input: generated hostile run specs against the stack"
table "$out/load.tsv" "Load: small runs submitted at once"
if [ -f "$out/worker-kills.txt" ]; then
  echo
  echo "Worker kills (deploy/local/scaling-test.sh: the trials' spread over the workers, the kill, the checks)"
  cat "$out/worker-kills.txt"
fi
echo
say "reliability suite ($form form) finished in $(( $(date +%s) - started )) s with status $status; stack log: $out/stack.log"
exit "$status"
