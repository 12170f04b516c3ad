package dev.optbench.contracts.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HubFileChoiceTest {
    private static List<HubFile> files(String... paths) {
        return java.util.Arrays.stream(paths).map(p -> new HubFile(p, 1, null)).toList();
    }

    private static List<String> chosen(String tag, String... paths) {
        return HubFileChoice.choose("user/repo", tag, files(paths)).stream().map(HubFile::path).toList();
    }

    @Test
    void aTagPicksTheFileWhoseNameHoldsItFollowedByADotOrDash() {
        assertEquals(List.of("model-Q4_K_M.gguf"), chosen("Q4_K_M", "model-Q4_K.gguf", "model-Q4_K_S.gguf", "model-Q4_K_M.gguf"));
        assertEquals(List.of("model-Q4_K.gguf"), chosen("q4_k", "model-Q4_K_S.gguf", "model-Q4_K.gguf"), "case does not matter, Q4_K is not Q4_K_S");
    }

    @Test
    void withoutATagItPrefersQ4KMThenQ8ThenTheFirstModelFileAsLlamaCppDoes() {
        assertEquals(List.of("m-Q4_K_M.gguf"), chosen(null, "m-F16.gguf", "m-Q8_0.gguf", "m-Q4_K_M.gguf"));
        assertEquals(List.of("m-Q8_0.gguf"), chosen(null, "m-F16.gguf", "m-Q8_0.gguf"));
        assertEquals(List.of("m-F16.gguf"), chosen(null, "mmproj-m-F16.gguf", "m-F16.gguf", "README.md"));
    }

    @Test
    void projectorsImatricesAndDraftHeadsAreNotModels() {
        ModelHubException e = assertThrows(ModelHubException.class,
                () -> chosen(null, "mmproj-Q4_K_M.gguf", "imatrix.gguf", "mtp-Q4_K_M.gguf", "eagle3-Q4_K_M.gguf"));
        assertTrue(e.getMessage().contains("names no GGUF model file"), e.getMessage());
    }

    @Test
    void aSplitModelIsEveryPartInOrderStartingWithTheFirst() {
        assertEquals(List.of("Q4_K_M/m-Q4_K_M-00001-of-00003.gguf", "Q4_K_M/m-Q4_K_M-00002-of-00003.gguf", "Q4_K_M/m-Q4_K_M-00003-of-00003.gguf"),
                chosen("Q4_K_M", "Q4_K_M/m-Q4_K_M-00003-of-00003.gguf", "Q4_K_M/m-Q4_K_M-00002-of-00003.gguf", "Q8_0/m-Q8_0.gguf",
                        "Q4_K_M/m-Q4_K_M-00001-of-00003.gguf"));
        ModelHubException missing = assertThrows(ModelHubException.class,
                () -> chosen("Q4_K_M", "m-Q4_K_M-00001-of-00003.gguf", "m-Q4_K_M-00003-of-00003.gguf"));
        assertTrue(missing.getMessage().contains("part 1 of 3") && missing.getMessage().contains("2 of its parts"), missing.getMessage());
    }

    @Test
    void anUnknownTagNamesTheFilesTheRepositoryHas() {
        ModelHubException e = assertThrows(ModelHubException.class, () -> chosen("Q2_K", "m-Q4_K_M.gguf", "m-Q8_0.gguf", "README.md"));
        assertEquals("hf:user/repo:Q2_K names no GGUF model file of the repository; it has m-Q4_K_M.gguf, m-Q8_0.gguf", e.getMessage());
    }

    @Test
    void pathsThatCouldLeaveTheCacheAreNotSafe() {
        for (String path : List.of("../x.gguf", "a/../../x.gguf", "/etc/x.gguf", "a//b.gguf", "./x.gguf", "a\\b.gguf", "")) {
            assertTrue(!ModelHub.safePath(path), path);
        }
        assertTrue(ModelHub.safePath("Q4_K_M/model-00001-of-00002.gguf"));
    }
}
