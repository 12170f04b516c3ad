package dev.optbench.orchestrator.runs;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/** One submitted experiment. {@code spec} is the run spec as submitted, {@code workload} the resolved one. */
@Entity
@Table(name = "run")
public class RunEntity extends PanacheEntityBase {
    @Id
    public UUID id;

    public String name;

    public String pool;

    @Enumerated(EnumType.STRING)
    public RunStatus status;

    @ColumnTransformer(write = "?::jsonb")
    public String spec;

    @ColumnTransformer(write = "?::jsonb")
    public String workload;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** How many judge requests the run's completion wrote; null until then, or when the run asks for no judging. */
    @Column(name = "judge_requests")
    public Integer judgeRequests;

    /** The run, locked until the transaction ends: every change of a run's status goes through this. */
    public static Optional<RunEntity> lockedById(UUID id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }
}
