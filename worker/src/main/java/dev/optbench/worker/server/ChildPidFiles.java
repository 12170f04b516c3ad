package dev.optbench.worker.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Makes sure no llama.cpp process outlives the worker that started it. Each child is recorded in a pid file
 * (owner pid, child pid, child start time); a JVM shutdown hook kills the live ones, and a worker that starts
 * kills the children of owners that are gone (a worker killed with SIGKILL runs no hook).
 */
public final class ChildPidFiles {
    private static final Logger LOG = Logger.getLogger(ChildPidFiles.class);
    private static final Set<ProcessHandle> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildPidFiles::killLive, "optbench-kill-children"));
    }

    private final Path dir;

    public ChildPidFiles(Path dir) {
        this.dir = dir;
    }

    /** Records a child; the returned handle removes the record. */
    public Registration register(Process process) {
        ProcessHandle handle = process.toHandle();
        LIVE.add(handle);
        Path file = dir.resolve(handle.pid() + ".pid");
        try {
            Files.createDirectories(dir);
            Instant started = handle.info().startInstant().orElse(Instant.EPOCH);
            Files.writeString(file, ProcessHandle.current().pid() + "\n" + handle.pid() + "\n" + started.toEpochMilli() + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warnf("cannot write pid file %s: %s; the child is still killed at JVM exit", file, e.getMessage());
        }
        return () -> {
            LIVE.remove(handle);
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.debugf("cannot delete pid file %s: %s", file, e.getMessage());
            }
        };
    }

    /** Kills the recorded children whose owner process is gone; returns how many it killed. */
    public int reapOrphans() {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int killed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.pid")) {
            for (Path file : files) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (lines.size() < 3) {
                    Files.deleteIfExists(file);
                    continue;
                }
                long owner = Long.parseLong(lines.get(0).strip());
                if (owner == ProcessHandle.current().pid() || ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                long pid = Long.parseLong(lines.get(1).strip());
                long startedMillis = Long.parseLong(lines.get(2).strip());
                Optional<ProcessHandle> child = ProcessHandle.of(pid)
                        .filter(h -> h.info().startInstant().map(Instant::toEpochMilli).orElse(-1L) == startedMillis);
                if (child.isPresent() && child.get().isAlive()) {
                    LOG.warnf("killing llama.cpp process %d left behind by worker process %d", pid, owner);
                    child.get().destroyForcibly();
                    killed++;
                }
                Files.deleteIfExists(file);
            }
        } catch (IOException | NumberFormatException e) {
            LOG.warnf("cannot read the pid files in %s: %s", dir, e.getMessage());
        }
        return killed;
    }

    /** Kills every child still registered in this JVM. */
    public static void killLive() {
        for (ProcessHandle handle : LIVE) {
            handle.descendants().forEach(ProcessHandle::destroyForcibly);
            handle.destroyForcibly();
        }
    }

    /** Removes a child's record once it has exited. */
    @FunctionalInterface
    public interface Registration {
        void release();
    }
}
