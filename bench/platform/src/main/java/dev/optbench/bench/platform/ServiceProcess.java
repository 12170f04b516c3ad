package dev.optbench.bench.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A part of the stack seen through {@code /proc}: its resident memory and the CPU time it used. PostgreSQL is its
 * postmaster with every backend the postmaster started, so its memory and CPU are the cluster's.
 *
 * @param name the part's name in the table
 * @param pid  the main process
 * @param withChildren whether the part's children count too (PostgreSQL's backends)
 */
record ServiceProcess(String name, long pid, boolean withChildren) {
    private static final double TICKS_PER_SECOND = 100.0;

    /** The part whose pid the launcher wrote in {@code file}; null when the file is missing or the process gone. */
    static ServiceProcess fromPidFile(String name, Path file, boolean withChildren) {
        try {
            long pid = Long.parseLong(Files.readAllLines(file).getFirst().strip());
            return Files.isDirectory(Path.of("/proc", Long.toString(pid))) ? new ServiceProcess(name, pid, withChildren) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Resident memory now, in bytes (summed over children when they count). */
    long rssBytes() {
        return pids().stream().mapToLong(pid -> statusKilobytes(pid, "VmRSS:") * 1024).sum();
    }

    /** CPU time used so far (user + system), in seconds, summed over children when they count. */
    double cpuSeconds() {
        return pids().stream().mapToDouble(ServiceProcess::cpuSecondsOf).sum();
    }

    private List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        pids.add(pid);
        if (withChildren) {
            try (Stream<Path> all = Files.list(Path.of("/proc"))) {
                all.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                        .mapToLong(Long::parseLong).filter(p -> parentOf(p) == pid).forEach(pids::add);
            } catch (IOException e) {
                throw new IllegalStateException("cannot list /proc", e);
            }
        }
        return pids;
    }

    private static long parentOf(long pid) {
        String[] fields = statFields(pid);
        return fields == null ? -1 : Long.parseLong(fields[1]);
    }

    private static double cpuSecondsOf(long pid) {
        String[] fields = statFields(pid);
        // utime and stime are fields 14 and 15 of /proc/<pid>/stat; here counted after the command's ")".
        return fields == null ? 0 : (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    }

    /** The fields of /proc/pid/stat after the command name (state first), null when the process is gone. */
    private static String[] statFields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException e) {
            return null;
        }
    }

    private static long statusKilobytes(long pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).replace("kB", "").strip());
                }
            }
        } catch (IOException gone) {
            return 0;
        }
        return 0;
    }
}
