package dev.optbench.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * A model hub on loopback that speaks the part of the Hugging Face Hub's HTTP API that llama.cpp's {@code -hf} and
 * OptBench's worker use ({@code api/models/<repo>/refs}, {@code api/models/<repo>/tree/<commit>}, and
 * {@code <repo>/resolve/<commit>/<path>} answered with a redirect to a second server on another port, as the real
 * hub redirects to its storage host). Tests serve real files from it: this machine cannot reach the real hub.
 * Every request is recorded, with whether it carried a token.
 */
public final class LocalModelHub implements AutoCloseable {
    private final HttpServer hub;
    private final HttpServer storage;
    private final Map<String, Repository> repositories = new ConcurrentHashMap<>();
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile String requiredToken;
    private volatile boolean unavailable;
    private volatile String stalledBlob;
    private final CountDownLatch closed = new CountDownLatch(1);

    /** One request as a server saw it. */
    public record Request(String server, String method, String path, boolean withToken) {
    }

    private record Repository(String commit, Map<String, byte[]> files, Map<String, String> listedSha256) {
    }

    private LocalModelHub() throws IOException {
        hub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        storage = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hub.createContext("/", this::hub);
        storage.createContext("/", this::storage);
        hub.setExecutor(Executors.newCachedThreadPool(LocalModelHub::daemon));
        storage.setExecutor(Executors.newCachedThreadPool(LocalModelHub::daemon));
        hub.start();
        storage.start();
    }

