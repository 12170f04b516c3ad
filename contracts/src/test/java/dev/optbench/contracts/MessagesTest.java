package dev.optbench.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.contracts.messages.ArtifactSpec;
import dev.optbench.contracts.messages.Conversation;
import dev.optbench.contracts.messages.Environment;
import dev.optbench.contracts.messages.Flag;
import dev.optbench.contracts.messages.JudgeRequest;
import dev.optbench.contracts.messages.MalformedMessageException;
import dev.optbench.contracts.messages.Messages;
import dev.optbench.contracts.messages.Sample;
import dev.optbench.contracts.messages.SampleChunk;
import dev.optbench.contracts.messages.SchemaVersion;
import dev.optbench.contracts.messages.TrialJob;
import dev.optbench.contracts.messages.TrialResult;
import dev.optbench.contracts.messages.TrialStatus;
import dev.optbench.contracts.messages.Turn;
import dev.optbench.contracts.messages.Variant;
import dev.optbench.contracts.messages.Workload;
import dev.optbench.contracts.spec.RunSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MessagesTest {

    private static TrialJob job() {
        List<Flag> flags = List.of(new Flag("--flash-attn", "on"), new Flag("--no-kv-offload", null));
        Workload workload = new Workload(
                List.of(new Conversation("c1", List.of(new Turn("Hi", null), new Turn("2+2?", "4")))),
                3, 64, 0.0, 42, List.of(1, 4));
        return new TrialJob(SchemaVersion.CURRENT, UUID.randomUUID(), UUID.randomUUID(), "golden", "cpu",
                new ArtifactSpec(UUID.randomUUID(), "synthetic:tiny", "Q4_0", 0, null), null,
                new Variant(UUID.randomUUID(), "FA", false, flags), workload, null, Instant.parse("2026-11-23T10:00:00Z"), 2, 6);
    }

    @Test
    void trialJobSurvivesAJsonRoundTrip() {
        TrialJob job = job();
        String json = Messages.toJson(job);
        assertEquals(job, Messages.fromJson(json, TrialJob.class));
        assertTrue(json.contains("\"createdAt\":\"2026-11-23T10:00:00Z\""), json);
    }

    @Test
    void aJobWithoutTheTrialsPlaceInItsRunStillReadsWithinTheSchemaVersion() {
        String older = Messages.toJson(job()).replace(",\"trialIndex\":2", "").replace(",\"trialCount\":6", "");
        TrialJob read = Messages.fromJson(older, TrialJob.class);
        assertTrue(!older.contains("trialIndex") && !older.contains("trialCount"), older);
        assertEquals(null, read.trialIndex());
        assertEquals(null, read.trialCount());
        assertEquals(job().runName(), read.runName());
    }

    @Test
    void anEnvironmentSaysHowItsGpuMemoryWasMeasuredAndOneWithoutItStillReads() {
        Environment environment = new Environment("gpu-box", "b1", "abc", "cuda", "cpu", 16, List.of(), 8).withGpuMemorySource("device delta: x");
        assertEquals(environment, Messages.mapper().convertValue(Messages.mapper().valueToTree(environment), Environment.class));
        Environment older = Messages.mapper().convertValue(Messages.mapper().valueToTree(environment.withGpuMemorySource(null)), Environment.class);
        assertEquals(null, older.gpuMemorySource());
        assertEquals("gpu-box", older.host());
    }

    @Test
    void flagOrderIsKept() {
        TrialJob read = Messages.fromJson(Messages.toJson(job()), TrialJob.class);
        assertEquals(List.of("--flash-attn", "--no-kv-offload"), read.variant().flags().stream().map(Flag::name).toList());
    }

    @Test
    void sampleCountCoversTurnsRepetitionsAndConcurrencyLevels() {
        assertEquals(2 * 3 * 2, job().workload().sampleCount());
    }

    @Test
    void resultMessagesCarryTheirType() {
        UUID trial = UUID.randomUUID();
        SampleChunk chunk = new SampleChunk(SchemaVersion.CURRENT, UUID.randomUUID(), trial, 0, List.of());
        String json = Messages.toJson(chunk);
        assertTrue(json.contains("\"type\":\"sample-chunk\""), json);
        assertInstanceOf(SampleChunk.class, Messages.fromJson(json, TrialResult.class));
    }

    @Test
    void aJudgeRequestCarriesTheEarlierPromptsOfItsConversationAndReadsWithoutThem() {
        JudgeRequest later = new JudgeRequest(SchemaVersion.CURRENT, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), null,
                "And of Italy?", List.of("Hi", "What is the capital of France?"), "Rome.", null, null, null);
        String json = Messages.toJson(later);
        assertEquals(later, Messages.fromJson(json, JudgeRequest.class));
        assertTrue(json.contains("\"earlierPrompts\":[\"Hi\",\"What is the capital of France?\"]"), json);

        String olderProducer = "{\"schemaVersion\":1,\"runId\":\"" + later.runId() + "\",\"prompt\":\"And of Italy?\",\"answer\":\"Rome.\"}";
        JudgeRequest read = Messages.fromJson(olderProducer, JudgeRequest.class);
        assertNull(read.earlierPrompts(), "an optional field within schema version 1: absent reads as none");
        assertEquals("And of Italy?", read.prompt());
    }

    @Test
    void rejectsAnotherSchemaVersion() {
        String json = Messages.toJson(job()).replace("\"schemaVersion\":1", "\"schemaVersion\":99");
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> Messages.fromJson(json, TrialJob.class));
        assertTrue(e.getMessage().contains("schemaVersion"), e.getMessage());
    }

    @Test
    void rejectsMalformedJson() {
        assertThrows(MalformedMessageException.class, () -> Messages.fromJson("{not json", TrialJob.class));
        assertThrows(MalformedMessageException.class, () -> Messages.fromJson("[1,2]", TrialJob.class));
    }

    @Test
    void sampleIdsAreStablePerRequestAndDistinctAcrossRequests() {
        UUID trial = UUID.randomUUID();
        assertEquals(Sample.idOf(trial, 1, 0, "c1", 2), Sample.idOf(trial, 1, 0, "c1", 2));
        assertNotEquals(Sample.idOf(trial, 1, 0, "c1", 2), Sample.idOf(trial, 1, 1, "c1", 2));
        assertNotEquals(Sample.idOf(trial, 1, 0, "c1", 2), Sample.idOf(UUID.randomUUID(), 1, 0, "c1", 2));
    }

    @Test
    void trialStatusOnlyMovesForward() {
        assertTrue(TrialStatus.DISPATCHED.canMoveTo(TrialStatus.RUNNING));
        assertTrue(TrialStatus.RUNNING.canMoveTo(TrialStatus.FAILED));
        assertTrue(!TrialStatus.SUCCEEDED.canMoveTo(TrialStatus.FAILED));
        assertTrue(!TrialStatus.RUNNING.canMoveTo(TrialStatus.DISPATCHED));
    }

    @Test
    void runSpecKeepsFlagOrderAndNullValues() throws Exception {
        String json = """
                {"name":"t","pool":"cpu","models":[{"ref":"synthetic:tiny"}],
                 "baseline":{"name":"Baseline","flags":{}},
                 "variants":[{"name":"v","flags":{"--threads":4,"--flash-attn":null,"--cache-type-k":"f16"}}]}
                """;
        RunSpec spec = Messages.mapper().readValue(json, RunSpec.class);
        var flags = spec.variants().get(0).flags();
        assertEquals(new ArrayList<>(Arrays.asList("--threads", "--flash-attn", "--cache-type-k")), new ArrayList<>(flags.keySet()));
        assertTrue(flags.containsKey("--flash-attn") && flags.get("--flash-attn") == null);
    }
}
