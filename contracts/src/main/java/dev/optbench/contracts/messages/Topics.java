package dev.optbench.contracts.messages;

/**
 * The Kafka topics of OptBench. Jobs are per pool; everything else is shared.
 */
public final class Topics {
    public static final String JOBS_PREFIX = "bench.jobs.";
    public static final String RESULTS = "bench.results";
    public static final String EVENTS = "bench.events";
    public static final String CONTROL = "bench.control";
    public static final String JUDGE = "bench.judge";
    public static final String SCORES = "bench.scores";
    public static final String DEAD_LETTER = "bench.dead-letter";

    private Topics() {
    }

    public static String jobs(String pool) {
        return JOBS_PREFIX + pool;
    }
}
