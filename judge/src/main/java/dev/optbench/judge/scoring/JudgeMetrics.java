package dev.optbench.judge.scoring;

import dev.optbench.contracts.messages.ScoreKind;
import dev.optbench.contracts.messages.Verdict;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The judge's Prometheus metrics (names as Prometheus shows them):
 * {@code optbench_judge_judgements_total{kind,verdict}} scores published;
 * {@code optbench_judge_call_seconds{provider,kind}} one call to a judge endpoint, reply included;
 * {@code optbench_judge_unparseable_total{kind}} scores stored UNPARSEABLE;
 * {@code optbench_judge_unreadable_replies_total{kind}} replies that could not be read, retried ones included;
 * {@code optbench_judge_cache_total{result=hit|miss}};
 * {@code optbench_judge_endpoint_failures_total{provider}} calls that got no answer (the request waits);
 * {@code optbench_judge_dead_letters_total}; {@code optbench_judge_requests_in_progress};
 * {@code optbench_judge_requests_set_aside} requests waiting, unacknowledged, for a judge that does not answer.
 */
@ApplicationScoped
public class JudgeMetrics {
    private final MeterRegistry registry;
    private final AtomicInteger inProgress = new AtomicInteger();
    private final AtomicInteger setAside = new AtomicInteger();

    public JudgeMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("optbench.judge.requests.in.progress", inProgress);
        registry.gauge("optbench.judge.requests.set.aside", setAside);
    }

    public void judgement(ScoreKind kind, Verdict verdict) {
        Counter.builder("optbench.judge.judgements").description("Scores published, by kind and verdict")
                .tag("kind", name(kind)).tag("verdict", name(verdict)).register(registry).increment();
        if (verdict == Verdict.UNPARSEABLE) {
            Counter.builder("optbench.judge.unparseable").description("Scores stored UNPARSEABLE after a retry")
                    .tag("kind", name(kind)).register(registry).increment();
        }
    }

    public void call(String provider, ScoreKind kind, Duration duration) {
        Timer.builder("optbench.judge.call").description("One call to a judge endpoint, reply included")
                .tag("provider", provider).tag("kind", name(kind)).register(registry).record(duration);
    }

    public void unreadableReply(ScoreKind kind) {
        Counter.builder("optbench.judge.unreadable.replies").description("Judge replies that could not be read, retried ones included")
                .tag("kind", name(kind)).register(registry).increment();
    }

    public void cache(boolean hit) {
        Counter.builder("optbench.judge.cache").description("Judgements looked up in the cache")
                .tag("result", hit ? "hit" : "miss").register(registry).increment();
    }

    public void endpointFailure(String provider) {
        Counter.builder("optbench.judge.endpoint.failures").description("Judge calls that got no answer; the request is set aside and tried again")
                .tag("provider", provider).register(registry).increment();
    }

    public void deadLetter() {
        Counter.builder("optbench.judge.dead.letters").description("Judge requests sent to the dead-letter topic")
                .register(registry).increment();
    }

    public AtomicInteger inProgress() {
        return inProgress;
    }

    public AtomicInteger setAside() {
        return setAside;
    }

    private static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
