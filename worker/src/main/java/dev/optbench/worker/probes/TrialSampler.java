package dev.optbench.worker.probes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches one trial's server while it runs: peak resident memory, peak GPU memory, and the other llama.cpp
 * processes on the machine (a judge model, another worker's trial), which the trial records as
 * concurrent activity because they share the hardware it measures.
 */
public final class TrialSampler implements AutoCloseable {
    private final long serverPid;
    private final Set<Long> ownPids;
    private final NvidiaSmi nvidiaSmi;
    private final ScheduledExecutorService timer;
    private final AtomicLong peakRss = new AtomicLong(-1);
    private final GpuMemoryPeak peakGpu;
    private final Map<Long, String> others = new ConcurrentHashMap<>();

    private TrialSampler(long serverPid, Set<Long> ownPids, NvidiaSmi nvidiaSmi, Long gpuUsedBeforeBytes) {
        this.serverPid = serverPid;
        this.ownPids = ownPids;
        this.nvidiaSmi = nvidiaSmi;
        this.peakGpu = new GpuMemoryPeak(serverPid, gpuUsedBeforeBytes);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "optbench-trial-sampler");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts sampling every {@code interval}; the first sample is taken at once.
     *
     * @param gpuUsedBeforeBytes {@link NvidiaSmi#usedMemoryBytes()} just before the server started, null without it
     */
    public static TrialSampler start(long serverPid, NvidiaSmi nvidiaSmi, Long gpuUsedBeforeBytes, Duration interval) {
        TrialSampler sampler = new TrialSampler(serverPid, Set.of(serverPid), nvidiaSmi, gpuUsedBeforeBytes);
        sampler.timer.scheduleWithFixedDelay(sampler::sample, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return sampler;
    }

    /** Takes one more sample now; call before the server stops so the peak covers the whole trial. */
    public synchronized void sample() {
        Long hwm = ProcessMemory.peakRssBytes(serverPid);
        if (hwm != null) {
            peakRss.accumulateAndGet(hwm, Math::max);
        }
        if (nvidiaSmi.present()) {
            Map<Long, Long> byPid = nvidiaSmi.memoryByPid();
            peakGpu.add(byPid, !byPid.containsKey(serverPid) && peakGpu.wantsDeviceMemory() ? nvidiaSmi.usedMemoryBytes() : null);
        }
        others.putAll(otherLlamaProcesses(ownPids));
    }

    /** Peak resident set size of the server, null when it could not be read. */
    public Long peakRssBytes() {
        long value = peakRss.get();
        return value < 0 ? null : value;
    }

    /** Peak GPU memory of the server, null without a GPU; {@link #gpuMemorySource()} says how it was measured. */
    public Long peakGpuMemoryBytes() {
        return peakGpu.bytes();
    }

    public String gpuMemorySource() {
        return peakGpu.source();
    }

    /** The other llama.cpp processes seen during the trial, e.g. {@code llama-server (pid 4242)}. */
    public List<String> concurrentActivity() {
        return others.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getValue() + " (pid " + e.getKey() + ")").toList();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** llama.cpp tools running on this machine whose pid is not one of {@code ownPids}. */
    public static Map<Long, String> otherLlamaProcesses(Set<Long> ownPids) {
        Map<Long, String> found = new LinkedHashMap<>();
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), entry -> entry.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path dir : proc) {
                long pid = Long.parseLong(dir.getFileName().toString());
                if (ownPids.contains(pid)) {
                    continue;
                }
                try {
                    String comm = Files.readString(dir.resolve("comm"), StandardCharsets.UTF_8).strip();
                    if (comm.startsWith("llama-")) {
                        found.put(pid, comm);
                    }
                } catch (IOException goneMeanwhile) {
                    // the process exited between listing and reading
                }
            }
        } catch (IOException e) {
            return found;
        }
        return found;
    }
}
