package dev.optbench.contracts.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * A Hugging Face–compatible model hub (huggingface.co, or a mirror that speaks its API): resolves an
 * {@code hf:<user>/<repo>[:<quant>]} ref to the repository's current commit and its GGUF file
 * ({@link HubFileChoice}), and downloads the file, every part of a split one, into a cache directory, each checked
 * against the hub's SHA-256 and moved into place only when whole. It speaks the API llama.cpp's {@code -hf} uses:
 * {@code api/models/<repo>/refs}, {@code api/models/<repo>/tree/<commit>?recursive=true},
 * {@code <repo>/resolve/<commit>/<path>}. The token goes to the hub's own host only, never to the storage host a
 * download is redirected to. When the hub cannot be reached, a model downloaded before is used as it was.
 *
 * <p>Cache layout: {@code <cache>/<user>/<repo>/refs/main} (the commit last seen), {@code trees/<commit>.json} (its
 * listing), {@code snapshots/<commit>/<path>} (the files; a split model's parts side by side, as llama.cpp loads them).
 */
public final class ModelHub {
    private static final int MAX_REDIRECTS = 8;
    private static final int MAX_LISTING_BYTES = 64 << 20;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "model-hub-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    private final URI endpoint;
    private final Optional<String> token;
    private final Duration requestTimeout;
    private final Duration stallTimeout;
    private final HttpClient http;

    /**
     * @param requestTimeout how long the hub may take to start answering a request
     * @param stallTimeout   how long a download may receive nothing before it is given up
     */
    public ModelHub(URI endpoint, Optional<String> token, Duration requestTimeout, Duration stallTimeout) {
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || endpoint.getHost() == null) {
            throw new IllegalArgumentException("the model hub must be an http(s) URL, not " + endpoint);
        }
        this.endpoint = endpoint.toString().endsWith("/") ? endpoint : URI.create(endpoint + "/");
        this.token = token.filter(t -> !t.isBlank());
        this.requestTimeout = requestTimeout;
        this.stallTimeout = stallTimeout;
        // Redirects are followed by hand, so the token never follows one to another host.
        this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A model in the cache: its files, the first the one to load. */
    public record Fetched(String repo, String commit, List<Path> files, long downloadedBytes) {
        public Path model() {
            return files.getFirst();
        }
    }

    /** Told how a download goes, at most about once a second per file and once when it is whole. */
    @FunctionalInterface
    public interface Progress {
        void downloaded(String file, long doneBytes, long totalBytes);
    }

    /**
     * The model a ref names, downloaded into {@code cacheDir} unless it is there already.
     *
     * @param repo      {@code <user>/<repo>}, as {@link dev.optbench.contracts.spec.ModelRef} parsed it
     * @param tag       the quantization tag, or null for llama.cpp's default choice
     * @param cancelled polled while downloading; a download is stopped when it turns true
     * @throws ModelHubException when the hub has no such model, refuses access, or a download fails or is stopped
     */
    public Fetched fetch(String repo, String tag, Path cacheDir, Progress progress, BooleanSupplier cancelled) {
        Path repoDir = repoDir(cacheDir, repo);
        String commit;
        List<HubFile> listing;
        try {
            commit = currentCommit(repo);
            listing = listing(repo, commit);
            store(repoDir.resolve("trees").resolve(commit + ".json"), JSON.writeValueAsBytes(listing));
            store(repoDir.resolve("refs").resolve("main"), commit.getBytes(StandardCharsets.US_ASCII));
        } catch (Unreachable e) {
            return cached(repo, tag, cacheDir).orElseThrow(() -> new ModelHubException("cannot reach the model hub at " + endpoint
                    + " (" + e.getMessage() + ") and hf:" + repo + " was not downloaded before", e));
        } catch (IOException e) {
            throw new ModelHubException("cannot keep the listing of hf:" + repo + " in " + repoDir + ": " + e.getMessage(), e);
        }
        List<HubFile> chosen = HubFileChoice.choose(repo, tag, listing);
        List<Path> paths = new ArrayList<>();
        long downloaded = 0;
        for (HubFile file : chosen) {
            Path target = snapshotPath(repoDir, commit, file.path());
            downloaded += download(repo, commit, file, target, progress, cancelled);
            paths.add(target);
        }
        return new Fetched(repo, commit, List.copyOf(paths), downloaded);
    }

    /** The model a ref names as the cache holds it from an earlier {@link #fetch}, without asking the hub. */
    public static Optional<Fetched> cached(String repo, String tag, Path cacheDir) {
        Path repoDir = repoDir(cacheDir, repo);
        try {
            Path ref = repoDir.resolve("refs").resolve("main");
            if (!Files.isRegularFile(ref)) {
                return Optional.empty();
            }
            String commit = Files.readString(ref, StandardCharsets.US_ASCII).strip();
            Path tree = repoDir.resolve("trees").resolve(commit + ".json");
            if (!COMMIT.matcher(commit).matches() || !Files.isRegularFile(tree)) {
                return Optional.empty();
            }
            List<HubFile> listing = List.of(JSON.readValue(tree.toFile(), HubFile[].class));
            List<Path> paths = new ArrayList<>();
            for (HubFile file : HubFileChoice.choose(repo, tag, listing)) {
                Path target = snapshotPath(repoDir, commit, file.path());
                if (!whole(target, file)) {
                    return Optional.empty();
                }
                paths.add(target);
            }
            return Optional.of(new Fetched(repo, commit, List.copyOf(paths), 0));
        } catch (IOException | ModelHubException e) {
            return Optional.empty();
        }
    }

    private String currentCommit(String repo) throws Unreachable {
        JsonNode refs = getJson(repo, "api/models/" + repo + "/refs");
        String commit = null;
        for (JsonNode branch : refs.path("branches")) {
            String name = branch.path("name").asText("");
            String target = branch.path("targetCommit").asText("");
            if (COMMIT.matcher(target).matches() && (commit == null || name.equals("main"))) {
                commit = target;
                if (name.equals("main")) {
                    break;
                }
            }
        }
        if (commit == null) {
            throw new ModelHubException("hf:" + repo + ": the hub lists no branch with a commit");
        }
        return commit;
    }

    private List<HubFile> listing(String repo, String commit) throws Unreachable {
        JsonNode tree = getJson(repo, "api/models/" + repo + "/tree/" + commit + "?recursive=true");
        if (!tree.isArray()) {
            throw new ModelHubException("hf:" + repo + ": the hub's file listing is not a JSON array");
        }
        List<HubFile> files = new ArrayList<>();
        for (JsonNode item : tree) {
            String path = item.path("path").asText("");
            if (!item.path("type").asText("").equals("file") || !safePath(path)) {
                continue;
            }
            JsonNode lfs = item.path("lfs");
            String sha = lfs.path("oid").asText("").toLowerCase(Locale.ROOT);
            long size = lfs.has("size") ? lfs.path("size").asLong(-1) : item.path("size").asLong(-1);
            files.add(new HubFile(path, size, SHA256.matcher(sha).matches() ? sha : null));
        }
        return files;
    }

    /** Downloads one file unless the cache holds it whole; the bytes downloaded. */
    private long download(String repo, String commit, HubFile file, Path target, Progress progress, BooleanSupplier cancelled) {
        try {
            Files.createDirectories(target.getParent());
            // Another process (a second worker on the same volume, the CLI) may be fetching the same file.
            try (FileChannel channel = FileChannel.open(target.resolveSibling(target.getFileName() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                if (whole(target, file)) {
                    return 0;
                }
                return transfer(repo, resolveUri(repo, commit, file.path()), file, target, progress, cancelled);
            }
        } catch (Unreachable | IOException e) {
            throw new ModelHubException("downloading " + file.path() + " of hf:" + repo + " failed: " + e.getMessage(), e);
        }
    }

    private long transfer(String repo, URI uri, HubFile file, Path target, Progress progress, BooleanSupplier cancelled)
            throws IOException, Unreachable {
        Path partial = target.resolveSibling(target.getFileName() + ".partial-" + UUID.randomUUID());
        HttpResponse<InputStream> response = send(uri);
        AtomicLong lastByteNanos = new AtomicLong(System.nanoTime());
        AtomicBoolean stalled = new AtomicBoolean();
        AtomicBoolean stopped = new AtomicBoolean();
        try (InputStream in = response.body()) {
            checkStatus(repo, response.statusCode(), uri, in);
            // A read blocked on a silent connection only ends when the stream is closed under it.
            ScheduledFuture<?> watchdog = WATCHDOG.scheduleAtFixedRate(() -> {
                boolean silent = System.nanoTime() - lastByteNanos.get() > stallTimeout.toNanos();
                if (silent || cancelled.getAsBoolean()) {
                    (silent ? stalled : stopped).set(true);
                    closeQuietly(in);
                }
            }, 1, 1, TimeUnit.SECONDS);
            MessageDigest digest = sha256();
            long done = 0;
            long reported = 0;
            try (OutputStream out = Files.newOutputStream(partial)) {
                byte[] buffer = new byte[1 << 20];
                progress.downloaded(file.path(), 0, file.sizeBytes());
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    lastByteNanos.set(System.nanoTime());
                    out.write(buffer, 0, read);
                    digest.update(buffer, 0, read);
                    done += read;
                    if (System.nanoTime() - reported > TimeUnit.SECONDS.toNanos(1)) {
                        reported = System.nanoTime();
                        progress.downloaded(file.path(), done, file.sizeBytes());
                    }
                    if (cancelled.getAsBoolean()) {
                        stopped.set(true);
                        break;
                    }
                }
            } catch (IOException e) {
                if (!stalled.get() && !stopped.get()) {
                    throw e;
                }
            } finally {
                watchdog.cancel(false);
            }
            if (stopped.get()) {
                throw new ModelHubException("the download of " + file.path() + " was stopped");
            }
            if (stalled.get()) {
                throw new IOException("nothing arrived for " + stallTimeout.toSeconds() + " s after " + done + " bytes");
            }
            if (file.sizeBytes() >= 0 && done != file.sizeBytes()) {
                throw new IOException("got " + done + " bytes, the hub lists " + file.sizeBytes());
            }
            String sha = HexFormat.of().formatHex(digest.digest());
            if (file.sha256() != null && !file.sha256().equals(sha)) {
                throw new IOException("its SHA-256 is " + sha + ", the hub lists " + file.sha256());
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            progress.downloaded(file.path(), done, done);
            return done;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private JsonNode getJson(String repo, String path) throws Unreachable {
        URI uri = endpoint.resolve(path);
        HttpResponse<InputStream> response = send(uri);
        byte[] body;
        try (InputStream in = response.body()) {
            checkStatus(repo, response.statusCode(), uri, in);
            body = in.readNBytes(MAX_LISTING_BYTES + 1);
        } catch (IOException e) {
            throw new Unreachable("reading " + uri + ": " + e.getMessage(), e);
        }
        if (body.length > MAX_LISTING_BYTES) {
            throw new ModelHubException("hf:" + repo + ": the hub's answer to " + uri + " is larger than " + (MAX_LISTING_BYTES >> 20) + " MiB");
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new ModelHubException("hf:" + repo + ": the hub's answer to " + uri + " is not JSON: " + e.getMessage(), e);
        }
    }

    private void checkStatus(String repo, int status, URI uri, InputStream body) throws IOException {
        if (status == 200) {
            return;
        }
        String text = new String(body.readNBytes(300), StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
        switch (status) {
            case 401, 403 -> throw new ModelHubException("hf:" + repo + ": the hub refused access (HTTP " + status + "); a gated or "
                    + "private repository needs a token (OPTBENCH_MODEL_HUB_TOKEN)" + (token.isPresent() ? " that may read it" : ""));
            case 404 -> throw new ModelHubException("hf:" + repo + ": the hub has no " + uri.getPath() + " (HTTP 404): check the repository name");
            default -> {
                if (status == 429 || status >= 500) {
                    throw new IOException("the hub answered HTTP " + status + " for " + uri + (text.isEmpty() ? "" : ": " + text));
                }
                throw new ModelHubException("hf:" + repo + ": the hub answered HTTP " + status + " for " + uri + (text.isEmpty() ? "" : ": " + text));
            }
        }
    }

    /** GET, following redirects by hand: the token only to the hub's own origin, never from https down to http. */
    private HttpResponse<InputStream> send(URI uri) throws Unreachable {
        URI current = uri;
        try {
            for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
                HttpRequest.Builder request = HttpRequest.newBuilder(current).timeout(requestTimeout).GET()
                        .header("User-Agent", "optbench").header("Accept", "*/*");
                if (token.isPresent() && sameOrigin(current, endpoint)) {
                    request.header("Authorization", "Bearer " + token.get());
                }
                HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
                if (!REDIRECTS.contains(response.statusCode())) {
                    return response;
                }
                response.body().close();
                String location = response.headers().firstValue("location")
                        .orElseThrow(() -> new ModelHubException("the hub redirected " + uri + " without a Location"));
                URI next = current.resolve(location);
                String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
                if (!(scheme.equals("https") || scheme.equals("http") && !"https".equalsIgnoreCase(current.getScheme()))) {
                    throw new ModelHubException("the hub redirected " + uri + " to " + next.getScheme() + ":, which is not followed");
                }
                current = next;
            }
            throw new ModelHubException("the hub redirected " + uri + " more than " + MAX_REDIRECTS + " times");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted", new InterruptedIOException());
        } catch (IOException e) {
            throw new Unreachable(current + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    private URI resolveUri(String repo, String commit, String path) {
        StringBuilder encoded = new StringBuilder();
        for (String segment : path.split("/")) {
            encoded.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return endpoint.resolve(repo + "/resolve/" + commit + encoded);
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static Path repoDir(Path cacheDir, String repo) {
        String[] names = repo.split("/");
        if (names.length != 2 || !safePath(repo)) {
            throw new ModelHubException("hf:" + repo + " is not <user>/<repo>");
        }
        return cacheDir.resolve(names[0]).resolve(names[1]);
    }

    private static Path snapshotPath(Path repoDir, String commit, String path) {
        Path snapshot = repoDir.resolve("snapshots").resolve(commit);
        Path target = snapshot.resolve(path).normalize();
        if (!safePath(path) || !target.startsWith(snapshot)) {
            throw new ModelHubException("the hub lists a file outside its repository: " + path);
        }
        return target;
    }

    /** A relative path whose every segment is a plain name: nothing the hub lists may leave the cache. */
    static boolean safePath(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.indexOf('\0') >= 0) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static boolean whole(Path target, HubFile file) throws IOException {
        return Files.isRegularFile(target) && (file.sizeBytes() < 0 || Files.size(target) == file.sizeBytes());
    }

    private static void store(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp-" + UUID.randomUUID());
        Files.write(temp, content);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the blocked reader sees the stream closed; that is the point
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The hub could not be asked (connection refused, timed out, HTTP 5xx or 429): a cached model may still serve. */
    private static final class Unreachable extends Exception {
        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
