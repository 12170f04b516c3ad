# The local judge model: a second llama-server on the model at hand (the tiny model by default), serving the
# judge service's OpenAI-compatible calls. Skipped when OPTBENCH_JUDGE_BASE_URL names a judge of your own.
# shellcheck shell=bash

OPTBENCH_JUDGE_LLM_PORT=${OPTBENCH_JUDGE_LLM_PORT:-$((8099 + ${OPTBENCH_PORT_OFFSET:-0}))}

judge_llm_configured_elsewhere() { [ -n "${OPTBENCH_JUDGE_BASE_URL:-}" ] && [ -z "${OPTBENCH_JUDGE_LLM_STARTED:-}" ]; }

judge_llm_start() {
  local model=${OPTBENCH_JUDGE_LLM_MODEL:-$OPTBENCH_MODELS_DIR/tiny-llama-f16.gguf}
  local pid_file="$OPTBENCH_HOME/pids/judge-llm.pid" log="$OPTBENCH_HOME/logs/judge-llm.log" pid started
  export OPTBENCH_JUDGE_ORCHESTRATOR_URL=${OPTBENCH_JUDGE_ORCHESTRATOR_URL:-$(service_url orchestrator)}
  if judge_llm_configured_elsewhere; then
    say "judge model: ${OPTBENCH_JUDGE_PROVIDER:-ollama} at $OPTBENCH_JUDGE_BASE_URL (configured)"
    return 0
  fi
  # The judge service finds its model through these; the judge waits while any trial runs (one machine).
  export OPTBENCH_JUDGE_PROVIDER=openai
  export OPTBENCH_JUDGE_BASE_URL=http://127.0.0.1:$OPTBENCH_JUDGE_LLM_PORT/v1
  export OPTBENCH_JUDGE_MODEL=${OPTBENCH_JUDGE_MODEL:-$(basename "$model" .gguf)}
  export OPTBENCH_JUDGE_WAIT_FOR_IDLE_TRIALS=${OPTBENCH_JUDGE_WAIT_FOR_IDLE_TRIALS:-true}
  export OPTBENCH_JUDGE_LLM_STARTED=1
  # Judging runs only while no trial does, so the judge model may use every core and two slots at once.
  export OPTBENCH_JUDGE_CONCURRENCY=${OPTBENCH_JUDGE_CONCURRENCY:-2}
  if pid_runs "$(cat "$pid_file" 2>/dev/null)" "--port $OPTBENCH_JUDGE_LLM_PORT"; then
    if [ "$(cat "$OPTBENCH_HOME/pids/judge-llm.model" 2>/dev/null)" = "$model" ]; then
      say "judge model already served (pid $(cat "$pid_file")) on http://127.0.0.1:$OPTBENCH_JUDGE_LLM_PORT"
      return 0
    fi
    # Another model is asked for: the judge service names its judge at start, so it starts again too.
    say "the judge model changes to $(basename "$model"): restarting the judge's llama-server and the judge service"
    judge_llm_stop
    service_stop judge
  fi
  [ -f "$model" ] || fail "the judge model $model does not exist; set OPTBENCH_JUDGE_LLM_MODEL or OPTBENCH_JUDGE_BASE_URL"
  port_in_use "$OPTBENCH_JUDGE_LLM_PORT" && fail "port $OPTBENCH_JUDGE_LLM_PORT for the judge model is taken; set OPTBENCH_JUDGE_LLM_PORT"
  started=$(date +%s%N)
  # --no-jinja: the JSON-schema verdicts the judge asks for need the built-in template path.
  nohup "$OPTBENCH_LLAMA_BIN_DIR/llama-server" --model "$model" --host 127.0.0.1 --port "$OPTBENCH_JUDGE_LLM_PORT" \
    --threads "${OPTBENCH_JUDGE_LLM_THREADS:-$(nproc)}" --ctx-size "${OPTBENCH_JUDGE_LLM_CTX:-4096}" \
    --parallel "$OPTBENCH_JUDGE_CONCURRENCY" --no-jinja \
    >"$log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$pid_file"
  printf '%s\n' "$model" >"$OPTBENCH_HOME/pids/judge-llm.model"
  local waited=0
  until curl -fsS -o /dev/null "http://127.0.0.1:$OPTBENCH_JUDGE_LLM_PORT/health" 2>/dev/null; do
    pid_alive "$pid" || { tail -n 20 "$log" >&2; fail "the judge model's llama-server exited during start; see $log"; }
    [ "$waited" -ge 1200 ] && fail "the judge model's llama-server was not ready within 120 s; see $log"
    sleep 0.1
    waited=$((waited + 1))
  done
  say "judge model $(basename "$model") served on http://127.0.0.1:$OPTBENCH_JUDGE_LLM_PORT in $(( ($(date +%s%N) - started) / 1000000 )) ms (pid $pid, log $log)"
}

judge_llm_stop() {
  local pid_file="$OPTBENCH_HOME/pids/judge-llm.pid"
  if pid_runs "$(cat "$pid_file" 2>/dev/null)" "--port $OPTBENCH_JUDGE_LLM_PORT"; then
    stop_pid "$(cat "$pid_file")" 20
    say "judge model stopped"
  fi
  rm -f "$pid_file" "$OPTBENCH_HOME/pids/judge-llm.model"
}

judge_llm_status() {
  local pid
  pid=$(cat "$OPTBENCH_HOME/pids/judge-llm.pid" 2>/dev/null || true)
  if pid_runs "$pid" "--port $OPTBENCH_JUDGE_LLM_PORT"; then
    printf '%-12s up    pid %s  http://127.0.0.1:%s  (llama-server)\n' "judge-llm" "$pid" "$OPTBENCH_JUDGE_LLM_PORT"
  elif judge_llm_configured_elsewhere; then
    printf '%-12s %s\n' "judge-llm" "external: $OPTBENCH_JUDGE_BASE_URL"
  else
    printf '%-12s down\n' "judge-llm"
  fi
}
