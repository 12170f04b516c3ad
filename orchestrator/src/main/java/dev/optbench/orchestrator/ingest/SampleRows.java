package dev.optbench.orchestrator.ingest;

import dev.optbench.contracts.messages.Sample;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Upserts samples through a session-local staging table: the rows go in with {@code COPY ... (FORMAT binary)}, then
 * one {@code INSERT ... SELECT ... ON CONFLICT (id) DO UPDATE} moves them into {@code sample}. Binary COPY sends
 * numbers, ids and times as their bytes and texts unescaped, where the array literals of an {@code unnest} upsert
 * made the driver print and escape every value (the largest part of the orchestrator's ingestion CPU, measured by
 * bench/run.sh). The staging table is emptied at each commit; a COPY that PostgreSQL refuses fails the statement as an
 * insert would (the batch is then stored message by message).
 */
final class SampleRows {
    static final String COLUMNS = "id, trial_id, run_id, conversation_id, round, repetition, concurrency, started_at, prompt_tokens, "
            + "completion_tokens, cached_tokens, ttft_millis, latency_millis, inter_token_millis_mean, inter_token_millis_p95, "
            + "generation_tokens_per_second, server_prompt_millis, server_prompt_tokens_per_second, server_generation_millis, "
            + "server_generation_tokens_per_second, draft_tokens, draft_accepted_tokens, finish_reason, prompt, answer, error";
    private static final int FIELDS = 26;
    private static final String STAGING = "CREATE TEMP TABLE IF NOT EXISTS sample_ingest (LIKE sample INCLUDING DEFAULTS) ON COMMIT DELETE ROWS";
    private static final String UPSERT = "INSERT INTO sample (" + COLUMNS + ") SELECT " + COLUMNS + " FROM sample_ingest "
            + "ON CONFLICT (id) DO UPDATE SET conversation_id = EXCLUDED.conversation_id, round = EXCLUDED.round, "
            + "repetition = EXCLUDED.repetition, concurrency = EXCLUDED.concurrency, started_at = EXCLUDED.started_at, "
            + "prompt_tokens = EXCLUDED.prompt_tokens, completion_tokens = EXCLUDED.completion_tokens, "
            + "cached_tokens = EXCLUDED.cached_tokens, ttft_millis = EXCLUDED.ttft_millis, latency_millis = EXCLUDED.latency_millis, "
            + "inter_token_millis_mean = EXCLUDED.inter_token_millis_mean, inter_token_millis_p95 = EXCLUDED.inter_token_millis_p95, "
            + "generation_tokens_per_second = EXCLUDED.generation_tokens_per_second, server_prompt_millis = EXCLUDED.server_prompt_millis, "
            + "server_prompt_tokens_per_second = EXCLUDED.server_prompt_tokens_per_second, "
            + "server_generation_millis = EXCLUDED.server_generation_millis, "
            + "server_generation_tokens_per_second = EXCLUDED.server_generation_tokens_per_second, "
            + "draft_tokens = EXCLUDED.draft_tokens, draft_accepted_tokens = EXCLUDED.draft_accepted_tokens, "
            + "finish_reason = EXCLUDED.finish_reason, prompt = EXCLUDED.prompt, answer = EXCLUDED.answer, error = EXCLUDED.error";
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    /** 2000-01-01T00:00:00Z, PostgreSQL's epoch, in seconds after the Unix epoch. */
    private static final long POSTGRES_EPOCH_SECONDS = 946_684_800L;

    /** A sample with the trial and run it is stored under; ids unique within one call. */
    record Row(UUID trialId, UUID runId, Sample sample) {
    }

    private SampleRows() {
    }

