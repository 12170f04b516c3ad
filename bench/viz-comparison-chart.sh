#!/usr/bin/env bash
# Benchmark of the viz service: the comparison chart of a stored run of 100 variants x 1,000 samples, through
# HTTP against the tests' PostgreSQL (median and p95 of 60 requests, PNG at 150 and 300 dpi, SVG).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./optbench test -pl viz-service -Dtest=ComparisonChartBenchmark -Doptbench.bench=true -Dsurefire.failIfNoSpecifiedTests=false
cat viz-service/target/bench/comparison-chart.txt
