package dev.optbench.worker.jobs;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.errors.RetriableException;
import org.jboss.logging.Logger;

/**
 * Delivers a finished trial's results while the broker is away: a send that timed out or failed with a retriable
 * error is tried again with backoff (1 s doubling to 15 s) for as long as the worker runs, so a Kafka outage longer
 * than the producer's own timeouts costs a wait, not the trial. Sending the whole outcome again is safe: sample
 * and trial ids are deterministic and ingestion stores each once. A non-retriable error, or the worker stopping,
 * ends the attempts with the exception: the job's offset then stays uncommitted and another worker redoes it.
 */
final class ResultDelivery {
    private static final Logger LOG = Logger.getLogger(ResultDelivery.class);
    static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    static final Duration LONGEST_WAIT = Duration.ofSeconds(15);

    /** One attempt at sending everything. */
    interface Send {
        void send() throws ExecutionException, InterruptedException, TimeoutException;
    }

    private final BooleanSupplier workerRunning;
    private final Duration firstWait;

    ResultDelivery(BooleanSupplier workerRunning) {
        this(workerRunning, FIRST_WAIT);
    }

    ResultDelivery(BooleanSupplier workerRunning, Duration firstWait) {
        this.workerRunning = workerRunning;
        this.firstWait = firstWait;
    }

    /** Returns the number of attempts it took. */
    int deliver(String what, Send send) throws ExecutionException, InterruptedException, TimeoutException {
        Duration wait = firstWait;
        for (int attempt = 1; ; attempt++) {
            try {
                send.send();
                if (attempt > 1) {
                    LOG.infof("%s published after %d attempts", what, attempt);
                }
                return attempt;
            } catch (TimeoutException e) {
                if (!workerRunning.getAsBoolean()) {
                    throw e;
                }
                LOG.warnf("%s not published (the broker did not acknowledge in time); trying again in %s", what, wait);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || !workerRunning.getAsBoolean()) {
                    throw e;
                }
                LOG.warnf("%s not published (%s); trying again in %s", what, e.getCause().getMessage(), wait);
            }
            sleepWhileRunning(wait);
            wait = wait.multipliedBy(2).compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait.multipliedBy(2);
        }
    }

    private void sleepWhileRunning(Duration wait) throws InterruptedException {
        long until = System.nanoTime() + wait.toNanos();
        while (workerRunning.getAsBoolean() && System.nanoTime() < until) {
            Thread.sleep(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
        }
    }
}
