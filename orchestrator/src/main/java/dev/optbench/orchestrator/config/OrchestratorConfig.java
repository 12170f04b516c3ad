package dev.optbench.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything the orchestrator lets an operator tune, under {@code optbench.*}. Each value can also be set from
 * the environment ({@code optbench.limits.variants} as {@code OPTBENCH_LIMITS_VARIANTS}).
 */
@ConfigMapping(prefix = "optbench")
public interface OrchestratorConfig {

    /**
     * The key that mutating requests ({@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE} under
     * {@code /api}) must send in {@code X-API-Key}. Read from {@code OPTBENCH_API_KEY}; when it is not set,
     * every mutating request is refused. It is never logged or echoed.
     */
    Optional<String> apiKey();

    Limits limits();

    Outbox outbox();

    Queries queries();

    Metrics metrics();

    /** Caps on a run spec; a spec above any of them gets a 400 naming the field. */
    interface Limits {
        /** Variants per run: the baseline, the listed variants and the sweep's points together. */
        @WithDefault("256")
        int variants();

        /** Flags per variant. */
        @WithDefault("64")
        int flagsPerVariant();

        /** Entries in the models list. */
        @WithDefault("8")
        int models();

        /** Quantizations per model. */
        @WithDefault("12")
        int quantizationsPerModel();

        /** Trials per run (variants × artifacts). */
        @WithDefault("1024")
        int trials();

        /** Conversations in a workload. */
        @WithDefault("1000")
        int conversations();

        /** User turns played per conversation. */
        @WithDefault("64")
        int rounds();

        /** Repetitions of the whole workload. */
        @WithDefault("100")
        int repetitions();

        /** The completion cap a workload may ask for. */
        @WithDefault("32768")
        int maxTokens();

        /** Concurrency levels in a workload. */
        @WithDefault("8")
        int concurrencyLevels();

        /** The highest concurrency level. */
        @WithDefault("256")
        int concurrency();

        /** Requests per trial (turns × repetitions × concurrency levels). */
        @WithDefault("100000")
        int samplesPerTrial();

        /** Characters in one prompt or reference answer. */
        @WithDefault("100000")
        int promptCharacters();

        /** Characters of all prompts and references of a workload; every trial's job carries them. */
        @WithDefault("250000")
        int workloadCharacters();

        /** Characters in a run, variant or sweep name. */
        @WithDefault("200")
        int nameCharacters();

        /** Blocks a prune may drop. */
        @WithDefault("1024")
        int pruneLayers();
    }

    /** The relay that publishes the outbox to Kafka. */
    interface Outbox {
        /** How long the relay waits for new rows when it found none (it is also woken after each commit). */
        @WithDefault("PT1S")
        Duration pollInterval();

        /** Rows published per transaction. */
        @WithDefault("500")
        int batchSize();

        /** How long published rows are kept before they are deleted. */
        @WithDefault("P7D")
        Duration retention();

        /** How long the relay waits before trying again after Kafka or the database failed. */
        @WithDefault("PT5S")
        Duration retryDelay();

        /** How long a message may take to be acknowledged by Kafka, retries included, before the send fails. */
        @WithDefault("PT30S")
        Duration sendTimeout();
    }

    /** Pagination of the query endpoints. */
    interface Queries {
        @WithDefault("20")
        int defaultPageSize();

        @WithDefault("200")
        int maxPageSize();

        /** The largest page of {@code GET /api/runs/{id}/samples}. */
        @WithDefault("1000")
        int maxSamplePageSize();
    }

    interface Metrics {
        /** How often the trials-by-status gauges are read from the database. */
        @WithDefault("PT15S")
        Duration trialStatusRefresh();
    }
}
