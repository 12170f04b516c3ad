package dev.optbench.orchestrator.runs;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/** A named set of validated flags of one run; {@code flags} is a JSON array of contracts' {@code Flag}. */
@Entity
@Table(name = "variant")
public class VariantEntity extends PanacheEntityBase {
    @Id
    public UUID id;

    @Column(name = "run_id")
    public UUID runId;

    public int position;

    public String name;

    public boolean baseline;

    @ColumnTransformer(write = "?::jsonb")
    public String flags;

    @Column(name = "sweep_values")
    @ColumnTransformer(write = "?::jsonb")
    public String sweepValues;

}
