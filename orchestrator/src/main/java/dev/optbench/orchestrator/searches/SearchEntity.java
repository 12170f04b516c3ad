package dev.optbench.orchestrator.searches;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/** One search: its spec as submitted, the planner's state and the result so far, as JSON. */
@Entity
@Table(name = "search")
public class SearchEntity extends PanacheEntityBase {
    @Id
    public UUID id;

    public String name;

    public String pool;

    @Enumerated(EnumType.STRING)
    public SearchStatus status;

    @ColumnTransformer(write = "?::jsonb")
    public String spec;

    @ColumnTransformer(write = "?::jsonb")
    public String state;

    @ColumnTransformer(write = "?::jsonb")
    public String result;

    public String reason;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    public static Optional<SearchEntity> lockedById(UUID id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }

    public static List<UUID> openIds() {
        return find("finishedAt is null order by createdAt").<SearchEntity>list().stream().map(s -> s.id).toList();
    }
}
