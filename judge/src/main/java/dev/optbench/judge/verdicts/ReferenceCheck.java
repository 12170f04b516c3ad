package dev.optbench.judge.verdicts;

import dev.optbench.contracts.messages.Verdict;
import java.text.Normalizer;
import java.util.Locale;

/**
 * Checks an answer against the prompt set's expected answer without an LLM. The first method that matches
 * decides: {@code exact} (equal after trimming), {@code normalised} (equal after Unicode NFKC, lower case,
 * punctuation removed and spaces collapsed), {@code contains} (the normalised reference occurs in the
 * normalised answer as whole words). None matching is a FAIL.
 */
public final class ReferenceCheck {
    public static final String VERSION = "reference-v1";
    public static final String JUDGE = "reference-check";

    public enum Method {
        EXACT, NORMALISED, CONTAINS, NONE
    }

    /** The outcome with the method that decided it and a sentence for the score's raw reply. */
    public record Result(Verdict verdict, Method method, String explanation) {
    }

    private ReferenceCheck() {
    }

    public static Result check(String answer, String reference) {
        String given = answer == null ? "" : answer;
        if (given.strip().equals(reference.strip())) {
            return new Result(Verdict.PASS, Method.EXACT, "exact: the answer equals the reference");
        }
        String normalisedAnswer = normalise(given);
        String normalisedReference = normalise(reference);
        if (normalisedReference.isEmpty()) {
            return new Result(Verdict.FAIL, Method.NONE, "none: the reference is empty after normalisation, so nothing can match it");
        }
        if (normalisedAnswer.equals(normalisedReference)) {
            return new Result(Verdict.PASS, Method.NORMALISED,
                    "normalised: the answer equals the reference after normalisation (NFKC, lower case, no punctuation, single spaces)");
        }
        if ((" " + normalisedAnswer + " ").contains(" " + normalisedReference + " ")) {
            return new Result(Verdict.PASS, Method.CONTAINS,
                    "contains: the normalised reference \"" + normalisedReference + "\" occurs in the normalised answer as whole words");
        }
        return new Result(Verdict.FAIL, Method.NONE,
                "none: the answer neither equals nor contains the reference \"" + normalisedReference + "\", even after normalisation");
    }

    static String normalise(String text) {
        String folded = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        return folded.replaceAll("[\\p{P}\\p{S}]+", " ").replaceAll("\\s+", " ").strip();
    }
}