    static void upsert(Connection connection, List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(STAGING);
            try (PGCopyOutputStream copy = new PGCopyOutputStream(connection.unwrap(PGConnection.class),
                    "COPY sample_ingest (" + COLUMNS + ") FROM STDIN (FORMAT binary)", 1 << 16)) {
                encode(rows, copy);
            } catch (IOException e) {
                throw new SQLException("writing samples to PostgreSQL failed: " + e.getMessage(), e);
            }
            statement.executeUpdate(UPSERT);
        }
    }

    /** Writes the rows in PostgreSQL's binary COPY format, fields in {@link #COLUMNS} order. */
    static void encode(List<Row> rows, OutputStream target) throws IOException {
        Encoder out = new Encoder(target);
        out.header();
        for (Row row : rows) {
            Sample s = row.sample();
            out.fieldCount(FIELDS);
            out.uuid(s.sampleId());
            out.uuid(row.trialId());
            out.uuid(row.runId());
            out.text(s.conversationId());
            out.int4(s.round());
            out.int4(s.repetition());
            out.int4(s.concurrency());
            out.timestamp(s.startedAt());
            out.int4(s.promptTokens());
            out.int4(s.completionTokens());
            out.int4(s.cachedTokens());
            out.float8(s.ttftMillis());
            out.float8(s.latencyMillis());
            out.float8(s.interTokenMillisMean());
            out.float8(s.interTokenMillisP95());
            out.float8(s.generationTokensPerSecond());
            out.float8(s.serverPromptMillis());
            out.float8(s.serverPromptTokensPerSecond());
            out.float8(s.serverGenerationMillis());
            out.float8(s.serverGenerationTokensPerSecond());
            out.int4(s.draftTokens());
            out.int4(s.draftAcceptedTokens());
            out.text(s.finishReason());
            out.text(s.prompt());
            out.text(s.answer());
            out.text(s.error());
        }
        out.fieldCount(-1);
        out.flush();
    }

    /**
     * The fields of binary COPY, each as its length then its bytes (length -1 for NULL), gathered in a buffer that
     * goes to the COPY stream in large writes.
     */
    private static final class Encoder {
        private final OutputStream target;
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);

        Encoder(OutputStream target) {
            this.target = target;
        }

        /** The signature, no flags, no header extension. */
        void header() throws IOException {
            room(SIGNATURE.length + 8).put(SIGNATURE).putInt(0).putInt(0);
        }

        void fieldCount(int count) throws IOException {
            room(2).putShort((short) count);
        }

        void bytes(byte[] bytes) throws IOException {
            if (bytes.length > buffer.capacity()) {
                flush();
                target.write(bytes);
            } else {
                room(bytes.length).put(bytes);
            }
        }

        void int4(int value) throws IOException {
            room(8).putInt(4).putInt(value);
        }

        void int4(Integer value) throws IOException {
            if (value == null) {
                room(4).putInt(-1);
            } else {
                int4(value.intValue());
            }
        }

        void float8(double value) throws IOException {
            room(12).putInt(8).putDouble(value);
        }

        void float8(Double value) throws IOException {
            if (value == null) {
                room(4).putInt(-1);
            } else {
                float8(value.doubleValue());
            }
        }

        void uuid(UUID value) throws IOException {
            if (value == null) {
                room(4).putInt(-1);
            } else {
                room(20).putInt(16).putLong(value.getMostSignificantBits()).putLong(value.getLeastSignificantBits());
            }
        }

        void text(String value) throws IOException {
            if (value == null) {
                room(4).putInt(-1);
                return;
            }
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            room(4).putInt(utf8.length);
            bytes(utf8);
        }

        /** Microseconds since 2000-01-01 UTC, rounded to the nearest as PostgreSQL rounds a textual time. */
        void timestamp(Instant value) throws IOException {
            if (value == null) {
                room(4).putInt(-1);
                return;
            }
            long micros = Math.multiplyExact(value.getEpochSecond() - POSTGRES_EPOCH_SECONDS, 1_000_000L) + Math.round(value.getNano() / 1000.0);
            room(12).putInt(8).putLong(micros);
        }

        private ByteBuffer room(int bytes) throws IOException {
            if (buffer.remaining() < bytes) {
                flush();
            }
            return buffer;
        }

        void flush() throws IOException {
            target.write(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
    }
}
