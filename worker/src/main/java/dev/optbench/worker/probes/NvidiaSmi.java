package dev.optbench.worker.probes;

import dev.optbench.contracts.messages.Device;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * NVIDIA GPUs through {@code nvidia-smi}: the devices, and the memory each process holds on them. Absent on
 * machines without an NVIDIA driver, where every query answers empty.
 */
public final class NvidiaSmi {
    private static final long MIB = 1024L * 1024L;
    private final Optional<Path> binary;

    public NvidiaSmi(Optional<Path> binary) {
        this.binary = binary;
    }

    /** Finds {@code nvidia-smi} on the PATH. */
    public static NvidiaSmi onPath() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir, "nvidia-smi");
                if (Files.isExecutable(candidate)) {
                    return new NvidiaSmi(Optional.of(candidate));
                }
            }
        }
        return new NvidiaSmi(Optional.empty());
    }

    public boolean present() {
        return binary.isPresent();
    }

    public List<Device> devices() {
        return parseDevices(query("--query-gpu=name,memory.total,driver_version"));
    }

    /** GPU memory per process id, summed over devices, in bytes. */
    public Map<Long, Long> memoryByPid() {
        return parseProcessMemory(query("--query-compute-apps=pid,used_memory"));
    }

    /** Memory in use on all devices together, in bytes; null without nvidia-smi or when a device does not say. */
    public Long usedMemoryBytes() {
        return parseUsedMemory(query("--query-gpu=memory.used,memory.total"));
    }

    static List<Device> parseDevices(List<String> lines) {
        List<Device> devices = new ArrayList<>();
        for (String line : lines) {
            String[] columns = line.split(",\\s*");
            if (columns.length >= 3) {
                devices.add(new Device("gpu", columns[0].strip(), mebibytes(columns[1]), columns[2].strip()));
            }
        }
        return devices;
    }

    static Map<Long, Long> parseProcessMemory(List<String> lines) {
        Map<Long, Long> memory = new HashMap<>();
        for (String line : lines) {
            String[] columns = line.split(",\\s*");
            if (columns.length >= 2) {
                try {
                    memory.merge(Long.parseLong(columns[0].strip()), mebibytes(columns[1]), Long::sum);
                } catch (NumberFormatException notAProcessLine) {
                    // "[N/A]" or a header from an unusual driver
                }
            }
        }
        return memory;
    }

    /** Lines of {@code memory.used, memory.total} in MiB, one per device; null when any device's line is not numbers. */
    static Long parseUsedMemory(List<String> lines) {
        long used = 0;
        for (String line : lines) {
            String[] columns = line.split(",\\s*");
            try {
                long deviceUsed = Long.parseLong(columns[0].strip());
                if (columns.length < 2 || deviceUsed > Long.parseLong(columns[1].strip())) {
                    return null;
                }
                used += deviceUsed * MIB;
            } catch (NumberFormatException notANumber) {
                return null;
            }
        }
        return lines.isEmpty() ? null : used;
    }

    private static long mebibytes(String text) {
        try {
            return Long.parseLong(text.strip()) * MIB;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private List<String> query(String query) {
        if (binary.isEmpty()) {
            return List.of();
        }
        Path out = null;
        Process process = null;
        try {
            out = Files.createTempFile("optbench-nvidia-smi-", ".csv");
            process = new ProcessBuilder(List.of(binary.get().toString(), query, "--format=csv,noheader,nounits"))
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return List.of();
            }
            return Files.readAllLines(out, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } finally {
            if (process != null) {
                process.destroyForcibly();
            }
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temp file left in /tmp is harmless
                }
            }
        }
    }
}
