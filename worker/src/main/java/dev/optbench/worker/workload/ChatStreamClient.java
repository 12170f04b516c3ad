package dev.optbench.worker.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sends one streaming chat completion to llama-server and times it from the stream: when the request left,
 * when each chunk with generated text arrived, when the stream ended.
 *
 * <p>HTTP/1.1 on a plain socket rather than {@code java.net.http.HttpClient}: the library hands the response
 * from its selector thread to an executor and then to the reader, and on a busy machine those hand-offs delay
 * the first chunks' timestamps by milliseconds (measured: generation tok/s 8 % above the server's own
 * figure). Here a line is stamped as soon as the {@code read} that completed it returns, and nothing else
 * (not even JSON parsing) happens until the stream ends.
 */
public final class ChatStreamClient {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Duration readTimeout;

    /** @param readTimeout a socket read that waits longer fails; a backstop behind the request watchdog */
    public ChatStreamClient(Duration readTimeout) {
        this.readTimeout = readTimeout;
    }

    /**
     * @param activity touched on every read, so the watchdog can tell a slow server from a hung one
     * @return the completion; a request the server answers with an error carries it in {@code error}
     * @throws IOException when the connection fails (the server died or was stopped)
     */
    public StreamedCompletion stream(URI server, String body, RequestWatchdog.Activity activity) throws IOException {
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST " + ChatRequests.PATH + " HTTP/1.1\r\nHost: " + server.getHost() + ":" + server.getPort()
                + "\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\nContent-Length: " + payload.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        List<String> lines = new ArrayList<>();
        List<Long> arrivals = new ArrayList<>();
        long sent;
        long end;
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis()));
            socket.connect(new InetSocketAddress(server.getHost(), server.getPort()), 5000);
            OutputStream out = socket.getOutputStream();
            LineReader in = new LineReader(socket.getInputStream(), activity);
            sent = System.nanoTime();
            out.write(head);
            out.write(payload);
            out.flush();
            int status = in.status();
            boolean chunked = in.headers().contains("transfer-encoding: chunked");
            if (status != 200) {
                String text = String.join("\n", in.remaining(chunked));
                return new StreamedCompletion(sent, List.of(), System.nanoTime(), "", null, null, null, null, null,
                        "HTTP " + status + ": " + errorMessage(text));
            }
            String line;
            while ((line = in.line(chunked)) != null) {
                if (line.startsWith("data:")) {
                    lines.add(line);
                    arrivals.add(in.lastReadNanos());
                    if (line.equals("data: [DONE]")) {
                        break;
                    }
                }
            }
            end = System.nanoTime();
        }
        return parse(sent, end, lines, arrivals);
    }

    private static StreamedCompletion parse(long sent, long end, List<String> lines, List<Long> arrivals) throws IOException {
        List<Long> tokenNanos = new ArrayList<>();
        StringBuilder answer = new StringBuilder();
        String finishReason = null;
        String error = null;
        Integer promptTokens = null;
        Integer completionTokens = null;
        Integer cachedTokens = null;
        ServerTimings timings = null;
        for (int i = 0; i < lines.size(); i++) {
            String data = lines.get(i).substring(5).strip();
            if (data.equals("[DONE]")) {
                break;
            }
            JsonNode chunk = MAPPER.readTree(data);
            if (chunk.has("error")) {
                error = errorMessage(data);
                continue;
            }
            JsonNode choice = chunk.path("choices").path(0);
            if (!choice.isMissingNode()) {
                JsonNode delta = choice.path("delta");
                String content = delta.path("content").isTextual() ? delta.path("content").asText() : "";
                String reasoning = delta.path("reasoning_content").isTextual() ? delta.path("reasoning_content").asText() : "";
                if (!content.isEmpty() || !reasoning.isEmpty()) {
                    tokenNanos.add(arrivals.get(i));
                    answer.append(content);
                }
                if (choice.path("finish_reason").isTextual()) {
                    finishReason = choice.path("finish_reason").asText();
                }
            }
            JsonNode usage = chunk.path("usage");
            if (usage.isObject()) {
                promptTokens = usage.path("prompt_tokens").isNumber() ? usage.path("prompt_tokens").asInt() : null;
                completionTokens = usage.path("completion_tokens").isNumber() ? usage.path("completion_tokens").asInt() : null;
                JsonNode cached = usage.path("prompt_tokens_details").path("cached_tokens");
                cachedTokens = cached.isNumber() ? cached.asInt() : null;
            }
            if (chunk.path("timings").isObject()) {
                timings = ServerTimings.of(chunk.path("timings"));
            }
        }
        if (timings != null) {
            completionTokens = completionTokens != null ? completionTokens : timings.predictedN();
            cachedTokens = cachedTokens != null ? cachedTokens : timings.cacheN();
        }
        if (error == null && timings == null) {
            error = "the stream ended without timings";
        }
        return new StreamedCompletion(sent, List.copyOf(tokenNanos), end, answer.toString(), finishReason, promptTokens,
                completionTokens, cachedTokens, timings, error);
    }

    private static String errorMessage(String text) {
        try {
            JsonNode message = MAPPER.readTree(text).path("error").path("message");
            if (message.isTextual()) {
                return message.asText();
            }
        } catch (IOException notJson) {
            return text.length() > 500 ? text.substring(0, 500) : text;
        }
        return text.length() > 500 ? text.substring(0, 500) : text;
    }

    /**
     * Reads an HTTP/1.1 response line by line, undoing chunked transfer encoding, and remembers when the read
     * that delivered the latest bytes returned.
     */
    private static final class LineReader {
        private final InputStream in;
        private final RequestWatchdog.Activity activity;
        private final byte[] buffer = new byte[64 * 1024];
        private int position;
        private int limit;
        private long lastReadNanos;
        private long chunkLeft;
        private boolean lastChunk;
        private String headers = "";

        LineReader(InputStream in, RequestWatchdog.Activity activity) {
            this.in = in;
            this.activity = activity;
        }

        long lastReadNanos() {
            return lastReadNanos;
        }

        String headers() {
            return headers;
        }

        int status() throws IOException {
            String statusLine = rawLine();
            if (statusLine == null || !statusLine.startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP response: " + statusLine);
            }
            StringBuilder all = new StringBuilder();
            String header;
            while ((header = rawLine()) != null && !header.isEmpty()) {
                all.append(header.toLowerCase(Locale.ROOT)).append('\n');
            }
            headers = all.toString();
            String[] parts = statusLine.split(" ", 3);
            return Integer.parseInt(parts[1]);
        }

        /** The next line of the body, null at its end. */
        String line(boolean chunked) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream(256);
            while (true) {
                int b = bodyByte(chunked);
                if (b < 0) {
                    return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
                }
                if (b == '\n') {
                    return stripCr(line.toString(StandardCharsets.UTF_8));
                }
                line.write(b);
            }
        }

        List<String> remaining(boolean chunked) throws IOException {
            List<String> rest = new ArrayList<>();
            String line;
            while ((line = line(chunked)) != null) {
                rest.add(line);
            }
            return rest;
        }

        private int bodyByte(boolean chunked) throws IOException {
            if (!chunked) {
                return rawByte();
            }
            if (lastChunk) {
                return -1;
            }
            if (chunkLeft == 0) {
                String size = rawLine();
                if (size != null && size.isEmpty()) {
                    size = rawLine();
                }
                if (size == null) {
                    return -1;
                }
                int extension = size.indexOf(';');
                chunkLeft = Long.parseLong((extension < 0 ? size : size.substring(0, extension)).strip(), 16);
                if (chunkLeft == 0) {
                    lastChunk = true;
                    return -1;
                }
            }
            int b = rawByte();
            if (b < 0) {
                throw new EOFException("the stream ended inside a chunk");
            }
            chunkLeft--;
            return b;
        }

        private String rawLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream(64);
            int b;
            while ((b = rawByte()) >= 0 && b != '\n') {
                line.write(b);
            }
            if (b < 0 && line.size() == 0) {
                return null;
            }
            return stripCr(line.toString(StandardCharsets.ISO_8859_1));
        }

        private int rawByte() throws IOException {
            if (position == limit) {
                int read = in.read(buffer);
                if (read < 0) {
                    return -1;
                }
                lastReadNanos = System.nanoTime();
                activity.touch();
                position = 0;
                limit = read;
            }
            return buffer[position++] & 0xff;
        }

        private static String stripCr(String line) {
            return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        }
    }
}
