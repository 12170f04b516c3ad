package dev.optbench.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table for the terminal: columns sized to their widest cell, numbers right-aligned.
 */
public final class TextTable {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public TextTable(List<String> headers) {
        this.headers = List.copyOf(headers);
    }

    public TextTable row(List<String> cells) {
        if (cells.size() != headers.size()) {
            throw new IllegalArgumentException("row has " + cells.size() + " cells, table has " + headers.size() + " columns");
        }
        rows.add(cells.stream().map(cell -> cell == null ? "" : cell).toList());
        return this;
    }

    public String render() {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, headers, widths, false);
        for (int i = 0; i < widths.length; i++) {
            out.append(i == 0 ? "" : "  ").append("-".repeat(widths[i]));
        }
        out.append(System.lineSeparator());
        rows.forEach(row -> line(out, row, widths, true));
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths, boolean alignNumbers) {
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            boolean number = alignNumbers && i > 0 && cell.matches("[-+]?[0-9.,]+( ?[%a-zA-Z/]+)?( \\([-+][0-9.]+%\\))?");
            String padded = number ? " ".repeat(widths[i] - cell.length()) + cell : cell + " ".repeat(widths[i] - cell.length());
            out.append(i == 0 ? "" : "  ").append(padded);
        }
        int end = out.length();
        while (end > 0 && out.charAt(end - 1) == ' ') {
            end--;
        }
        out.setLength(end);
        out.append(System.lineSeparator());
    }
}
