#!/usr/bin/env bash
# The scaling proof on one machine, against a stack started with ./optbench up --workers 3 (or more):
# a run's trials spread over the workers of one pool (seen before the kill, so no failover counts); the worker
# of a trial in progress is killed (the JVM and its llama-server, with SIGKILL, as a machine loss would); another
# worker runs that trial again, and the stored run has exactly one set of samples for it. Prints how many trials
# each worker ran.
# Usage: deploy/local/scaling-test.sh   (reads the API key from $OPTBENCH_HOME/config.env)
set -euo pipefail

OPTBENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=deploy/local/lib.sh
source "$OPTBENCH_ROOT/deploy/local/lib.sh"
# shellcheck source=deploy/local/services.sh
source "$OPTBENCH_ROOT/deploy/local/services.sh"

api=http://127.0.0.1:$(service_port orchestrator)
timeout_seconds=${OPTBENCH_SCALING_TIMEOUT:-1800}
command -v jq >/dev/null 2>&1 || fail "the scaling test needs jq (apt-get install jq)"
# shellcheck disable=SC1091
source "$OPTBENCH_HOME/config.env"

workers=()
while read -r instance; do
  pid_runs "$(cat "$OPTBENCH_HOME/pids/$instance.pid" 2>/dev/null)" "$(service_jar "$instance")" && workers+=("$instance")
done < <(recorded_worker_instances)
[ ${#workers[@]} -ge 3 ] || fail "the scaling test needs 3 workers running (./optbench up --workers 3); found ${#workers[@]}"

passed=0
failed=0
check() {
  local what=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
    say "ok: $what"
  else
    failed=$((failed + 1))
    say "FAILED: $what"
  fi
}

# Sixteen trials of the tiny model, each long enough (16 requests) to be caught in progress. Jobs are keyed by trial
# id over the pool topic's 4 partitions, which 3 workers share 2/1/1, so a run's trials all land on one worker with
# probability 2^-n + 2*4^-n: 1.6 % for six trials (a flaky spread check), 1.5e-5 for sixteen.
trials=16
spec=$(jq -n --argjson trials "$trials" '{
  name: "scaling-test", pool: "cpu",
  models: [{ref: "synthetic:tiny"}],
  baseline: {name: "Baseline", flags: {}},
  variants: [range(1; $trials) | {name: "ctx \(. * 64 + 512)", flags: {"--ctx-size": (. * 64 + 512)}}],
  workload: {prompts: "builtin:assistant-mix", rounds: 1, repetitions: 2, maxTokens: 32, temperature: 0, seed: 42,
             concurrency: [1]},
  quality: {judge: false}
}')
run=$(curl -fsS -X POST "$api/api/runs" -H 'Content-Type: application/json' -H "X-API-Key: $OPTBENCH_API_KEY" -d "$spec") \
  || fail "POST /api/runs refused the run"
run_id=$(jq -r .id <<<"$run")
say "run $run_id: $(jq '.trials | length' <<<"$run") trials on ${#workers[@]} workers (${workers[*]})"

detail() { curl -fsS "$api/api/runs/$run_id"; }
deadline=$(( $(date +%s) + timeout_seconds ))

# Wait until the run's trials have started on two workers (or 30 s have passed: then they did not spread) and a trial
# has stored some of its samples but not all, then kill that trial's worker. The spread is read before the kill, as
# the failover moves the killed worker's queued trials to the others.
spread_deadline=$(( $(date +%s) + 30 ))
while :; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "no trial was caught in progress within ${timeout_seconds} s"
  state=$(detail)
  started_on=$(jq -c '[.trials[] | .workerId // empty] | unique' <<<"$state")
  victim=$(jq -c '[.trials[] | select(.status == "RUNNING" and .samplesDone != null and .samplesTotal != null
                              and .samplesDone > 0 and .samplesDone < .samplesTotal)] | first // empty' <<<"$state")
  if [ -n "$victim" ] && { [ "$(jq length <<<"$started_on")" -ge 2 ] || [ "$(date +%s)" -ge "$spread_deadline" ]; }; then
    break
  fi
  sleep 0.2
done
victim_trial=$(jq -r .id <<<"$victim")
victim_worker=$(jq -r .workerId <<<"$victim")
spread=$(jq length <<<"$started_on")
say "before the kill, trials started on $spread workers: $(jq -r 'join(", ")' <<<"$started_on")"
victim_instance=""
for instance in "${workers[@]}"; do
  [ "$victim_worker" = "$(hostname)-$instance" ] && victim_instance=$instance
done
[ -n "$victim_instance" ] || fail "trial $victim_trial runs on $victim_worker, which is none of ${workers[*]}"
victim_pid=$(cat "$OPTBENCH_HOME/pids/$victim_instance.pid")
children=$(pgrep -P "$victim_pid" || true)
say "killing $victim_instance (pid $victim_pid${children:+, llama-server $children}) during trial $victim_trial ($(jq -r '"\(.samplesDone)/\(.samplesTotal)"' <<<"$victim") samples)"
# shellcheck disable=SC2086
kill -KILL "$victim_pid" $children

# Wait for every trial to end.
while :; do
  state=$(detail)
  [ "$(jq '[.trials[] | select(.status == "SUCCEEDED" or .status == "FAILED" or .status == "CANCELLED")] | length' <<<"$state")" \
    = "$(jq '.trials | length' <<<"$state")" ] && break
  [ "$(date +%s)" -lt "$deadline" ] || { jq -c '.trials[] | {id, status, workerId, samplesDone, samplesTotal}' <<<"$state" >&2; fail "the run did not finish within ${timeout_seconds} s"; }
  sleep 1
done

final=$(jq -c --arg t "$victim_trial" '.trials[] | select(.id == $t)' <<<"$state")
samples_total=$(jq .samplesTotal <<<"$final")
samples=$(curl -fsS "$api/api/runs/$run_id/samples?trial=$victim_trial&size=1000")
stored=$(jq '.items | length' <<<"$samples")
distinct=$(jq '[.items[].sampleId] | unique | length' <<<"$samples")
# Trials each worker ran: the last worker the orchestrator recorded for each trial, plus the killed worker's attempt.
per_worker=""
for instance in "${workers[@]}"; do
  ran=$(jq --arg w "$(hostname)-$instance" --arg v "$victim_worker" \
    '[.trials[] | select(.workerId == $w)] | length + (if $w == $v then 1 else 0 end)' <<<"$state")
  per_worker+="${per_worker:+, }$instance $ran"
done
say "trials per worker (the killed attempt included): $per_worker;" \
  "$(jq '[.trials[].attempts] | add' <<<"$state") attempts for $(jq '.trials | length' <<<"$state") trials"

check "every trial succeeded" test "$(jq '[.trials[] | select(.status != "SUCCEEDED")] | length' <<<"$state")" -eq 0
check "the trials spread over $spread workers before the kill" test "$spread" -ge 2
check "another worker finished the killed trial ($(jq -r .workerId <<<"$final"))" test "$(jq -r .workerId <<<"$final")" != "$victim_worker"
check "the killed trial was attempted again ($(jq .attempts <<<"$final") attempts)" test "$(jq .attempts <<<"$final")" -ge 2
check "one set of results: $stored samples stored for $samples_total planned, $distinct distinct" \
  test "$stored" -eq "$samples_total" -a "$distinct" -eq "$samples_total"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
