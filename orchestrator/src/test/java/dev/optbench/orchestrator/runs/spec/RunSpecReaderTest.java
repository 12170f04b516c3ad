package dev.optbench.orchestrator.runs.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.optbench.contracts.spec.RunSpec;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RunSpecReaderTest {

    private static Map<String, String> errorsOf(String json) {
        FieldErrors errors = new FieldErrors();
        RunSpecReader.read(json, errors);
        return errors.list().stream().collect(Collectors.toMap(FieldErrors.FieldError::field, FieldErrors.FieldError::message));
    }

    @Test
    void readsFlagsInTheOrderWrittenWithNullForABareFlag() {
        FieldErrors errors = new FieldErrors();
        RunSpec spec = RunSpecReader.read("""
                {"name": "r", "pool": "cpu", "models": ["synthetic:tiny"],
                 "variants": [{"name": "v", "flags": {"--threads": 4, "--flash-attn": null, "--cache-type-k": "f16"}}]}""", errors);
        assertTrue(errors.isEmpty(), errors.list().toString());
        var flags = spec.variants().get(0).flags();
        assertEquals(List.of("--threads", "--flash-attn", "--cache-type-k"), List.copyOf(flags.keySet()));
        assertNull(flags.get("--flash-attn"));
        assertEquals(new BigDecimal("4"), flags.get("--threads"));
        assertEquals("synthetic:tiny", spec.models().get(0).ref());
    }

    @Test
    void namesEveryFieldOfTheWrongTypeByItsPath() {
        Map<String, String> errors = errorsOf("""
                {"name": 5, "pool": "cpu", "models": [{"ref": "synthetic:tiny", "quantizations": "Q4_0"}],
                 "variants": [{"name": "a", "flags": {}}, {"name": "b", "flags": ["--threads"]}],
                 "workload": {"rounds": "five", "repetitions": 2.5, "concurrency": [1, "4"], "temperature": "hot"},
                 "quality": {"judge": "yes"}}""");
        assertEquals("must be a string", errors.get("name"));
        assertEquals("must be a list", errors.get("models[0].quantizations"));
        assertTrue(errors.get("variants[1].flags").startsWith("must be an object"), errors.toString());
        assertEquals("must be an integer", errors.get("workload.rounds"));
        assertTrue(errors.get("workload.repetitions").startsWith("must be a whole number"), errors.toString());
        assertEquals("must be an integer", errors.get("workload.concurrency[1]"));
        assertEquals("must be a number", errors.get("workload.temperature"));
        assertEquals("must be true or false", errors.get("quality.judge"));
        assertEquals(8, errors.size(), errors.toString());
    }

    @Test
    void refusesUnknownFieldsSoATypoDoesNotFallBackToADefault() {
        Map<String, String> errors = errorsOf("""
                {"name": "r", "pool": "cpu", "models": ["synthetic:tiny"], "workload": {"repetitons": 3}}""");
        assertTrue(errors.get("workload.repetitons").startsWith("is not a known field"), errors.toString());
    }

    @Test
    void reportsMalformedJsonWithItsPosition() {
        Map<String, String> errors = errorsOf("{\"name\": \"r\",\n \"pool\": }");
        assertTrue(errors.get("").startsWith("is not valid JSON"), errors.toString());
        assertTrue(errors.get("").contains("line 2"), errors.toString());
    }

    @Test
    void refusesDuplicateKeys() {
        Map<String, String> errors = errorsOf("{\"name\": \"a\", \"name\": \"b\"}");
        assertTrue(errors.get("").contains("Duplicate field"), errors.toString());
    }

    @Test
    void refusesAFlagValueTooLargeForADoubleInsteadOfFailing() {
        Map<String, String> errors = errorsOf("""
                {"name": "r", "pool": "cpu", "models": ["synthetic:tiny"], "baseline": {"flags": {"--ctx-size": 1e400}},
                 "sweep": {"axes": {"--keep": [0, -1e999]}}}""");
        assertTrue(errors.get("baseline.flags.--ctx-size").contains("too large"), errors.toString());
        assertTrue(errors.get("sweep.axes.--keep[1]").contains("too large"), errors.toString());
    }

    @Test
    void refusesTextThatCannotBeStoredNulAndUnpairedSurrogates() {
        Map<String, String> errors = errorsOf("""
                {"name": "half \\ud83d", "pool": "cpu", "models": ["synthetic:tiny"],
                 "workload": {"conversations": [["Hi\\u0000there", {"prompt": "ok \\ud83d\\ude00", "reference": "\\ude00"}]]}}""");
        assertTrue(errors.get("name").contains("NUL"), errors.toString());
        assertTrue(errors.get("workload.conversations[0][0]").contains("NUL"), errors.toString());
        assertTrue(errors.get("workload.conversations[0][1].reference").contains("surrogate"), errors.toString());
        assertEquals(3, errors.size(), "a whole surrogate pair (an emoji) is fine: " + errors);
    }

    @Test
    void refusesAnythingAfterTheSpec() {
        String spec = "{\"name\": \"r\", \"pool\": \"cpu\", \"models\": [\"synthetic:tiny\"]}";
        assertTrue(errorsOf(spec + " garbage").get("").startsWith("is not valid JSON"));
        assertTrue(errorsOf(spec + spec).get("").startsWith("is not valid JSON"));
    }

    @Test
    void readsADecimalFlagValueExactlySoATinyFractionIsNotZero() {
        FieldErrors errors = new FieldErrors();
        RunSpec spec = RunSpecReader.read("""
                {"name": "r", "pool": "cpu", "models": ["synthetic:tiny"], "baseline": {"flags": {"--threads": 1e-991, "--temp": 0.1}}}""", errors);
        assertEquals(new BigDecimal("1e-991"), spec.baseline().flags().get("--threads"));
        assertEquals(new BigDecimal("0.1"), spec.baseline().flags().get("--temp"));
    }
}
