package dev.optbench.testsupport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits in a test for a condition that another thread makes true, failing with what was awaited. */
public final class Await {
    private Await() {
    }

    /** Polls {@code condition} every 5 ms until it holds; fails the test once {@code timeout} has passed. */
    public static void until(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within " + timeout.toSeconds() + " s: " + what);
            Thread.sleep(5);
        }
    }
}
