package dev.optbench.worker.server;

import java.util.List;
import java.util.Locale;

/**
 * A llama-server that did not serve the trial: why, in words a user can act on, and its log's tail.
 */
public class ServerFailure extends RuntimeException {

    public enum Kind { REJECTED_ARGUMENT, MODEL_LOAD, OUT_OF_MEMORY, PORT_IN_USE, CRASHED, HUNG }

    private final Kind kind;
    private final String logTail;

    public ServerFailure(Kind kind, String message, String logTail) {
        super(message);
        this.kind = kind;
        this.logTail = logTail;
    }

    public Kind kind() {
        return kind;
    }

    public String logTail() {
        return logTail;
    }

    /**
     * Reads why a server exited on its own from its exit status and log.
     *
     * @param tail      the end of the server's log, long enough to find the error line
     * @param keepLines how many of those lines the failure carries
     * @param during    what the server was doing, e.g. "while loading"
     */
    public static ServerFailure ofExit(int exitCode, List<String> tail, int keepLines, String during) {
        String text = String.join("\n", tail).toLowerCase(Locale.ROOT);
        String errorLine = LogTail.errorLine(tail);
        String detail = errorLine == null ? "" : ": " + errorLine;
        String joinedTail = String.join("\n", tail.subList(Math.max(0, tail.size() - keepLines), tail.size()));
        if (text.contains("error while handling argument") || text.contains("invalid argument") || text.contains("unknown argument")) {
            return new ServerFailure(Kind.REJECTED_ARGUMENT, "llama-server rejected its arguments" + detail, joinedTail);
        }
        if (text.contains("out of memory") || text.contains("failed to allocate") || text.contains("unable to allocate")
                || text.contains("bad_alloc") || text.contains("cudamalloc failed")) {
            return new ServerFailure(Kind.OUT_OF_MEMORY, "llama-server ran out of memory " + during + detail, joinedTail);
        }
        if (text.contains("couldn't bind") || text.contains("address already in use")) {
            return new ServerFailure(Kind.PORT_IN_USE, "llama-server could not bind its port" + detail, joinedTail);
        }
        if (text.contains("failed to load model") || text.contains("error loading model") || text.contains("exiting due to model loading error")) {
            return new ServerFailure(Kind.MODEL_LOAD, "llama-server could not load the model" + detail, joinedTail);
        }
        if (exitCode > 128) {
            int signal = exitCode - 128;
            String hint = signal == 9 ? " (SIGKILL: someone killed it, or the kernel's out-of-memory killer did)" : "";
            return new ServerFailure(Kind.CRASHED, "llama-server was killed by signal " + signal + hint + " " + during, joinedTail);
        }
        return new ServerFailure(Kind.CRASHED, "llama-server exited with status " + exitCode + " " + during + detail, joinedTail);
    }
}
