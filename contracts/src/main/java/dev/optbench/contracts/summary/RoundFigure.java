package dev.optbench.contracts.summary;

/**
 * Medians over one conversation round's samples (round 0 is the first user turn): the data of the round
 * impact chart, where the flattest slope wins.
 */
public record RoundFigure(int round, int n, double latencyMillisP50, double ttftMillisP50, double promptTokensP50) {
}
