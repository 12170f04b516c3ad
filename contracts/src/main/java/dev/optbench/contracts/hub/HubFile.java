package dev.optbench.contracts.hub;

/**
 * One file of a hub repository as its tree listing gives it.
 *
 * @param path   the file's path inside the repository, e.g. {@code Q4_K_M/model-00001-of-00002.gguf}
 * @param sha256 the SHA-256 of a file stored with Git LFS (every GGUF on the hub), else null
 */
public record HubFile(String path, long sizeBytes, String sha256) {

    /** The file name without the folders above it. */
    public String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
