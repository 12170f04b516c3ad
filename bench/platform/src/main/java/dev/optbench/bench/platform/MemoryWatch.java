package dev.optbench.bench.platform;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Samples the resident memory of the stack's parts every 100 ms while load runs, keeping each part's peak. */
final class MemoryWatch implements AutoCloseable {
    private final List<ServiceProcess> parts;
    private final Map<String, Long> peaks = new LinkedHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    MemoryWatch(List<ServiceProcess> parts) {
        this.parts = parts;
        parts.forEach(p -> peaks.put(p.name(), 0L));
        thread = Thread.ofPlatform().name("memory-watch").daemon().start(this::loop);
    }

    private void loop() {
        while (running) {
            sample();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void sample() {
        for (ServiceProcess part : parts) {
            peaks.merge(part.name(), part.rssBytes(), Math::max);
        }
    }

    /** Each part's highest resident memory seen so far, in bytes. */
    synchronized Map<String, Long> peaks() {
        return new LinkedHashMap<>(peaks);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join();
        sample();
    }
}
