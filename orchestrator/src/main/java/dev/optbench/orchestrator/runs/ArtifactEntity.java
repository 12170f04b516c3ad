package dev.optbench.orchestrator.runs;

import dev.optbench.contracts.messages.ArtifactInfo;
import dev.optbench.contracts.messages.ArtifactSpec;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/**
 * A model file a run's trials run on: the base model, or one the worker quantizes or prunes. The file's facts
 * (name, sha256, size, architecture) arrive with the first trial that finishes on it.
 */
@Entity
@Table(name = "artifact")
public class ArtifactEntity extends PanacheEntityBase {
    @Id
    public UUID id;

    @Column(name = "run_id")
    public UUID runId;

    public int position;

    @Column(name = "model_index")
    public int modelIndex;

    public String label;

    @Column(name = "model_ref")
    public String modelRef;

    public String quantization;

    @Column(name = "prune_layers")
    public int pruneLayers;

    @Column(name = "prune_from")
    public String pruneFrom;

    @Column(name = "file_name")
    public String fileName;

    public String sha256;

    @Column(name = "size_bytes")
    public Long sizeBytes;

    public String architecture;

    @Column(name = "file_type")
    public String fileType;

    @Column(name = "block_count")
    public Integer blockCount;

    @Column(name = "parameter_count")
    public Long parameterCount;

    @Column(name = "build_millis")
    public Long buildMillis;

    @Column(name = "decode_weight_bytes")
    public Long decodeWeightBytes;

    @Column(name = "kv_bytes_per_position")
    public Long kvBytesPerPosition;


    public ArtifactSpec toSpec() {
        return new ArtifactSpec(id, modelRef, quantization, pruneLayers, pruneFrom);
    }

    /** Records what the worker found or built. */
    public void describe(ArtifactInfo info) {
        fileName = info.fileName();
        sha256 = info.sha256();
        sizeBytes = info.sizeBytes();
        architecture = info.architecture();
        fileType = info.fileType();
        blockCount = info.blockCount();
        parameterCount = info.parameterCount();
        if (info.buildMillis() != null) {
            buildMillis = info.buildMillis();
        }
        decodeWeightBytes = info.decodeWeightBytes();
        kvBytesPerPosition = info.kvBytesPerPosition();
    }
}
