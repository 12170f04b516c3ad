#!/usr/bin/env bash
# OptBench's benchmark of itself: one command, one table (see bench/README.md).
#   bench/run.sh            the full form (about 15 minutes on 2 cores)
#   bench/run.sh --short    the short form CI runs (no timing assertions)
# It measures the stack that runs with this environment (./optbench up), or starts one and stops it afterwards.
# Defaults: OPTBENCH_HOME=.optbench/bench, OPTBENCH_PORT_OFFSET=30000, OPTBENCH_KAFKA_PORT=59092, OPTBENCH_PG_PORT=55432,
# so it stays clear of ./optbench up's own stack and of the tests' infrastructure.
# Other options go to the benchmark: --threads= --trial-repetitions= --trial-requests= --max-tokens= --ingest-repetitions=
# --variants= --samples= --chunk= --query-repetitions= --query-requests= --no-jmh --out=FILE
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export OPTBENCH_HOME=${OPTBENCH_HOME:-$root/.optbench/bench}
export OPTBENCH_PORT_OFFSET=${OPTBENCH_PORT_OFFSET:-30000}
export OPTBENCH_KAFKA_PORT=${OPTBENCH_KAFKA_PORT:-59092}
export OPTBENCH_PG_PORT=${OPTBENCH_PG_PORT:-55432}
# shellcheck source=../deploy/local/lib.sh
source "$root/deploy/local/lib.sh"
use_java
cd "$root"
mkdir -p "$OPTBENCH_HOME/logs"
started=$(date +%s)

build_log=$OPTBENCH_HOME/logs/bench-build.log
classpath_file=$root/bench/platform/target/classpath.txt
# quarkus.build.skip: the services' own jars are ./optbench up's business; this only needs their classes.
./mvnw -B -q -DskipTests -Dquarkus.build.skip=true -pl bench/platform -am package dependency:build-classpath \
  -Dmdep.outputFile="$classpath_file" >"$build_log" 2>&1 || { tail -n 40 "$build_log" >&2; fail "building the benchmark failed; see $build_log"; }

orchestrator_ready() { curl -fsS -o /dev/null "http://127.0.0.1:$((8080 + OPTBENCH_PORT_OFFSET))/q/health/ready" 2>/dev/null; }
if orchestrator_ready; then
  say "bench: measuring the stack that runs in $OPTBENCH_HOME (ports +$OPTBENCH_PORT_OFFSET)"
else
  say "bench: starting a stack in $OPTBENCH_HOME (ports +$OPTBENCH_PORT_OFFSET); it is stopped at the end"
  trap '"$root/optbench" down >>"$OPTBENCH_HOME/logs/bench-stack.log" 2>&1 || true' EXIT
  "$root/optbench" up >>"$OPTBENCH_HOME/logs/bench-stack.log" 2>&1 \
    || { tail -n 30 "$OPTBENCH_HOME/logs/bench-stack.log" >&2; fail "the stack did not come up; see $OPTBENCH_HOME/logs/bench-stack.log"; }
fi

set -a
# shellcheck disable=SC1091
source "$OPTBENCH_HOME/config.env"
set +a
OPTBENCH_LLAMA_BIN_DIR=$("$root/optbench" llama)
export OPTBENCH_LLAMA_BIN_DIR
java -cp "$root/bench/platform/target/classes:$(cat "$classpath_file")" dev.optbench.bench.platform.PlatformBenchmark "$@"
say "bench: finished in $(( $(date +%s) - started )) s"
