package dev.optbench.judge.verdicts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.optbench.contracts.messages.Verdict;
import org.junit.jupiter.api.Test;

class PairwiseVerdictTest {

    @Test
    void bothOrdersPreferringTheVariantIsAWin() {
        // answer-first: the variant is A; baseline-first: the variant is B.
        assertEquals(new PairwiseVerdict(Verdict.WIN, false), PairwiseVerdict.of(PairwiseChoice.A, PairwiseChoice.B));
    }

    @Test
    void bothOrdersPreferringTheBaselineIsALoss() {
        assertEquals(new PairwiseVerdict(Verdict.LOSS, false), PairwiseVerdict.of(PairwiseChoice.B, PairwiseChoice.A));
    }

    @Test
    void aJudgeThatAlwaysPicksTheFirstPositionGetsATieAndADisagreement() {
        assertEquals(new PairwiseVerdict(Verdict.TIE, true), PairwiseVerdict.of(PairwiseChoice.A, PairwiseChoice.A));
        assertEquals(new PairwiseVerdict(Verdict.TIE, true), PairwiseVerdict.of(PairwiseChoice.B, PairwiseChoice.B));
    }

    @Test
    void aWinInOneOrderAndATieInTheOtherIsATieWithDisagreement() {
        assertEquals(new PairwiseVerdict(Verdict.TIE, true), PairwiseVerdict.of(PairwiseChoice.A, PairwiseChoice.TIE));
    }

    @Test
    void twoTiesAgree() {
        assertEquals(new PairwiseVerdict(Verdict.TIE, false), PairwiseVerdict.of(PairwiseChoice.TIE, PairwiseChoice.TIE));
    }

    @Test
    void anUnreadableOrderMakesTheVerdictUnparseableNotATie() {
        assertEquals(new PairwiseVerdict(Verdict.UNPARSEABLE, null), PairwiseVerdict.of(null, PairwiseChoice.B));
        assertEquals(new PairwiseVerdict(Verdict.UNPARSEABLE, null), PairwiseVerdict.of(PairwiseChoice.A, null));
    }
}
