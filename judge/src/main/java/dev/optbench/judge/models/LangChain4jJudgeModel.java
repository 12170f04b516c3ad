package dev.optbench.judge.models;

import com.fasterxml.jackson.core.JacksonException;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.http.client.jdk.JdkHttpClientBuilder;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.optbench.judge.verdicts.JudgePrompt;
import dev.optbench.judge.verdicts.JudgePrompts;
import java.io.IOException;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A judge model reached through langchain4j: {@code OllamaChatModel} for Ollama's {@code /api/chat},
 * {@code OpenAiChatModel} for any OpenAI-compatible {@code /chat/completions}. The reply is asked for as
 * JSON following the prompt's schema, which servers with constrained decoding (llama-server, Ollama, vLLM,
 * OpenAI) enforce while generating. langchain4j's own retries are off: the caller retries with backoff.
 */
public final class LangChain4jJudgeModel implements JudgeModel {
    private static final int MAX_DESCRIPTION_CHARS = 300;
    private final JudgeEndpoint endpoint;
    private final ChatModel chat;

    private LangChain4jJudgeModel(JudgeEndpoint endpoint, ChatModel chat) {
        this.endpoint = endpoint;
        this.chat = chat;
    }

    public static LangChain4jJudgeModel create(JudgeEndpoint endpoint, ModelSettings settings) {
        JdkHttpClientBuilder http = new JdkHttpClientBuilder()
                .httpClientBuilder(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1))
                .connectTimeout(settings.connectTimeout())
                .readTimeout(settings.timeout());
        ChatModel chat = switch (endpoint.provider()) {
            case JudgeEndpoint.OLLAMA -> OllamaChatModel.builder()
                    .httpClientBuilder(http)
                    .baseUrl(endpoint.baseUrl())
                    .modelName(endpoint.model())
                    .temperature(settings.temperature())
                    .seed(settings.seed())
                    .numPredict(settings.maxTokens())
                    .timeout(settings.timeout())
                    .customHeaders(endpoint.apiKey() == null ? Map.of() : Map.of("Authorization", "Bearer " + endpoint.apiKey()))
                    .maxRetries(0)
                    .build();
            case JudgeEndpoint.OPENAI -> OpenAiChatModel.builder()
                    .httpClientBuilder(http)
                    .baseUrl(endpoint.baseUrl())
                    // OpenAI-compatible servers without authentication ignore the key; the client needs one.
                    .apiKey(endpoint.apiKey() == null ? "no-key" : endpoint.apiKey())
                    .modelName(endpoint.model())
                    .temperature(settings.temperature())
                    .seed(settings.seed())
                    .maxTokens(settings.maxTokens())
                    .strictJsonSchema(true)
                    .timeout(settings.timeout())
                    .maxRetries(0)
                    .build();
            default -> throw new JudgeRejectedException("unknown judge provider '" + endpoint.provider() + "'");
        };
        return new LangChain4jJudgeModel(endpoint, chat);
    }

    @Override
    public JudgeEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public String reply(JudgePrompt prompt, RejectedReply rejected) {
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(SystemMessage.from(prompt.system()));
        messages.add(UserMessage.from(prompt.user()));
        if (rejected != null) {
            messages.add(AiMessage.from(rejected.reply().isEmpty() ? "(empty reply)" : rejected.reply()));
            messages.add(UserMessage.from(JudgePrompts.correction(rejected.problem())));
        }
        ChatRequest request = ChatRequest.builder()
                .messages(messages)
                .responseFormat(ResponseFormat.builder()
                        .type(ResponseFormatType.JSON)
                        .jsonSchema(JsonSchema.builder().name(prompt.schemaName()).rootElement(JsonRawSchema.from(prompt.schema())).build())
                        .build())
                .build();
        try {
            String text = chat.chat(request).aiMessage().text();
            return text == null ? "" : text;
        } catch (RuntimeException e) {
            throw classify(e);
        }
    }

    private RuntimeException classify(RuntimeException e) {
        if (isTransient(e)) {
            return new JudgeUnavailableException(endpoint + " did not answer: " + describe(e), e);
        }
        return new JudgeRejectedException(endpoint + " refused the request: " + describe(e), e);
    }

    static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JacksonException) {
                return false; // an answer that is not the protocol's JSON will not become so by asking again
            }
            if (t instanceof RetriableException || t instanceof IOException || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
            if (t instanceof HttpException http) {
                return http.statusCode() == 408 || http.statusCode() == 429 || http.statusCode() >= 500;
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        if (root != e && e.getMessage() != null && !e.getMessage().equals(root.getMessage())) {
            message = e.getMessage() + " (" + message + ")";
        }
        return message.length() <= MAX_DESCRIPTION_CHARS ? message : message.substring(0, MAX_DESCRIPTION_CHARS) + "…";
    }
}
