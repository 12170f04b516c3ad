package dev.optbench.judge.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.judge.models.JudgeEndpoint;
import dev.optbench.judge.verdicts.JudgePrompts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JudgementCacheTest {
    private static final JudgeEndpoint JUDGE = new JudgeEndpoint("openai", "http://127.0.0.1:1/v1", "judge", null);

    @Test
    void theKeyChangesWithJudgeModelEndpointAndTexts() {
        String key = JudgementCache.key(JUDGE, JudgePrompts.rubric(null, "q", "a", null));
        assertEquals(key, JudgementCache.key(JUDGE, JudgePrompts.rubric(null, "q", "a", null)));
        assertNotEquals(key, JudgementCache.key(new JudgeEndpoint("openai", "http://127.0.0.1:1/v1", "other", null), JudgePrompts.rubric(null, "q", "a", null)));
        assertNotEquals(key, JudgementCache.key(new JudgeEndpoint("ollama", "http://127.0.0.1:1/v1", "judge", null), JudgePrompts.rubric(null, "q", "a", null)));
        assertNotEquals(key, JudgementCache.key(JUDGE, JudgePrompts.rubric(null, "q", "b", null)));
        assertNotEquals(key, JudgementCache.key(JUDGE, JudgePrompts.rubric(null, "q", "a", "ref")));
        assertNotEquals(key, JudgementCache.key(JUDGE, JudgePrompts.rubric(List.of("earlier"), "q", "a", null)));
    }

    @Test
    void theLeastRecentlyUsedEntryLeavesFirst() {
        JudgementCache cache = new JudgementCache(2, null);
        cache.put("one", List.of("1"));
        cache.put("two", List.of("2"));
        cache.get("one");
        cache.put("three", List.of("3"));
        assertEquals(Optional.of(List.of("1")), cache.get("one"));
        assertEquals(Optional.empty(), cache.get("two"));
        assertEquals(2, cache.size());
    }

    @Test
    void entriesSurviveARestartThroughTheFileAndACutLineIsSkipped(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("judge-cache.jsonl");
        JudgementCache first = new JudgementCache(10, file);
        first.put("k1", List.of("{\"winner\": \"A\"}"));
        first.put("k2", List.of("not json", "{\"winner\": \"tie\"}"));
        first.put("k1", List.of("{\"winner\": \"B\"}"));
        first.close();
        Files.writeString(file, "{\"key\":\"k3\",\"repl", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        JudgementCache second = new JudgementCache(10, file);
        assertEquals(Optional.of(List.of("{\"winner\": \"B\"}")), second.get("k1"));
        assertEquals(Optional.of(List.of("not json", "{\"winner\": \"tie\"}")), second.get("k2"));
        assertEquals(2, second.size());
        second.close();
        assertEquals(2, Files.readAllLines(file).size(), "compacted to one line per entry");
        assertTrue(Files.readString(file).contains("k2"));
    }
}
