package dev.optbench.judge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The judge service's settings, {@code optbench.judge.*} (environment: {@code OPTBENCH_JUDGE_*}). The default
 * judge model serves every run whose spec names none.
 */
@ConfigMapping(prefix = "optbench.judge")
public interface JudgeConfig {

    /** {@code ollama} or {@code openai} (any OpenAI-compatible endpoint: llama-server, vLLM, a hosted API). */
    @WithDefault("ollama")
    String provider();

    /** The default judge's endpoint; for {@code openai} include the {@code /v1} path. */
    @WithDefault("http://127.0.0.1:11434")
    String baseUrl();

    /** The model name the default endpoint knows. */
    @WithDefault("qwen2.5:7b-instruct")
    String model();

    /** Sent as a bearer token, and only to the default endpoint, never to a URL a run spec names. */
    Optional<String> apiKey();

    /** How long one judge call may take, reply included. */
    @WithDefault("120s")
    Duration timeout();

    @WithDefault("5s")
    Duration connectTimeout();

    /** The most tokens a judge reply may have; a verdict needs far fewer. */
    @WithDefault("512")
    int maxTokens();

    /** 0 makes the judge as repeatable as its endpoint allows. */
    @WithDefault("0.0")
    double temperature();

    @WithDefault("42")
    int seed();

    /** How many judge requests run at once (also the consumer's worker pool size). */
    @WithDefault("1")
    int concurrency();

    Retry retry();

    Cache cache();

    /**
     * Before judging, ask the orchestrator whether any run is RUNNING and wait until none is, so judging on a
     * shared machine never overlaps a trial's measurements.
     */
    @WithDefault("false")
    boolean waitForIdleTrials();

    @WithDefault("http://127.0.0.1:8080")
    URI orchestratorUrl();

    /** How long an "all trials idle" answer is trusted, and how often to ask again while trials run. */
    @WithDefault("5s")
    Duration idleCheckInterval();

    interface Retry {
        /** The first wait after the judge endpoint failed to answer; each further failure doubles it. */
        @WithDefault("1s")
        Duration initialBackoff();

        @WithDefault("60s")
        Duration maxBackoff();

        /**
         * For the default judge: give up on its requests once it has failed this long and dead-letter them; unset
         * keeps them pending until the judge answers, which is what keeps scores from being lost while a judge is down.
         */
        Optional<Duration> giveUpAfter();

        /**
         * For a judge a run names ({@code quality.judgeModel}): give up on its requests once it has failed this long
         * and dead-letter them with the reason, so a mistyped URL ends in {@code bench.dead-letter} instead of pending
         * for ever.
         */
        @WithDefault("30m")
        Duration runJudgeGiveUpAfter();

        /**
         * Requests kept set aside at once while their judge does not answer (unacknowledged, holding no thread);
         * beyond that the consumer waits for room.
         */
        @WithDefault("10000")
        int maxSetAside();
    }

    interface Cache {
        /** Judgements kept in memory, keyed by judge model, prompt version and the texts judged. */
        @WithDefault("100000")
        int maxEntries();

        /** A JSON-lines file that keeps the cache across restarts; unset keeps it in memory only. */
        Optional<Path> file();
    }
}
