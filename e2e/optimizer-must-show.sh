#!/usr/bin/env bash
# The optimizer's must-show on this machine, on its own (./optbench test runs the same test): a search and the whole
# grid over 32 configurations of the generated model, through a stack of its own (.optbench/optimizer, ports +40000,
# Kafka 52092, PostgreSQL 52432).
# Prints the trials spent, the pick, the grid's best and the roofline share of each (also in
# e2e/target/optimizer-must-show.txt); the progress chart lands in e2e/target/optimizer-progress.png.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
if [ -z "${JAVA_HOME:-}" ]; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64; do
    [ -x "$candidate/bin/java" ] && export JAVA_HOME=$candidate && break
  done
fi
./mvnw -B -q -DskipTests install -pl e2e -am
status=0
./mvnw -B verify -pl e2e -Dtest=OptimizerEndToEndTest -Dsurefire.failIfNoSpecifiedTests=false "$@" || status=$?
echo
echo "== optimizer must-show figures (e2e/target/optimizer-must-show.txt) =="
cat e2e/target/optimizer-must-show.txt 2>/dev/null || echo "no figures were written"
exit "$status"
