package dev.optbench.worker;

import dev.optbench.contracts.messages.Topics;

/**
 * Who this worker is on the bus: its id and the pool whose jobs it runs.
 */
public record WorkerIdentity(String id, String pool) {

    public String jobsTopic() {
        return Topics.jobs(pool);
    }

    /** All workers of a pool share one consumer group, so each job goes to one of them. */
    public String jobsGroup() {
        return "optbench-worker-" + pool;
    }
}
