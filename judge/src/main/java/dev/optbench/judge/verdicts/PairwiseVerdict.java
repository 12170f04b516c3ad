package dev.optbench.judge.verdicts;

import dev.optbench.contracts.messages.Verdict;

/**
 * The variant's verdict against the baseline from two judgements with the answers' order swapped. A win or
 * loss counts only when both orders agree; when they differ the verdict is a tie and the disagreement is
 * recorded, since it shows the judge followed the position rather than the content.
 *
 * @param positionDisagreement null when an order could not be read, so there was nothing to compare
 */
public record PairwiseVerdict(Verdict verdict, Boolean positionDisagreement) {

    /**
     * @param answerFirst   the choice with the variant's answer shown as A, or null when unparseable
     * @param baselineFirst the choice with the baseline's answer shown as A, or null when unparseable
     */
    public static PairwiseVerdict of(PairwiseChoice answerFirst, PairwiseChoice baselineFirst) {
        if (answerFirst == null || baselineFirst == null) {
            return new PairwiseVerdict(Verdict.UNPARSEABLE, null);
        }
        Verdict first = forVariant(answerFirst, true);
        Verdict second = forVariant(baselineFirst, false);
        if (first == second) {
            return new PairwiseVerdict(first, false);
        }
        return new PairwiseVerdict(Verdict.TIE, true);
    }

    private static Verdict forVariant(PairwiseChoice choice, boolean variantShownFirst) {
        return switch (choice) {
            case TIE -> Verdict.TIE;
            case A -> variantShownFirst ? Verdict.WIN : Verdict.LOSS;
            case B -> variantShownFirst ? Verdict.LOSS : Verdict.WIN;
        };
    }
}
