package dev.optbench.orchestrator.runs;

import dev.optbench.contracts.messages.TrialStatus;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/** One variant on one artifact: one llama-server start on one worker. The JSON columns hold contracts' records. */
@Entity
@Table(name = "trial")
public class TrialEntity extends PanacheEntityBase {
    @Id
    public UUID id;

    @Column(name = "run_id")
    public UUID runId;

    @Column(name = "variant_id")
    public UUID variantId;

    @Column(name = "artifact_id")
    public UUID artifactId;

    @Enumerated(EnumType.STRING)
    public TrialStatus status;

    public int attempts;

    @Column(name = "worker_id")
    public String workerId;

    public String phase;

    @Column(name = "samples_done")
    public Integer samplesDone;

    @Column(name = "samples_total")
    public Integer samplesTotal;

    public String reason;

    @Column(name = "stderr_tail")
    public String stderrTail;

    @ColumnTransformer(write = "?::jsonb")
    public String environment;

    @ColumnTransformer(write = "?::jsonb")
    public String argv;

    @Column(name = "load_millis")
    public Long loadMillis;

    @Column(name = "cold_generation")
    @ColumnTransformer(write = "?::jsonb")
    public String coldGeneration;

    @Column(name = "sample_count")
    public Integer sampleCount;

    @Column(name = "request_millis")
    public Long requestMillis;

    @Column(name = "wall_millis")
    public Long wallMillis;

    @Column(name = "peak_rss_bytes")
    public Long peakRssBytes;

    @Column(name = "peak_gpu_memory_bytes")
    public Long peakGpuMemoryBytes;

    @Column(name = "metrics_delta")
    @ColumnTransformer(write = "?::jsonb")
    public String metricsDelta;

    @ColumnTransformer(write = "?::jsonb")
    public String perplexity;

    @Column(name = "concurrent_activity")
    @ColumnTransformer(write = "?::jsonb")
    public String concurrentActivity;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    public static List<TrialEntity> ofRun(UUID runId) {
        return list("runId", runId);
    }

    /** Moves the status forward; returns false, changing nothing, when the move would go backwards. */
    public boolean moveTo(TrialStatus next) {
        if (!status.canMoveTo(next)) {
            return false;
        }
        status = next;
        return true;
    }
}
