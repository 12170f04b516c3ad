package dev.optbench.orchestrator.ingest;

import dev.optbench.contracts.messages.Sample;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(target, 1 << 16));
        out.write(SIGNATURE);
        out.writeInt(0);
        out.writeInt(0);
        for (Row row : rows) {
            Sample s = row.sample();
            out.writeShort(FIELDS);
            uuid(out, s.sampleId());
            uuid(out, row.trialId());
            uuid(out, row.runId());
            text(out, s.conversationId());
            int4(out, s.round());
            int4(out, s.repetition());
            int4(out, s.concurrency());
            timestamp(out, s.startedAt());
            int4(out, s.promptTokens());
            int4(out, s.completionTokens());
            int4(out, s.cachedTokens());
            float8(out, s.ttftMillis());
            float8(out, s.latencyMillis());
            float8(out, s.interTokenMillisMean());
            float8(out, s.interTokenMillisP95());
            float8(out, s.generationTokensPerSecond());
            float8(out, s.serverPromptMillis());
            float8(out, s.serverPromptTokensPerSecond());
            float8(out, s.serverGenerationMillis());
            float8(out, s.serverGenerationTokensPerSecond());
            int4(out, s.draftTokens());
            int4(out, s.draftAcceptedTokens());
            text(out, s.finishReason());
            text(out, s.prompt());
            text(out, s.answer());
            text(out, s.error());
        }
        out.writeShort(-1);
        out.flush();
    }

    private static void uuid(DataOutputStream out, UUID value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(16);
        out.writeLong(value.getMostSignificantBits());
        out.writeLong(value.getLeastSignificantBits());
    }

    private static void text(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static void int4(DataOutputStream out, Integer value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(4);
        out.writeInt(value);
    }

    private static void float8(DataOutputStream out, Double value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(8);
        out.writeDouble(value);
    }

    /** Microseconds since 2000-01-01 UTC, rounded to the nearest as PostgreSQL rounds a textual time. */
    private static void timestamp(DataOutputStream out, Instant value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(8);
        out.writeLong(Math.multiplyExact(value.getEpochSecond() - POSTGRES_EPOCH_SECONDS, 1_000_000L) + Math.round(value.getNano() / 1000.0));
    }
}
