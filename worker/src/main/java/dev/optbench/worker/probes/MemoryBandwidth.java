package dev.optbench.worker.probes;

import dev.optbench.contracts.messages.Device;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.logging.Logger;

/**
 * The memory bandwidth of a worker's device, the roofline of decoding: a GPU's from its data sheet (a table by
 * name), a CPU's measured once per worker process by reading a buffer far larger than any cache with every core.
 */
public final class MemoryBandwidth {
    private static final Logger LOG = Logger.getLogger(MemoryBandwidth.class);
    private static final double GB = 1e9;
    private static final int BUFFER_LONGS = 16 * 1024 * 1024;
    private static final int PASSES = 12;

    /** Data-sheet bandwidths in GB/s; the longest name contained in the device's name wins. */
    private static final Map<String, Double> GPU_GB_PER_SECOND = Map.ofEntries(
            Map.entry("H200", 4800.0), Map.entry("H100 NVL", 3900.0), Map.entry("H100 PCIe", 2000.0),
            Map.entry("H100 80GB HBM3", 3350.0), Map.entry("H100 SXM", 3350.0), Map.entry("H100", 3350.0),
            Map.entry("GH200", 4000.0), Map.entry("B200", 8000.0), Map.entry("A100-SXM4-80GB", 2039.0),
            Map.entry("A100 80GB PCIe", 1935.0), Map.entry("A100-PCIE-40GB", 1555.0), Map.entry("A100-SXM4-40GB", 1555.0),
            Map.entry("A100", 1555.0), Map.entry("L40S", 864.0), Map.entry("L40", 864.0), Map.entry("L4", 300.0),
            Map.entry("A10G", 600.0), Map.entry("A10", 600.0), Map.entry("T4", 320.0), Map.entry("V100", 900.0),
            Map.entry("RTX 6000 Ada", 960.0), Map.entry("RTX A6000", 768.0), Map.entry("RTX 5090", 1792.0),
            Map.entry("RTX 4090", 1008.0), Map.entry("RTX 4080", 717.0), Map.entry("RTX 4070", 504.0),
            Map.entry("RTX 3090", 936.0), Map.entry("RTX 3080", 760.0));

    private static volatile Measured cpu;
    private static volatile long sink;

    private record Measured(Long bytesPerSecond, String source) {
    }

    private MemoryBandwidth() {
    }

    /** The device with its bandwidth: a GPU's from the table (none when unknown), a CPU's measured. */
    public static Device describe(Device device) {
        if ("gpu".equals(device.kind())) {
            Double gbPerSecond = gpuGbPerSecond(device.name());
            return gbPerSecond == null ? device : device.withBandwidth(Math.round(gbPerSecond * GB), "table: " + device.name());
        }
        Measured measured = cpu();
        return device.withBandwidth(measured.bytesPerSecond(), measured.source());
    }

    static Double gpuGbPerSecond(String name) {
        if (name == null) {
            return null;
        }
        String upper = name.toUpperCase(Locale.ROOT);
        return GPU_GB_PER_SECOND.entrySet().stream()
                .filter(e -> upper.contains(e.getKey().toUpperCase(Locale.ROOT)))
                .max(Comparator.comparingInt(e -> e.getKey().length()))
                .map(Map.Entry::getValue).orElse(null);
    }

    private static Measured cpu() {
        Measured known = cpu;
        if (known == null) {
            synchronized (MemoryBandwidth.class) {
                if (cpu == null) {
                    cpu = measureCpu(Runtime.getRuntime().availableProcessors());
                }
                known = cpu;
            }
        }
        return known;
    }

    /** The best of a few passes, each reading the whole buffer once, split over {@code threads} threads. */
    static Measured measureCpu(int threads) {
        long[] buffer;
        try {
            buffer = new long[BUFFER_LONGS];
        } catch (OutOfMemoryError e) {
            LOG.warnf("no heap for the %d MiB bandwidth buffer; the CPU's memory bandwidth stays unknown", BUFFER_LONGS / 131072);
            return new Measured(null, null);
        }
        for (int i = 0; i < buffer.length; i++) {
            buffer[i] = i;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            read(buffer, pool, threads);
            double best = 0;
            for (int pass = 0; pass < PASSES; pass++) {
                long started = System.nanoTime();
                read(buffer, pool, threads);
                double seconds = (System.nanoTime() - started) / 1e9;
                best = Math.max(best, buffer.length * 8.0 / seconds);
            }
            String source = String.format(Locale.ROOT, "measured: best of %d reads of %d MiB with %d thread(s)",
                    PASSES, buffer.length / 131072, threads);
            LOG.infof("CPU memory bandwidth %.1f GB/s (%s)", best / GB, source);
            return new Measured(Math.round(best), source);
        } catch (Exception e) {
            LOG.warnf(e, "measuring the CPU's memory bandwidth failed; it stays unknown");
            return new Measured(null, null);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void read(long[] buffer, ExecutorService pool, int threads) throws Exception {
        int slice = buffer.length / threads;
        List<Future<Long>> parts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int from = t * slice;
            int to = t == threads - 1 ? buffer.length : from + slice;
            parts.add(pool.submit(() -> {
                long sum = 0;
                for (int i = from; i < to; i++) {
                    sum += buffer[i];
                }
                return sum;
            }));
        }
        long total = 0;
        for (Future<Long> part : parts) {
            total += part.get();
        }
        sink = total;
    }
}
