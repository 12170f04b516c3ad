package dev.optbench.judge.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.optbench.contracts.spec.JudgeModelSpec;
import dev.optbench.judge.HttpExchangeServer;
import dev.optbench.judge.HttpExchangeServer.Answer;
import dev.optbench.judge.verdicts.JudgePrompts;
import dev.optbench.judge.verdicts.PairwiseChoice;
import dev.optbench.judge.verdicts.ReplyParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Ollama client (langchain4j-ollama) against a local endpoint that speaks Ollama's {@code /api/chat}:
 * no Ollama binary can be installed on the build machines, so the endpoint checks the request langchain4j
 * sends against Ollama's documented protocol and answers with a reply in the documented response format.
 */
class OllamaJudgeModelTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OLLAMA_REPLY = """
            {"model":"qwen2.5:7b-instruct","created_at":"2025-01-14T10:02:11.402337Z",\
            "message":{"role":"assistant","content":"{\\"winner\\": \\"B\\", \\"reason\\": \\"B names the capital correctly.\\"}"},\
            "done_reason":"stop","done":true,"total_duration":1873400125,"load_duration":21338917,\
            "prompt_eval_count":231,"prompt_eval_duration":905000000,"eval_count":19,"eval_duration":941000000}""";

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    @Test
    void asksOllamasChatApiForAVerdictFollowingTheSchema() {
        try (HttpExchangeServer ollama = new HttpExchangeServer(request -> Answer.json(OLLAMA_REPLY))) {
            ConfiguredJudgeModels models = ModelsForTests.judge("ollama", ollama.url(), "qwen2.5:7b-instruct");
            JudgeModel judge = models.forRun(null);
            String reply = judge.reply(JudgePrompts.pairwise(null, "Capital of France?", "Lyon", "Paris", JudgePrompts.ANSWER_FIRST), null);

            assertEquals(PairwiseChoice.B, ReplyParser.pairwise(reply).value());
            assertEquals("ollama:qwen2.5:7b-instruct", judge.endpoint().judgeModel());
            HttpExchangeServer.Received sent = ollama.received().get(0);
            assertEquals("POST", sent.method());
            assertEquals("/api/chat", sent.path());
            JsonNode body = read(sent.body());
            assertEquals("qwen2.5:7b-instruct", body.get("model").asText());
            assertEquals(false, body.get("stream").asBoolean(true));
            assertEquals(0.0, body.at("/options/temperature").asDouble(-1));
            assertEquals(42, body.at("/options/seed").asInt());
            assertEquals(512, body.at("/options/num_predict").asInt());
            assertEquals(List.of("A", "B", "tie"), JSON.convertValue(body.at("/format/properties/winner/enum"), List.class));
            assertEquals("system", body.at("/messages/0/role").asText());
            assertEquals("user", body.at("/messages/1/role").asText());
            assertTrue(body.at("/messages/1/content").asText().contains("BEGIN ANSWER A"));
        }
    }

    @Test
    void theRetryShowsTheRejectedReplyAndTheProblem() {
        try (HttpExchangeServer ollama = new HttpExchangeServer(request -> Answer.json(OLLAMA_REPLY))) {
            JudgeModel judge = ModelsForTests.judge("ollama", ollama.url(), "qwen2.5:7b-instruct")
                    .forRun(new JudgeModelSpec("ollama", ollama.url(), "qwen2.5:7b-instruct"));
            judge.reply(JudgePrompts.rubric(null, "q", "a", null), new RejectedReply("grades: 7", "no JSON object in the reply"));
            JsonNode body = read(ollama.received().get(0).body());
            assertEquals("assistant", body.at("/messages/2/role").asText());
            assertEquals("grades: 7", body.at("/messages/2/content").asText());
            assertTrue(body.at("/messages/3/content").asText().contains("no JSON object in the reply"));
            assertEquals("integer", body.at("/format/properties/fluency/type").asText());
        }
    }

    @Test
    void anUnknownModelIsARefusalNotAnOutage() {
        try (HttpExchangeServer ollama = new HttpExchangeServer(request ->
                new Answer(404, "application/json", "{\"error\":\"model \\\"nope\\\" not found, try pulling it first\"}"))) {
            JudgeModel judge = ModelsForTests.judge("ollama", ollama.url(), "nope").forRun(null);
            JudgeRejectedException e = org.junit.jupiter.api.Assertions.assertThrows(JudgeRejectedException.class,
                    () -> judge.reply(JudgePrompts.rubric(null, "q", "a", null), null));
            assertTrue(e.getMessage().contains("not found"), e.getMessage());
        }
    }
}
