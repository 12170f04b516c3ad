# The four OptBench services as local Java processes, built with the Maven wrapper.
# shellcheck shell=bash

SERVICES=(orchestrator:8080 worker:8081 judge:8082 viz-service:8083)
# Added to every service port, so a second stack (e.g. the end-to-end test's) can run beside the first.
OPTBENCH_PORT_OFFSET=${OPTBENCH_PORT_OFFSET:-0}

# Extra workers of the same pool (./optbench up --workers N) are instances worker-2, worker-3, ... of the
# worker module on ports 8091, 8092, ...; each has its own worker id, work directory, pid file and log.
WORKER_INSTANCE_PORT_BASE=8089

service_port() {
  local entry
  if [[ $1 =~ ^worker-([0-9]+)$ ]]; then
    echo $((WORKER_INSTANCE_PORT_BASE + BASH_REMATCH[1] + OPTBENCH_PORT_OFFSET))
    return 0
  fi
  for entry in "${SERVICES[@]}"; do
    [ "${entry%%:*}" = "$1" ] && { echo $((${entry##*:} + OPTBENCH_PORT_OFFSET)); return 0; }
  done
  return 1
}

service_url() { printf 'http://127.0.0.1:%s\n' "$(service_port "$1")"; }

# The module an instance runs: worker-2 runs the worker module.
service_module() {
  if [[ $1 =~ ^worker-[0-9]+$ ]]; then echo worker; else echo "$1"; fi
}

# worker, worker-2, ... worker-N.
worker_instances() {
  local count=$1 i
  echo worker
  for ((i = 2; i <= count; i++)); do echo "worker-$i"; done
}

# The worker instances that have a pid file, in order: worker, worker-2, worker-3, ...
recorded_worker_instances() {
  local file name
  echo worker
  for file in "$OPTBENCH_HOME"/pids/worker-*.pid; do
    [ -e "$file" ] || continue
    name=$(basename "$file" .pid)
    [[ $name =~ ^worker-[0-9]+$ ]] && echo "$name"
  done | sort -t- -k2 -n
}

service_jar() { printf '%s\n' "$OPTBENCH_ROOT/$(service_module "$1")/target/quarkus-app/quarkus-run.jar"; }

# Builds the services when a jar is missing or a source or pom is newer than it.
services_build() {
  local entry module jar stale=""
  for entry in "${SERVICES[@]}"; do
    module=${entry%%:*}
    jar=$(service_jar "$module")
    if [ ! -f "$jar" ] || [ -n "$(find "$OPTBENCH_ROOT/pom.xml" "$OPTBENCH_ROOT/$module" "$OPTBENCH_ROOT/contracts" "$OPTBENCH_ROOT/gguf" \
        -path '*/target' -prune -o -type f -newer "$jar" -print -quit 2>/dev/null)" ]; then
      stale="$stale $module"
    fi
  done
  [ -z "$stale" ] && return 0
  local log="$OPTBENCH_HOME/logs/build.log" started
  started=$(date +%s)
  say "building the services with Maven (changed:$stale); log: $log"
  "$OPTBENCH_ROOT/mvnw" -B -q -DskipTests package -f "$OPTBENCH_ROOT/pom.xml" >"$log" 2>&1 \
    || { tail -n 30 "$log" >&2; fail "the Maven build failed; see $log"; }
  say "services built in $(( $(date +%s) - started )) s"
}

service_start() {
  local module=$1 port pid_file log pid started
  port=$(service_port "$module") || fail "unknown service '$module'"
  pid_file="$OPTBENCH_HOME/pids/$module.pid"
  log="$OPTBENCH_HOME/logs/$module.log"
  if pid_runs "$(cat "$pid_file" 2>/dev/null)" "$(service_jar "$module")"; then
    say "$module already runs (pid $(cat "$pid_file")) on http://127.0.0.1:$port"
    return 0
  fi
  port_in_use "$port" && fail "port $port for $module is taken by another program"
  local instance_env=(QUARKUS_HTTP_PORT="$port")
  if [ "$(service_module "$module")" = worker ]; then
    # One machine, no network between the parts: a worker silent for 10 s has crashed, so its trial goes elsewhere sooner.
    instance_env+=(OPTBENCH_WORKER_ID="$(hostname)-$module" OPTBENCH_WORKER_SESSION_TIMEOUT="${OPTBENCH_WORKER_SESSION_TIMEOUT:-10s}")
  fi
  if [ "$module" = judge ]; then
    # Judgements kept across restarts of the judge, so a restart never asks the judge model the same question again.
    instance_env+=(OPTBENCH_JUDGE_CACHE_FILE="${OPTBENCH_JUDGE_CACHE_FILE:-$OPTBENCH_HOME/judge-cache.jsonl}")
  fi
  if [ "$module" != "$(service_module "$module")" ]; then
    instance_env+=(OPTBENCH_WORK_DIR="$OPTBENCH_HOME/work-$module")
    mkdir -p "$OPTBENCH_HOME/work-$module"
  fi
  started=$(date +%s%N)
  nohup env "${instance_env[@]}" java -Xmx${OPTBENCH_SERVICE_HEAP:-384m} -XX:+UseSerialGC -XX:TieredStopAtLevel=${OPTBENCH_TIERED_STOP:-4} \
    -jar "$(service_jar "$module")" >"$log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$pid_file"
  local waited=0
  until curl -fsS -o /dev/null "http://127.0.0.1:$port/q/health/ready" 2>/dev/null; do
    if ! pid_alive "$pid"; then
      tail -n 20 "$log" >&2
      fail "$module exited during start; see $log"
    fi
    [ "$waited" -ge 1200 ] && { tail -n 20 "$log" >&2; fail "$module was not ready within 120 s; see $log"; }
    sleep 0.1
    waited=$((waited + 1))
  done
  say "$module ready on http://127.0.0.1:$port in $(( ($(date +%s%N) - started) / 1000000 )) ms (pid $pid, log $log)"
}

service_stop() {
  local module=$1 pid_file
  pid_file="$OPTBENCH_HOME/pids/$module.pid"
  if pid_runs "$(cat "$pid_file" 2>/dev/null)" "$(service_jar "$module")"; then
    stop_pid "$(cat "$pid_file")" 30
    say "$module stopped"
  fi
  rm -f "$pid_file"
}

service_status() {
  local module=$1 port pid health
  port=$(service_port "$module")
  pid=$(cat "$OPTBENCH_HOME/pids/$module.pid" 2>/dev/null || true)
  if pid_runs "$pid" "$(service_jar "$module")"; then
    health=$(curl -s "http://127.0.0.1:$port/q/health" 2>/dev/null | sed -n 's/.*"status" *: *"\([A-Z]*\)".*/\1/p' | head -n 1)
    printf '%-12s up    pid %s  http://127.0.0.1:%s  health %s\n' "$module" "$pid" "$port" "${health:-unknown}"
  else
    printf '%-12s down\n' "$module"
  fi
}
