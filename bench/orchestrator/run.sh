#!/usr/bin/env bash
# The orchestrator benchmark: ingestion rate (samples/s through Kafka into PostgreSQL) and GET /api/runs/{id}
# latency for a run of 100 variants × 1000 samples. Runs against the tests' Kafka and PostgreSQL
# (./optbench test-infra up), or those named by OPTBENCH_KAFKA_BOOTSTRAP, OPTBENCH_DB_URL, OPTBENCH_DB_USER and
# OPTBENCH_DB_PASSWORD; it uses a database of its own (optbench_bench) on that server.
# Usage: bench/orchestrator/run.sh [--variants=100] [--samples=1000] [--chunk=100] [--requests=200] [--port=18080]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../../deploy/local/lib.sh
source "$root/deploy/local/lib.sh"
use_java
cd "$root"

./mvnw -q -B -DskipTests install -pl contracts,schema
./mvnw -q -B -DskipTests package -pl orchestrator,bench/orchestrator
classpath_file=$root/bench/orchestrator/target/classpath.txt
./mvnw -q -B -pl bench/orchestrator dependency:build-classpath -Dmdep.outputFile="$classpath_file" >/dev/null
java -cp "$root/bench/orchestrator/target/classes:$(cat "$classpath_file")" dev.optbench.bench.orchestrator.OrchestratorBenchmark "$@"
