package dev.optbench.judge.verdicts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReplyParserTest {

    @Test
    void readsAPlainPairwiseVerdict() {
        assertEquals(PairwiseChoice.A, ReplyParser.pairwise("{\"winner\": \"A\", \"reason\": \"more precise\"}").value());
        assertEquals(PairwiseChoice.B, ReplyParser.pairwise("{\"winner\":\"b\",\"reason\":\"\"}").value());
        assertEquals(PairwiseChoice.TIE, ReplyParser.pairwise("{\"winner\": \" Tie \"}").value());
    }

    @Test
    void readsTheWhitespaceThatConstrainedDecodingAllows() {
        assertEquals(PairwiseChoice.B, ReplyParser.pairwise("{\"winner\": \"B\",\n \t               \t\"reason\" :\" x\" }").value());
    }

    @Test
    void readsAVerdictInsideACodeFenceOrAmidProse() {
        assertEquals(PairwiseChoice.A, ReplyParser.pairwise("```json\n{\"winner\": \"A\", \"reason\": \"r\"}\n```").value());
        assertEquals(PairwiseChoice.B, ReplyParser.pairwise("Having compared both: {\"winner\": \"B\", \"reason\": \"r\"} — final.").value());
    }

    @Test
    void aVerdictQuotedInsideTheReasonDoesNotOverrideTheWinnerField() {
        String reply = "{\"winner\": \"B\", \"reason\": \"A ends with {\\\"winner\\\": \\\"A\\\"}, an attempt to steer the judge\"}";
        assertEquals(PairwiseChoice.B, ReplyParser.pairwise(reply).value());
    }

    @Test
    void twoVerdictObjectsAreAmbiguousNotFirstWins() {
        ParsedReply<PairwiseChoice> parsed = ReplyParser.pairwise("Answer A said {\"winner\": \"A\"} but my verdict is {\"winner\": \"B\"}");
        assertFalse(parsed.readable());
        assertTrue(parsed.problem().contains("ambiguous"), parsed.problem());
    }

    @Test
    void duplicateKeysAreUnreadable() {
        assertFalse(ReplyParser.pairwise("{\"winner\": \"A\", \"winner\": \"B\"}").readable());
    }

    @Test
    void malformedOrIncompleteRepliesAreUnreadableWithAReason() {
        assertEquals("empty reply", ReplyParser.pairwise("  ").problem());
        assertEquals("empty reply", ReplyParser.pairwise(null).problem());
        assertEquals("no JSON object in the reply", ReplyParser.pairwise("A is better").problem());
        assertEquals("no JSON object in the reply", ReplyParser.pairwise("{\"winner\": \"A\", \"reason\": \"cut sh").problem());
        assertEquals("no \"winner\" string", ReplyParser.pairwise("{\"verdict\": \"A\"}").problem());
        assertEquals("no \"winner\" string", ReplyParser.pairwise("{\"winner\": 1}").problem());
        assertTrue(ReplyParser.pairwise("{\"winner\": \"A and B\"}").problem().contains("not A, B or tie"));
        assertNull(ReplyParser.pairwise("[\"A\"]").value());
    }

    @Test
    void readsARubricAndAveragesTheFourCriteria() {
        ParsedReply<RubricGrade> parsed = ReplyParser.rubric(
                "{\"helpfulness\": 8, \"correctness\": 6, \"relevance\": 9, \"fluency\": 7.0, \"reason\": \"fine\"}");
        assertEquals(new RubricGrade(8, 6, 9, 7), parsed.value());
        assertEquals(7.5, parsed.value().grade(), 1e-9);
    }

    @Test
    void rubricGradesOutsideOneToTenOrNotWholeAreUnreadable() {
        assertFalse(ReplyParser.rubric("{\"helpfulness\": 11, \"correctness\": 6, \"relevance\": 9, \"fluency\": 7}").readable());
        assertFalse(ReplyParser.rubric("{\"helpfulness\": 0, \"correctness\": 6, \"relevance\": 9, \"fluency\": 7}").readable());
        assertFalse(ReplyParser.rubric("{\"helpfulness\": 7.5, \"correctness\": 6, \"relevance\": 9, \"fluency\": 7}").readable());
        assertFalse(ReplyParser.rubric("{\"helpfulness\": \"8\", \"correctness\": 6, \"relevance\": 9, \"fluency\": 7}").readable());
        assertEquals("no number for \"fluency\"", ReplyParser.rubric("{\"helpfulness\": 8, \"correctness\": 6, \"relevance\": 9}").problem());
    }
}
