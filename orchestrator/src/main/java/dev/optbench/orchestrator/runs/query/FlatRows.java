package dev.optbench.orchestrator.runs.query;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.optbench.contracts.messages.Messages;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes flat rows (one column list, then rows of values) as CSV (RFC 4180, header line first) or as a JSON array
 * of objects, streaming, so a run of a hundred thousand samples never sits in memory.
 */
public abstract sealed class FlatRows implements AutoCloseable {

    public enum Format { CSV, JSON }

    protected final List<String> columns;

    private FlatRows(List<String> columns) {
        this.columns = columns;
    }

    public static FlatRows open(Format format, List<String> columns, OutputStream out) throws IOException {
        return format == Format.CSV ? new Csv(columns, out) : new Json(columns, out);
    }

    public abstract void row(List<?> values) throws IOException;

    @Override
    public abstract void close() throws IOException;

    private static final class Csv extends FlatRows {
        private final Writer writer;

        Csv(List<String> columns, OutputStream out) throws IOException {
            super(columns);
            writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            row(columns);
        }

        @Override
        public void row(List<?> values) throws IOException {
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    writer.write(',');
                }
                writer.write(cell(values.get(i)));
            }
            writer.write("\r\n");
        }

        private static String cell(Object value) {
            if (value == null) {
                return "";
            }
            String text = value.toString();
            if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
                return text;
            }
            return '"' + text.replace("\"", "\"\"") + '"';
        }

        @Override
        public void close() throws IOException {
            writer.flush();
        }
    }

    private static final class Json extends FlatRows {
        private final JsonGenerator generator;

        Json(List<String> columns, OutputStream out) throws IOException {
            super(columns);
            generator = Messages.mapper().getFactory().createGenerator(out);
            generator.setCodec(Messages.mapper());
            generator.writeStartArray();
        }

        @Override
        public void row(List<?> values) throws IOException {
            generator.writeStartObject();
            for (int i = 0; i < columns.size(); i++) {
                generator.writeFieldName(columns.get(i));
                generator.writeObject(values.get(i));
            }
            generator.writeEndObject();
        }

        @Override
        public void close() throws IOException {
            generator.writeEndArray();
            generator.flush();
        }
    }
}
