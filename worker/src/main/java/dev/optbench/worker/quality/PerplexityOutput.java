package dev.optbench.worker.quality;

import dev.optbench.contracts.messages.PerplexityFigures;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads llama-perplexity's figures from its log: the plain run's final estimate, or the KL-divergence
 * run's statistics block.
 */
public final class PerplexityOutput {
    private static final String NUMBER = "([-+]?(?:\\d+\\.?\\d*(?:[eE][-+]?\\d+)?|nan|inf))";
    private static final Pattern CHUNKS = Pattern.compile("over (\\d+) chunks, n_ctx=(\\d+)");
    private static final Pattern FINAL = Pattern.compile("Final estimate: PPL = " + NUMBER + " \\+/- " + NUMBER);
    private static final Pattern MEAN_PPL_Q = Pattern.compile("Mean PPL\\(Q\\)\\s*:\\s*" + NUMBER + "\\s*±\\s*" + NUMBER);
    private static final Pattern MEAN_KLD = Pattern.compile("Mean\\s+KLD:\\s*" + NUMBER);
    private static final Pattern P99_KLD = Pattern.compile("99\\.0%\\s+KLD:\\s*" + NUMBER);
    private static final Pattern SAME_TOP = Pattern.compile("Same top p:\\s*" + NUMBER);

    private PerplexityOutput() {
    }

    /** The figures of a run without a KL-divergence base comparison; null when the log holds no final estimate. */
    public static PerplexityFigures plain(String corpus, String log) {
        Matcher estimate = last(FINAL, log);
        if (estimate == null) {
            return null;
        }
        int[] chunks = chunks(log);
        return new PerplexityFigures(corpus, number(estimate.group(1)), number(estimate.group(2)), null, null, null, chunks[1], chunks[0]);
    }

    /** The figures of a {@code --kl-divergence} run; null when the log lacks its statistics. */
    public static PerplexityFigures klDivergence(String corpus, String log) {
        Matcher ppl = last(MEAN_PPL_Q, log);
        Matcher kld = last(MEAN_KLD, log);
        if (ppl == null || kld == null) {
            return null;
        }
        Matcher p99 = last(P99_KLD, log);
        Matcher same = last(SAME_TOP, log);
        int[] chunks = chunks(log);
        return new PerplexityFigures(corpus, number(ppl.group(1)), number(ppl.group(2)), number(kld.group(1)),
                p99 == null ? null : number(p99.group(1)), same == null ? null : number(same.group(1)), chunks[1], chunks[0]);
    }

    private static int[] chunks(String log) {
        Matcher matcher = last(CHUNKS, log);
        return matcher == null ? new int[] {0, 0} : new int[] {Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2))};
    }

    private static Matcher last(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        int start = -1;
        while (matcher.find()) {
            start = matcher.start();
        }
        if (start < 0) {
            return null;
        }
        Matcher last = pattern.matcher(text);
        last.find(start);
        return last;
    }

    private static double number(String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "nan" -> Double.NaN;
            case "inf", "+inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }
}
