package dev.optbench.contracts.messages;

/**
 * A compute device of a worker.
 *
 * @param kind                          {@code gpu} or {@code cpu}
 * @param memoryBytes                   VRAM for a GPU, RAM for a CPU
 * @param driver                        the GPU driver version, null for a CPU
 * @param memoryBandwidthBytesPerSecond the device memory's bandwidth, the roofline of decoding; null when unknown
 * @param memoryBandwidthSource         where that figure comes from: {@code table: <GPU>} or {@code measured: <how>}
 */
public record Device(String kind, String name, long memoryBytes, String driver, Long memoryBandwidthBytesPerSecond,
                     String memoryBandwidthSource) {

    public Device(String kind, String name, long memoryBytes, String driver) {
        this(kind, name, memoryBytes, driver, null, null);
    }

    /** The same device with its memory bandwidth. */
    public Device withBandwidth(Long bytesPerSecond, String source) {
        return new Device(kind, name, memoryBytes, driver, bytesPerSecond, source);
    }
}
