package dev.optbench.contracts.messages;

/**
 * The model file a trial actually ran, as the worker found or built it.
 *
 * @param decodeWeightBytes  bytes of weights read to generate one token: every tensor but the token embeddings,
 *                           of which one row is read (the whole table when the output layer is tied to it);
 *                           null when the worker could not tell
 * @param kvBytesPerPosition bytes of K and V cache per context position over all layers at f16, read once per
 *                           generated token for every position in the context; null when the worker could not tell
 */
public record ArtifactInfo(
        String fileName,
        String sha256,
        long sizeBytes,
        String architecture,
        String fileType,
        int blockCount,
        long parameterCount,
        Long buildMillis,
        Long decodeWeightBytes,
        Long kvBytesPerPosition) {

    public ArtifactInfo(String fileName, String sha256, long sizeBytes, String architecture, String fileType, int blockCount,
                        long parameterCount, Long buildMillis) {
        this(fileName, sha256, sizeBytes, architecture, fileType, blockCount, parameterCount, buildMillis, null, null);
    }
}
