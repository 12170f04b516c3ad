package dev.optbench.orchestrator.workers;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;
import org.hibernate.annotations.ColumnTransformer;

/** The latest capabilities a worker announced; {@code capabilities} is contracts' WorkerCapabilities as JSON. */
@Entity
@Table(name = "worker")
public class WorkerEntity extends PanacheEntityBase {
    @Id
    public String id;

    public String pool;

    @ColumnTransformer(write = "?::jsonb")
    public String capabilities;

    @Column(name = "last_seen_at")
    public Instant lastSeenAt;

    /** The worker of the pool that announced itself last. */
    public static Optional<WorkerEntity> latestOfPool(String pool) {
        return find("pool = ?1 order by lastSeenAt desc", pool).firstResultOptional();
    }
}
