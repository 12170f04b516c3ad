package dev.optbench.worker.probes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's memory as Linux reports it in {@code /proc/<pid>/status}.
 */
public final class ProcessMemory {
    private ProcessMemory() {
    }

    /** Peak resident set size ({@code VmHWM}) in bytes; null when the process is gone or the field is absent. */
    public static Long peakRssBytes(long pid) {
        return field(pid, "VmHWM:");
    }

    /** Current resident set size ({@code VmRSS}) in bytes; null when the process is gone. */
    public static Long rssBytes(long pid) {
        return field(pid, "VmRSS:");
    }

    static Long parseKilobytes(String status, String field) {
        for (String line : status.split("\n")) {
            if (line.startsWith(field)) {
                String[] parts = line.substring(field.length()).strip().split("\\s+");
                return Long.parseLong(parts[0]) * 1024;
            }
        }
        return null;
    }

    private static Long field(long pid, String field) {
        try {
            return parseKilobytes(Files.readString(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8), field);
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }
}
