package dev.optbench.contracts.messages;

import java.util.List;
import java.util.UUID;

/**
 * A batch of a trial's samples; redelivery is harmless because each sample carries its own stable id.
 */
public record SampleChunk(int schemaVersion, UUID runId, UUID trialId, int chunkIndex, List<Sample> samples)
        implements TrialResult {
}
