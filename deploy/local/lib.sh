# Shared helpers for the local launcher. Sourced by ./optbench and the scripts beside this file.
# shellcheck shell=bash

OPTBENCH_ROOT=${OPTBENCH_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
OPTBENCH_HOME=${OPTBENCH_HOME:-$OPTBENCH_ROOT/.optbench}
OPTBENCH_CACHE=${OPTBENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/optbench}

say()  { printf '%s\n' "optbench: $*" >&2; }
fail() { printf '%s\n' "optbench: error: $*" >&2; exit 1; }

# The first JDK >= 21 found: JAVA_HOME, then java on PATH, then /usr/lib/jvm.
find_java_home() {
  local candidate version
  for candidate in "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")" /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    version=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    if [ "${version%%.*}" -ge 21 ] 2>/dev/null; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  return 1
}

use_java() {
  JAVA_HOME=$(find_java_home) || fail "no JDK 21 or newer found (set JAVA_HOME, or install one under /usr/lib/jvm)"
  export JAVA_HOME
  export PATH="$JAVA_HOME/bin:$PATH"
}

# Waits until a TCP port accepts connections; returns 1 after the timeout.
wait_for_port() {
  local host=$1 port=$2 timeout_seconds=${3:-60} waited=0
  until (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; do
    [ "$waited" -ge $((timeout_seconds * 10)) ] && return 1
    sleep 0.1
    waited=$((waited + 1))
  done
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

# Whether pid is alive and its command line contains pattern: a pid file never makes us stop a stranger.
pid_runs() {
  pid_alive "${1:-}" && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$2"
}

# Stops a process by pid: TERM, a grace period, then KILL.
stop_pid() {
  local pid=$1 grace_seconds=${2:-20} waited=0
  pid_alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  while pid_alive "$pid" && [ "$waited" -lt $((grace_seconds * 10)) ]; do
    sleep 0.1
    waited=$((waited + 1))
  done
  if pid_alive "$pid"; then
    kill -KILL "$pid" 2>/dev/null || true
  fi
}
