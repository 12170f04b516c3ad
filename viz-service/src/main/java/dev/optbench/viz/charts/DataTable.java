package dev.optbench.viz.charts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures a chart draws, as rows: the CSV and JSON downloads of every chart.
 */
public final class DataTable {
    private final List<String> columns;
    private final List<List<Object>> rows = new ArrayList<>();

    public DataTable(String... columns) {
        this.columns = List.of(columns);
    }

    public DataTable(List<String> columns) {
        this.columns = List.copyOf(columns);
    }

    public DataTable add(Object... values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException(values.length + " values for " + columns.size() + " columns");
        }
        rows.add(java.util.Arrays.asList(values));
        return this;
    }

    public List<String> columns() {
        return columns;
    }

    public int size() {
        return rows.size();
    }

    /** Rows as objects keyed by column, nulls kept, for JSON. */
    public List<Map<String, Object>> records() {
        List<Map<String, Object>> records = new ArrayList<>(rows.size());
        for (List<Object> row : rows) {
            Map<String, Object> record = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                record.put(columns.get(i), row.get(i));
            }
            records.add(record);
        }
        return records;
    }

    /** RFC 4180 CSV with a header line; empty cells for missing values. */
    public String toCsv() {
        StringBuilder csv = new StringBuilder();
        line(csv, new ArrayList<>(columns));
        for (List<Object> row : rows) {
            line(csv, row);
        }
        return csv.toString();
    }

    private static void line(StringBuilder csv, List<?> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                csv.append(',');
            }
            Object value = values.get(i);
            String text = value == null ? "" : value.toString();
            if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
                csv.append('"').append(text.replace("\"", "\"\"")).append('"');
            } else {
                csv.append(text);
            }
        }
        csv.append("\r\n");
    }
}
