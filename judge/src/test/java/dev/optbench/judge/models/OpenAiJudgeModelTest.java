package dev.optbench.judge.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.optbench.contracts.spec.JudgeModelSpec;
import dev.optbench.judge.HttpExchangeServer;
import dev.optbench.judge.HttpExchangeServer.Answer;
import dev.optbench.judge.verdicts.JudgePrompts;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI-compatible client (langchain4j-open-ai): what it sends, and how the endpoint's failures are
 * told apart into "ask again later" and "refused". The real llama-server exchange is in JudgePipelineTest.
 */
class OpenAiJudgeModelTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COMPLETION = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1736848931,"model":"judge",\
            "choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"{\\"winner\\": \\"tie\\", \\"reason\\": \\"same\\"}"}}],\
            "usage":{"prompt_tokens":200,"completion_tokens":12,"total_tokens":212}}""";

    @Test
    void sendsTheSchemaAsAStructuredResponseFormat() throws IOException {
        try (HttpExchangeServer endpoint = new HttpExchangeServer(request -> Answer.json(COMPLETION))) {
            JudgeModel judge = ModelsForTests.judge("openai", endpoint.url() + "/v1", "judge").forRun(null);
            String reply = judge.reply(JudgePrompts.pairwise(null, "q", "a", "b", JudgePrompts.ANSWER_FIRST), null);
            assertEquals("{\"winner\": \"tie\", \"reason\": \"same\"}", reply);
            HttpExchangeServer.Received sent = endpoint.received().get(0);
            assertEquals("/v1/chat/completions", sent.path());
            JsonNode body = JSON.readTree(sent.body());
            assertEquals("json_schema", body.at("/response_format/type").asText());
            assertEquals("pairwise_verdict", body.at("/response_format/json_schema/name").asText());
            assertEquals("string", body.at("/response_format/json_schema/schema/properties/winner/type").asText());
            assertEquals(300, body.at("/response_format/json_schema/schema/properties/reason/maxLength").asInt());
            assertEquals(0.0, body.get("temperature").asDouble(-1));
            assertEquals(512, body.get("max_tokens").asInt());
        }
    }

    @Test
    void aServerErrorOrOverloadMeansAskAgainLater() {
        for (int status : new int[] {500, 503, 429}) {
            try (HttpExchangeServer endpoint = new HttpExchangeServer(request -> new Answer(status, "application/json", "{\"error\":{\"message\":\"busy\"}}"))) {
                JudgeModel judge = ModelsForTests.judge("openai", endpoint.url() + "/v1", "judge").forRun(null);
                assertThrows(JudgeUnavailableException.class, () -> judge.reply(JudgePrompts.rubric(null, "q", "a", null), null), "HTTP " + status);
            }
        }
    }

    @Test
    void aClosedPortMeansAskAgainLater() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        JudgeModel judge = ModelsForTests.judge("openai", "http://127.0.0.1:" + port + "/v1", "judge").forRun(null);
        assertThrows(JudgeUnavailableException.class, () -> judge.reply(JudgePrompts.rubric(null, "q", "a", null), null));
    }

    @Test
    void aBadRequestOrAnAnswerInAnotherProtocolIsARefusal() {
        try (HttpExchangeServer endpoint = new HttpExchangeServer(request -> new Answer(400, "application/json",
                "{\"error\":{\"code\":400,\"message\":\"the request exceeds the available context size\"}}"))) {
            JudgeModel judge = ModelsForTests.judge("openai", endpoint.url() + "/v1", "judge").forRun(null);
            JudgeRejectedException e = assertThrows(JudgeRejectedException.class, () -> judge.reply(JudgePrompts.rubric(null, "q", "a", null), null));
            assertTrue(e.getMessage().contains("context size"), e.getMessage());
        }
        try (HttpExchangeServer endpoint = new HttpExchangeServer(request -> new Answer(200, "text/html", "<html>a login page</html>"))) {
            JudgeModel judge = ModelsForTests.judge("openai", endpoint.url() + "/v1", "judge").forRun(null);
            assertThrows(JudgeRejectedException.class, () -> judge.reply(JudgePrompts.rubric(null, "q", "a", null), null));
        }
    }

    @Test
    void theConfiguredKeyGoesToTheDefaultEndpointOnly() {
        ConfiguredJudgeModels models = new ConfiguredJudgeModels("openai", "https://judge.example/v1/", "gpt", "secret", ModelsForTests.SETTINGS);
        assertEquals("secret", models.defaultEndpoint().apiKey());
        assertEquals("https://judge.example/v1", models.defaultEndpoint().baseUrl());
        assertEquals("secret", models.forRun(new JudgeModelSpec("OpenAI", "https://judge.example/v1", "other")).endpoint().apiKey());
        assertNull(models.forRun(new JudgeModelSpec("openai", "https://elsewhere.example/v1", "gpt")).endpoint().apiKey());
    }

    @Test
    void aRunNamingAnUnusableJudgeIsRefusedNamingTheField() {
        ConfiguredJudgeModels models = ModelsForTests.judge("openai", "http://127.0.0.1:1/v1", "judge");
        assertTrue(assertThrows(JudgeRejectedException.class, () -> models.forRun(new JudgeModelSpec("vertex", "http://h", "m")))
                .getMessage().startsWith("judgeModel.provider"));
        assertTrue(assertThrows(JudgeRejectedException.class, () -> models.forRun(new JudgeModelSpec("ollama", "file:///etc/passwd", "m")))
                .getMessage().startsWith("judgeModel.baseUrl"));
        assertTrue(assertThrows(JudgeRejectedException.class, () -> models.forRun(new JudgeModelSpec("ollama", "http://user:pw@h:1", "m")))
                .getMessage().startsWith("judgeModel.baseUrl"));
        assertTrue(assertThrows(JudgeRejectedException.class, () -> models.forRun(new JudgeModelSpec("ollama", "http://h:1", " ")))
                .getMessage().startsWith("judgeModel.model"));
    }
}
