package dev.optbench.worker.trial;

import dev.optbench.contracts.messages.Conversation;
import dev.optbench.contracts.messages.TrialJob;
import dev.optbench.contracts.messages.Turn;
import dev.optbench.worker.workload.ChatRequests;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A trial as a bash script that replays it by hand, e.g. on a GPU box: the exact llama-server argv the worker
 * used (binary, model and port as overridable variables) and the same streaming requests, warm-up first, one
 * repetition at concurrency 1. Where the worker recorded the answers, each round's request is written out in
 * full, exactly as sent; otherwise later rounds are built from the replayed answers with jq.
 */
public final class TrialScript {
    private TrialScript() {
    }

    /**
     * @param argv    the llama-server argv: binary first, with {@code --port} and {@code --model} values
     * @param answers recorded answers by conversation id, one per round, or an empty map
     */
    public static String render(TrialJob job, List<String> argv, Map<String, List<String>> answers) {
        StringBuilder out = new StringBuilder();
        out.append("#!/usr/bin/env bash\n");
        out.append("# Replays OptBench trial ").append(job.trialId()).append(" of run ").append(job.runId());
        if (job.runName() != null) {
            out.append(" (").append(oneLine(job.runName())).append(')');
        }
        out.append("\n# variant ").append(oneLine(job.variant().name())).append(job.variant().baseline() ? " (baseline)" : "")
                .append(", artifact ").append(oneLine(job.artifact().label())).append('\n');
        out.append("# The worker played ").append(job.workload().repetitions()).append(" repetition(s) at concurrency ")
                .append(job.workload().concurrency()).append("; this script plays one repetition, one request at a time.\n");
        out.append("# Needs curl (and jq where a round's history is built from a replayed answer). Each request prints the\n");
        out.append("# server's timings. Override LLAMA_SERVER, MODEL and PORT to run it elsewhere.\n");
        out.append("set -euo pipefail\n");
        out.append("LLAMA_SERVER=${LLAMA_SERVER:-").append(quote(argv.getFirst())).append("}\n");
        out.append("MODEL=${MODEL:-").append(quote(valueAfter(argv, "--model"))).append("}\n");
        out.append("PORT=${PORT:-8089}\nANSWER=''\n\n");
        out.append("\"$LLAMA_SERVER\"");
        for (int i = 1; i < argv.size(); i++) {
            String arg = argv.get(i);
            out.append(' ');
            if (i > 1 && argv.get(i - 1).equals("--port")) {
                out.append("\"$PORT\"");
            } else if (i > 1 && argv.get(i - 1).equals("--model")) {
                out.append("\"$MODEL\"");
            } else {
                out.append(quote(arg));
            }
        }
        out.append(" >llama-server.log 2>&1 &\n");
        out.append("SERVER_PID=$!\n");
        out.append("trap 'kill \"$SERVER_PID\" 2>/dev/null || true; wait \"$SERVER_PID\" 2>/dev/null || true' EXIT\n");
        out.append("until curl -fs \"http://127.0.0.1:$PORT/health\" >/dev/null; do\n");
        out.append("  kill -0 \"$SERVER_PID\" 2>/dev/null || { echo 'llama-server exited; see llama-server.log' >&2; exit 1; }\n");
        out.append("  sleep 0.1\n");
        out.append("done\n\n");
        out.append("# ask BODY: streams one chat completion, prints the server's timings, keeps the answer in ANSWER\n");
        out.append("ask() {\n");
        out.append("  local stream\n");
        out.append("  stream=$(curl -sN \"http://127.0.0.1:$PORT").append(ChatRequests.PATH)
                .append("\" -H 'Content-Type: application/json' --data-binary \"$1\" | sed -n 's/^data: //p')\n");
        out.append("  printf '%s\\n' \"$stream\" | grep '\"timings\"' || true\n");
        out.append("  if command -v jq >/dev/null; then\n");
        out.append("    ANSWER=$(printf '%s\\n' \"$stream\" | grep -v '^\\[DONE\\]$' | jq -rj '.choices[0].delta.content // empty')\n");
        out.append("  fi\n");
        out.append("}\n\n");

        Conversation first = job.workload().conversations().getFirst();
        out.append("echo '# warm-up (the cold first generation)'\n");
        out.append("ask ").append(quote(ChatRequests.body(List.of(new ChatRequests.Message("user", first.turns().getFirst().prompt())),
                job.workload()))).append("\n\n");
        for (Conversation conversation : job.workload().conversations()) {
            List<String> recorded = answers.getOrDefault(conversation.conversationId(), List.of());
            List<ChatRequests.Message> history = new ArrayList<>();
            boolean literal = true;
            for (int round = 0; round < conversation.turns().size(); round++) {
                Turn turn = conversation.turns().get(round);
                out.append("echo ").append(quote("# conversation " + conversation.conversationId() + ", round " + round)).append('\n');
                if (literal) {
                    history.add(new ChatRequests.Message("user", turn.prompt()));
                    out.append("BODY=").append(quote(ChatRequests.body(history, job.workload()))).append('\n');
                } else {
                    out.append("BODY=$(jq -c --arg a \"$ANSWER\" --arg p ").append(quote(turn.prompt()))
                            .append(" '.messages += [{\"role\":\"assistant\",\"content\":$a},{\"role\":\"user\",\"content\":$p}]' <<<\"$BODY\")\n");
                }
                out.append("ask \"$BODY\"\n");
                if (literal && round < recorded.size() && recorded.get(round) != null) {
                    history.add(new ChatRequests.Message("assistant", recorded.get(round)));
                } else {
                    literal = false;
                }
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** A single-quoted shell word. */
    static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private static String oneLine(String text) {
        return text.replaceAll("[\\r\\n]+", " ");
    }

    private static String valueAfter(List<String> argv, String flag) {
        int index = argv.indexOf(flag);
        return index >= 0 && index + 1 < argv.size() ? argv.get(index + 1) : "";
    }
}
