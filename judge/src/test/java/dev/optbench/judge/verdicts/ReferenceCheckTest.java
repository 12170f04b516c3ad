package dev.optbench.judge.verdicts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.optbench.contracts.messages.Verdict;
import org.junit.jupiter.api.Test;

class ReferenceCheckTest {

    @Test
    void anEqualAnswerPassesExactly() {
        ReferenceCheck.Result result = ReferenceCheck.check("  Paris\n", "Paris");
        assertEquals(Verdict.PASS, result.verdict());
        assertEquals(ReferenceCheck.Method.EXACT, result.method());
    }

    @Test
    void caseAndPunctuationAndSpacesAreNormalisedAway() {
        ReferenceCheck.Result result = ReferenceCheck.check("paris.", "Paris");
        assertEquals(ReferenceCheck.Method.NORMALISED, result.method());
        assertEquals(Verdict.PASS, result.verdict());
        assertEquals(ReferenceCheck.Method.NORMALISED, ReferenceCheck.check("Ｐａｒｉｓ", "paris").method());
        assertEquals(ReferenceCheck.Method.NORMALISED, ReferenceCheck.check("New   York!", "new york").method());
    }

    @Test
    void aReferenceInsideALongerAnswerPassesAsContains() {
        ReferenceCheck.Result result = ReferenceCheck.check("The capital of France is Paris, of course.", "Paris");
        assertEquals(Verdict.PASS, result.verdict());
        assertEquals(ReferenceCheck.Method.CONTAINS, result.method());
        assertEquals(true, result.explanation().startsWith("contains:"));
    }

    @Test
    void containsMatchesWholeWordsOnly() {
        assertEquals(Verdict.FAIL, ReferenceCheck.check("This is not so.", "no").verdict());
        assertEquals(Verdict.FAIL, ReferenceCheck.check("positively", "positive").verdict());
    }

    @Test
    void aWrongOrEmptyAnswerFailsAndSaysSo() {
        ReferenceCheck.Result result = ReferenceCheck.check("London", "Paris");
        assertEquals(Verdict.FAIL, result.verdict());
        assertEquals(ReferenceCheck.Method.NONE, result.method());
        assertEquals(Verdict.FAIL, ReferenceCheck.check(null, "Paris").verdict());
        assertEquals(Verdict.FAIL, ReferenceCheck.check("anything", "?!").verdict());
    }
}
