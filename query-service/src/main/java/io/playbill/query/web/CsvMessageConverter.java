package io.playbill.query.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractHttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.HttpMessageNotWritableException;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.temporal.TemporalAccessor;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * {@code text/csv} (RFC 4180) for {@link Page}s and single records: a header row of the record's component names,
 * then one row per item. A field is quoted when it holds a comma, a quote, CR or LF; quotes are doubled. Lines end
 * with CRLF. Nested values (lists, maps, records) are written as JSON inside the field.
 *
 * <p>Text can come from anyone (a refund reason, a reference, a user id), and spreadsheets run a cell that starts
 * with {@code = + - @}, tab or CR as a formula (OWASP "CSV injection"): such text gets a leading {@code '}, which
 * makes the cell plain text. Numbers are written as they are, so a negative amount stays {@code -50}.
 */
public class CsvMessageConverter extends AbstractHttpMessageConverter<Object> {

    public static final MediaType TEXT_CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

    private final ObjectMapper json;

    public CsvMessageConverter(ObjectMapper json) {
        super(TEXT_CSV);
        this.json = json;
    }

    @Override
    protected boolean supports(Class<?> type) {
        return Page.class.isAssignableFrom(type) || type.isRecord();
    }

    @Override
    protected boolean canRead(MediaType mediaType) {
        return false;
    }

    @Override
    protected Object readInternal(Class<?> type, HttpInputMessage input) {
        throw new HttpMessageNotReadableException("CSV is only written", input);
    }

    @Override
    protected void writeInternal(Object body, HttpOutputMessage output) throws IOException {
        Writer out = new OutputStreamWriter(output.getBody(), StandardCharsets.UTF_8);
        if (body instanceof Page<?> page) {
            writeTable(out, page.itemType(), page.items());
        } else {
            writeTable(out, body.getClass(), List.of(body));
        }
        out.flush();
    }

    private void writeTable(Writer out, Class<?> type, List<?> rows) throws IOException {
        RecordComponent[] columns = type.getRecordComponents();
        for (int i = 0; i < columns.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(escape(columns[i].getName()));
        }
        out.write("\r\n");
        for (Object row : rows) {
            for (int i = 0; i < columns.length; i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(escape(cell(read(columns[i], row))));
            }
            out.write("\r\n");
        }
    }

    private static Object read(RecordComponent column, Object row) {
        try {
            return column.getAccessor().invoke(row);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new HttpMessageNotWritableException("Cannot read " + column.getName() + " for CSV", e);
        }
    }

    private String cell(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof CharSequence text) {
            return neutralise(text.toString());
        }
        if (value instanceof Number || value instanceof Boolean
                || value instanceof TemporalAccessor || value instanceof Enum<?>) {
            return value.toString();
        }
        if (value instanceof Collection<?> || value instanceof Map<?, ?> || value.getClass().isRecord()) {
            try {
                return json.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                throw new HttpMessageNotWritableException("Cannot write a nested value as JSON", e);
            }
        }
        return value.toString();
    }

    /** Text a spreadsheet would take for a formula, prefixed with {@code '} so that it stays text. */
    public static String neutralise(String text) {
        if (text.isEmpty()) {
            return text;
        }
        return switch (text.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r' -> "'" + text;
            default -> text;
        };
    }

    /** RFC 4180: quote a field that holds a separator, a quote or a line break, doubling its quotes. */
    public static String escape(String field) {
        boolean quote = field.indexOf(',') >= 0 || field.indexOf('"') >= 0 || field.indexOf('\n') >= 0
                || field.indexOf('\r') >= 0;
        return quote ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }
}
