package dev.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class PythonLiteralTest {

    @Test
    void readsTheListOfFlagDictsUsersWriteInPython() {
        List<LinkedHashMap<String, Object>> variants = PythonLiteral.parseFlagDicts(
                "[{'--flash-attn': None, '--cache-type-k': 'f16', '--threads': 4}, {\"--no-kv-offload\": null}]");
        assertEquals(2, variants.size());
        assertEquals(List.of("--flash-attn", "--cache-type-k", "--threads"), new ArrayList<>(variants.get(0).keySet()));
        assertNull(variants.get(0).get("--flash-attn"));
        assertEquals(4L, variants.get(0).get("--threads"));
        assertTrue(variants.get(1).containsKey("--no-kv-offload"));
    }

    @Test
    void readsBooleansFloatsTuplesAndTrailingCommas() {
        assertEquals(List.of(true, false, 0.5, -2L), PythonLiteral.parse("(True, False, 0.5, -2,)"));
    }

    @Test
    void aSingleDictIsOneVariant() {
        assertEquals(1, PythonLiteral.parseFlagDicts("{'--threads': 2}").size());
    }

    @Test
    void namesWhereTheLiteralBreaks() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PythonLiteral.parse("[{'--threads': four}]"));
        assertTrue(e.getMessage().contains("character 16"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PythonLiteral.parse("[{'a': 1}"));
        assertThrows(IllegalArgumentException.class, () -> PythonLiteral.parse("{'a': 1, 'a': 2}"));
        assertThrows(IllegalArgumentException.class, () -> PythonLiteral.parseFlagDicts("[1, 2]"));
    }
}
