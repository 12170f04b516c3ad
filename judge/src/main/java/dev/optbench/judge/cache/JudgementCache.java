package dev.optbench.judge.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.optbench.judge.config.JudgeConfig;
import dev.optbench.judge.models.JudgeEndpoint;
import dev.optbench.judge.verdicts.JudgePrompt;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The judge's replies by (judge endpoint and model, prompt version, texts judged), so the same question is
 * never put to the same judge twice: a re-run, a redelivered request or a variant whose answer equals
 * another's costs no judge call, and two identical questions asked at once cost one. Least recently used
 * entries leave first; with a file, entries survive a restart (appended as JSON lines, compacted on start).
 */
@ApplicationScoped
public class JudgementCache {
    private static final Logger LOG = Logger.getLogger(JudgementCache.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int maxEntries;
    private final Path file;
    private final LinkedHashMap<String, List<String>> entries;
    private final ConcurrentHashMap<String, CompletableFuture<List<String>>> asking = new ConcurrentHashMap<>();
    private BufferedWriter writer;

    @Inject
    public JudgementCache(JudgeConfig config) {
        this(config.cache().maxEntries(), config.cache().file().orElse(null));
    }

    /** @param file null to keep the cache in memory only */
    public JudgementCache(int maxEntries, Path file) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("optbench.judge.cache.max-entries must be at least 1");
        }
        this.maxEntries = maxEntries;
        this.file = file;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, List<String>> eldest) {
                return size() > JudgementCache.this.maxEntries;
            }
        };
        if (file != null) {
            load();
        }
    }

    /** The cache key of a prompt to a judge: a SHA-256 over everything that decides the judge's reply. */
    public static String key(JudgeEndpoint endpoint, JudgePrompt prompt) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : List.of(endpoint.identity(), prompt.version(), prompt.schema(), prompt.system(), prompt.user())) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                sha.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
                sha.update((byte) ':');
                sha.update(bytes);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The replies of a lookup, and whether this caller asked the judge for them (false: from the cache or another caller's call). */
    public record Lookup(List<String> replies, boolean judged) {
    }

    /**
     * The replies under the key; when there are none, asks the judge through {@code judge} and keeps its replies,
     * unless another caller is already asking for the same key: then waits for that caller's replies (or its
     * failure) instead of asking again.
     */
    public Lookup getOrJudge(String key, Supplier<List<String>> judge) {
        Optional<List<String>> cached = get(key);
        if (cached.isPresent()) {
            return new Lookup(cached.get(), false);
        }
        CompletableFuture<List<String>> mine = new CompletableFuture<>();
        CompletableFuture<List<String>> other = asking.putIfAbsent(key, mine);
        if (other != null) {
            return new Lookup(awaitOther(other), false);
        }
        try {
            // The other caller may have stored its replies between the lookup above and taking the key.
            cached = get(key);
            List<String> replies = cached.isPresent() ? cached.get() : List.copyOf(judge.get());
            if (cached.isEmpty()) {
                put(key, replies);
            }
            mine.complete(replies);
            return new Lookup(replies, cached.isEmpty());
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            asking.remove(key, mine);
        }
    }

    private static List<String> awaitOther(CompletableFuture<List<String>> other) {
        try {
            return other.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    public synchronized Optional<List<String>> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** Keeps the replies (each verbatim, in the order received) under the key. */
    public synchronized void put(String key, List<String> replies) {
        List<String> copy = List.copyOf(replies);
        entries.put(key, copy);
        if (file != null) {
            append(key, copy);
        }
    }

    public synchronized int size() {
        return entries.size();
    }

    @PreDestroy
    synchronized void close() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                LOG.warnf("closing the judge cache file %s failed: %s", file, e.getMessage());
            }
            writer = null;
        }
    }

    private void append(String key, List<String> replies) {
        try {
            if (writer == null) {
                writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            writer.write(JSON.writeValueAsString(new Line(key, replies)));
            writer.newLine();
            writer.flush();
        } catch (IOException e) {
            // The cache saves judge calls; losing its file costs calls, never scores.
            LOG.warnf("writing the judge cache file %s failed, keeping this entry in memory only: %s", file, e.getMessage());
        }
    }

    private void load() {
        if (!Files.exists(file)) {
            return;
        }
        int lines = 0;
        int unreadable = 0;
        try {
            for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                lines++;
                try {
                    Line line = JSON.readValue(text, Line.class);
                    if (line.key() == null || line.replies() == null) {
                        unreadable++;
                        continue;
                    }
                    entries.put(line.key(), List.copyOf(line.replies()));
                } catch (JsonProcessingException e) {
                    unreadable++; // a line cut short when the process died mid-write
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the judge cache file " + file, e);
        }
        LOG.infof("judge cache: %d entries from %s (%d unreadable lines skipped)", entries.size(), file, unreadable);
        if (lines > entries.size()) {
            compact();
        }
    }

    private void compact() {
        Path temporary = file.resolveSibling(file.getFileName() + ".compacting");
        try (BufferedWriter out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, List<String>> entry : new ArrayList<>(entries.entrySet())) {
                out.write(JSON.writeValueAsString(new Line(entry.getKey(), entry.getValue())));
                out.newLine();
            }
        } catch (IOException e) {
            LOG.warnf("compacting the judge cache file %s failed: %s", file, e.getMessage());
            return;
        }
        try {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warnf("replacing the judge cache file %s failed: %s", file, e.getMessage());
        }
    }

    record Line(String key, List<String> replies) {
    }
}
