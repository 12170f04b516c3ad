package dev.optbench.contracts.messages;

/**
 * The model file a trial actually ran, as the worker found or built it.
 */
public record ArtifactInfo(
        String fileName,
        String sha256,
        long sizeBytes,
        String architecture,
        String fileType,
        int blockCount,
        long parameterCount,
        Long buildMillis) {
}
