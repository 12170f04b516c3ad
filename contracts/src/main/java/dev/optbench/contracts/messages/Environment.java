package dev.optbench.contracts.messages;

import java.util.List;

/**
 * Where a trial ran: enough to explain a difference between two runs of the same configuration.
 */
public record Environment(
        String host,
        String llamaVersion,
        String llamaCommit,
        String backend,
        String cpuModel,
        int cpuCores,
        List<Device> devices,
        Integer threads) {
}
