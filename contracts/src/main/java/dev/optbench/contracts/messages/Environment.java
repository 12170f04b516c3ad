package dev.optbench.contracts.messages;

import java.util.List;

/**
 * Where a trial ran: enough to explain a difference between two runs of the same configuration.
 *
 * @param gpuMemorySource how the trial's {@code peakGpuMemoryBytes} was measured: {@code process: ...} (nvidia-smi's
 *                        row for the server's pid) or {@code device delta: ...} (the devices' used memory minus what
 *                        they used before the server started, where nvidia-smi lists no row for that pid, as in a
 *                        container's PID namespace); null without a GPU figure
 */
public record Environment(
        String host,
        String llamaVersion,
        String llamaCommit,
        String backend,
        String cpuModel,
        int cpuCores,
        List<Device> devices,
        Integer threads,
        String gpuMemorySource) {

    public Environment(String host, String llamaVersion, String llamaCommit, String backend, String cpuModel, int cpuCores,
                       List<Device> devices, Integer threads) {
        this(host, llamaVersion, llamaCommit, backend, cpuModel, cpuCores, devices, threads, null);
    }

    /** The same environment, saying how its trial's GPU memory was measured. */
    public Environment withGpuMemorySource(String source) {
        return new Environment(host, llamaVersion, llamaCommit, backend, cpuModel, cpuCores, devices, threads, source);
    }
}
