package dev.optbench.orchestrator.support;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls a condition until it holds or the timeout passes; no fixed sleeps in tests. */
public final class Await {
    private Await() {
    }

    public static <T> T until(Duration timeout, Supplier<T> value, java.util.function.Predicate<T> done, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = value.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("within " + timeout + ": " + what + "; last value " + last);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
            last = value.get();
        }
        return last;
    }
}
