package dev.optbench.bench.platform;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The one table the benchmark prints: every figure in the order of the sections, as Markdown. */
final class ResultTable {
    private static final String[] SECTIONS = {"", "fidelity", "harness overhead", "dispatch", "ingestion",
            "queries and charts", "memory", "in process (JMH)"};
    private final List<Figure> figures = Collections.synchronizedList(new ArrayList<>());

    void add(Figure figure) {
        figures.add(figure);
    }

    void addAll(List<Figure> more) {
        figures.addAll(more);
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| # | figure | median | spread (min – max) | n | unit | goal | |\n");
        out.append("| --- | --- | ---: | ---: | ---: | --- | --- | --- |\n");
        List<Figure> ordered = new ArrayList<>(figures);
        ordered.sort((a, b) -> Integer.compare(a.section(), b.section()));
        for (Figure f : ordered) {
            out.append("| ").append(f.section()).append(' ').append(SECTIONS[f.section()])
                    .append(" | ").append(f.name())
                    .append(" | ").append(f.medianText())
                    .append(" | ").append(f.spreadText())
                    .append(" | ").append(f.measured().length)
                    .append(" | ").append(f.unit())
                    .append(" | ").append(f.goal() == null ? "" : f.goal())
                    .append(" | ").append(f.verdict())
                    .append(" |\n");
        }
        return out.toString();
    }
}
