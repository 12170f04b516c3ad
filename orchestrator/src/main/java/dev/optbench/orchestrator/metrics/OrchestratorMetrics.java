package dev.optbench.orchestrator.metrics;

import dev.optbench.contracts.messages.TrialStatus;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The orchestrator's own metrics, on {@code /q/metrics}: runs submitted, trials by status (read from the database,
 * so every replica reports the same), ingestion lag (a message's Kafka timestamp to its commit in PostgreSQL),
 * dispatch time (an outbox row's commit to Kafka's acknowledgement), samples stored and dead letters.
 */
@ApplicationScoped
public class OrchestratorMetrics {
    private static final Logger LOG = Logger.getLogger(OrchestratorMetrics.class);

    private final MeterRegistry registry;
    private final AgroalDataSource dataSource;
    private final Counter runsSubmitted;
    private final Counter samplesStored;
    private final Map<TrialStatus, AtomicLong> trialsByStatus = new EnumMap<>(TrialStatus.class);

    public OrchestratorMetrics(MeterRegistry registry, AgroalDataSource dataSource) {
        this.registry = registry;
        this.dataSource = dataSource;
        runsSubmitted = Counter.builder("optbench.runs.submitted").description("Runs accepted by POST /api/runs").register(registry);
        samplesStored = Counter.builder("optbench.samples.stored").description("Samples written by ingestion (redeliveries included)").register(registry);
        for (TrialStatus status : TrialStatus.values()) {
            AtomicLong count = new AtomicLong();
            trialsByStatus.put(status, count);
            Gauge.builder("optbench.trials", count, AtomicLong::get).tag("status", status.name())
                    .description("Stored trials by status").register(registry);
        }
    }

    public void runSubmitted() {
        runsSubmitted.increment();
    }

    public void samplesStored(int count) {
        samplesStored.increment(count);
    }

    /** A message stored {@code lag} after Kafka received it. */
    public void ingested(String topic, Duration lag) {
        Timer.builder("optbench.ingest.lag").description("Kafka timestamp of a consumed message to its commit in PostgreSQL")
                .tag("topic", topic).publishPercentiles(0.5, 0.95).register(registry).record(lag);
    }

    /** An outbox row acknowledged by Kafka {@code time} after it was written. */
    public void dispatched(String kind, Duration time) {
        Timer.builder("optbench.dispatch.time").description("Outbox row written to message acknowledged by Kafka")
                .tag("kind", kind).publishPercentiles(0.5, 0.95).register(registry).record(time);
    }

    public void deadLettered(String sourceTopic) {
        Counter.builder("optbench.dead.letters").description("Messages sent to bench.dead-letter")
                .tag("topic", sourceTopic).register(registry).increment();
    }

    @Scheduled(every = "${optbench.metrics.trial-status-refresh}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refreshTrialsByStatus() {
        Map<TrialStatus, Long> counts = new EnumMap<>(TrialStatus.class);
        try (Connection connection = dataSource.getConnection();
             ResultSet rs = connection.createStatement().executeQuery("SELECT status, count(*) FROM trial GROUP BY status")) {
            while (rs.next()) {
                counts.put(TrialStatus.valueOf(rs.getString(1)), rs.getLong(2));
            }
        } catch (SQLException e) {
            LOG.warnf("trials-by-status gauges keep their last values: %s", e.getMessage());
            return;
        }
        trialsByStatus.forEach((status, gauge) -> gauge.set(counts.getOrDefault(status, 0L)));
    }
}
