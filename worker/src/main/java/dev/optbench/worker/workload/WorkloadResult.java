package dev.optbench.worker.workload;

import dev.optbench.contracts.messages.Sample;
import java.util.List;
import java.util.Map;

/**
 * What a workload produced.
 *
 * @param coldGeneration the warm-up request, the first generation after load
 * @param requestMillis  time during which at least one request was in flight, warm-up included
 * @param metricsDelta   {@code /metrics} counters after the workload minus after the warm-up
 */
public record WorkloadResult(Sample coldGeneration, List<Sample> samples, long requestMillis, Map<String, Double> metricsDelta) {
}