    public static LocalModelHub start() {
        try {
            return new LocalModelHub();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The hub's base URL, ending in '/'. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + hub.getAddress().getPort() + "/");
    }

    /** Adds a file to a repository (made on first use, with a commit of its own) and serves it. */
    public LocalModelHub add(String repo, String path, Path file) {
        try {
            return add(repo, path, Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public LocalModelHub add(String repo, String path, byte[] content) {
        Repository repository = repositories.computeIfAbsent(repo, r -> new Repository(
                HexFormat.of().formatHex(sha256(("commit of " + r).getBytes(StandardCharsets.UTF_8))).substring(0, 40),
                new ConcurrentHashMap<>(), new ConcurrentHashMap<>()));
        repository.files().put(path, content);
        String sha = HexFormat.of().formatHex(sha256(content));
        repository.listedSha256().put(path, sha);
        blobs.put(sha, content);
        return this;
    }

    /** The listing gives another SHA-256 for the file than the bytes served have: a corrupted download. */
    public LocalModelHub listWrongSha256(String repo, String path) {
        repositories.get(repo).listedSha256().put(path, "0".repeat(64));
        return this;
    }

    /** Every request must then carry this bearer token, else 401. */
    public LocalModelHub requireToken(String token) {
        this.requiredToken = token;
        return this;
    }

    /** While true, every request is answered 503 (the hub is down). */
    public LocalModelHub unavailable(boolean down) {
        this.unavailable = down;
        return this;
    }

    /** The storage server answers this file's download with its headers and then nothing at all. */
    public LocalModelHub stallDownloadOf(String repo, String path) {
        this.stalledBlob = HexFormat.of().formatHex(sha256(repositories.get(repo).files().get(path)));
        return this;
    }

    public String commit(String repo) {
        return repositories.get(repo).commit();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** How many downloads of file contents the storage server served or began. */
    public long downloads() {
        return requests.stream().filter(r -> r.server().equals("storage")).count();
    }

    private void hub(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            requests.add(new Request("hub", exchange.getRequestMethod(), exchange.getRequestURI().toString(), auth != null));
            if (unavailable) {
                send(exchange, 503, "{\"error\":\"the hub is down\"}");
                return;
            }
            if (requiredToken != null && !("Bearer " + requiredToken).equals(auth)) {
                send(exchange, 401, "{\"error\":\"Invalid credentials in Authorization header\"}");
                return;
            }
            if (path.startsWith("/api/models/")) {
                api(exchange, path.substring("/api/models/".length()));
                return;
            }
            for (Map.Entry<String, Repository> entry : repositories.entrySet()) {
                String prefix = "/" + entry.getKey() + "/resolve/";
                if (path.startsWith(prefix)) {
                    String rest = java.net.URLDecoder.decode(path.substring(prefix.length()), StandardCharsets.UTF_8);
                    int slash = rest.indexOf('/');
                    String revision = slash < 0 ? rest : rest.substring(0, slash);
                    byte[] content = slash < 0 ? null : entry.getValue().files().get(rest.substring(slash + 1));
                    if (content == null || !(revision.equals(entry.getValue().commit()) || revision.equals("main"))) {
                        send(exchange, 404, "{\"error\":\"Entry not found\"}");
                        return;
                    }
                    String sha = HexFormat.of().formatHex(sha256(content));
                    exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + storage.getAddress().getPort() + "/blobs/" + sha);
                    exchange.getResponseHeaders().add("ETag", "\"" + sha + "\"");
                    exchange.getResponseHeaders().add("X-Linked-Size", Integer.toString(content.length));
                    exchange.sendResponseHeaders(302, -1);
                    return;
                }
            }
            send(exchange, 404, "{\"error\":\"Repository not found\"}");
        }
    }

    private void api(HttpExchange exchange, String rest) throws IOException {
        for (Map.Entry<String, Repository> entry : repositories.entrySet()) {
            String repo = entry.getKey();
            Repository repository = entry.getValue();
            if (rest.equals(repo + "/refs")) {
                send(exchange, 200, "{\"branches\":[{\"name\":\"main\",\"ref\":\"refs/heads/main\",\"targetCommit\":\""
                        + repository.commit() + "\"}],\"converts\":[],\"tags\":[]}");
                return;
            }
            if (rest.startsWith(repo + "/tree/")) {
                String revision = rest.substring((repo + "/tree/").length());
                if (!revision.equals(repository.commit()) && !revision.equals("main")) {
                    send(exchange, 404, "{\"error\":\"Invalid rev id\"}");
                    return;
                }
                List<String> items = new ArrayList<>();
                repository.files().forEach((path, content) -> items.add("{\"type\":\"file\",\"oid\":\"" + gitBlobOid(content)
                        + "\",\"size\":" + content.length + ",\"path\":\"" + path + "\",\"lfs\":{\"oid\":\""
                        + repository.listedSha256().get(path) + "\",\"size\":" + content.length + ",\"pointerSize\":134}}"));
                items.add("{\"type\":\"file\",\"oid\":\"" + gitBlobOid(new byte[0]) + "\",\"size\":0,\"path\":\"README.md\"}");
                send(exchange, 200, "[" + String.join(",", items) + "]");
                return;
            }
        }
        send(exchange, 404, "{\"error\":\"Repository not found\"}");
    }

    private void storage(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            requests.add(new Request("storage", exchange.getRequestMethod(), path,
                    exchange.getRequestHeaders().getFirst("Authorization") != null));
            byte[] content = path.startsWith("/blobs/") ? blobs.get(path.substring("/blobs/".length())) : null;
            if (content == null) {
                send(exchange, 404, "not found");
                return;
            }
            if (path.endsWith(String.valueOf(stalledBlob))) {
                exchange.sendResponseHeaders(200, content.length);
                exchange.getResponseBody().flush();
                try {
                    closed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().add("Content-Length", Integer.toString(content.length));
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, content.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(content);
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        try (InputStream ignored = exchange.getRequestBody()) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private static String gitBlobOid(byte[] content) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha1.digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Thread daemon(Runnable runnable) {
        Thread thread = new Thread(runnable, "local-model-hub");
        thread.setDaemon(true);
        return thread;
    }

    @Override
    public void close() {
        closed.countDown();
        hub.stop(0);
        storage.stop(0);
    }
}
