package dev.optbench.contracts.messages;

/**
 * A compute device of a worker.
 *
 * @param kind         {@code gpu} or {@code cpu}
 * @param memoryBytes  VRAM for a GPU, RAM for a CPU
 * @param driver       the GPU driver version, null for a CPU
 */
public record Device(String kind, String name, long memoryBytes, String driver) {
}
