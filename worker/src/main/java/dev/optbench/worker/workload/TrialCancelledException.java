package dev.optbench.worker.workload;

/**
 * The trial was cancelled while its workload ran: its run was cancelled, or the worker is stopping.
 */
public class TrialCancelledException extends RuntimeException {
    public TrialCancelledException(String reason) {
        super(reason);
    }
}
