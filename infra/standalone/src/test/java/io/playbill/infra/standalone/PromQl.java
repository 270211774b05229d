package io.playbill.infra.standalone;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The series selectors of a PromQL expression, as far as a dashboard or an alert needs checking: each metric name with
 * its label matchers. It walks the expression's tokens: strings, numbers, durations and subqueries in brackets, and
 * Grafana variables are skipped; an identifier is a metric name unless it calls something ({@code rate(}), is a
 * keyword or aggregation ({@code sum by (le)}), or is a label in a grouping list. A selector without a metric name
 * ({@code {__name__="x"}}) is refused, so that no metric escapes the check.
 */
final class PromQl {

    /** One metric selector: {@code name{label="value",...}}, with the labels matched for equality only. */
    record Selector(String metric, Map<String, String> equalLabels) {
    }

    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset", "atan2", "sum", "min", "max", "avg", "group", "stddev", "stdvar",
            "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio", "inf", "nan");
    private static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

    private final String text;
    private int at;

    private PromQl(String text) {
        this.text = text;
    }

    static List<Selector> selectors(String expression) {
        return new PromQl(expression).parse();
    }

    private List<Selector> parse() {
        List<Selector> selectors = new ArrayList<>();
        while (skipSpace()) {
            char c = text.charAt(at);
            if (c == '"' || c == '\'' || c == '`') {
                skipString(c);
            } else if (c == '[') {
                skipPast(']');
            } else if (c == '$') {
                at++;
                identifier();
            } else if (c == '{') {
                throw new IllegalArgumentException("A selector without a metric name at " + at + " in: " + text);
            } else if (Character.isDigit(c) || c == '.' && at + 1 < text.length()
                    && Character.isDigit(text.charAt(at + 1))) {
                while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '.')) {
                    at++;
                }
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                String name = identifier();
                skipSpace();
                boolean calls = at < text.length() && text.charAt(at) == '(';
                if (GROUPING.contains(name)) {
                    if (calls) {
                        skipPast(')'); // the label list
                    }
                } else if (!calls && !KEYWORDS.contains(name)) {
                    selectors.add(new Selector(name, at < text.length() && text.charAt(at) == '{' ? labels()
                            : Map.of()));
                }
            } else {
                at++;
            }
        }
        return selectors;
    }

    /** The equality matchers of a {@code {...}} block; {@code !=}, {@code =~} and {@code !~} are read and ignored. */
    private Map<String, String> labels() {
        Map<String, String> equal = new LinkedHashMap<>();
        at++; // {
        while (skipSpace() && text.charAt(at) != '}') {
            if (text.charAt(at) == ',') {
                at++;
                continue;
            }
            String label = identifier();
            skipSpace();
            int opStart = at;
            while (at < text.length() && "=!~".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
            String operator = text.substring(opStart, at);
            skipSpace();
            String value = stringValue();
            if (label.isEmpty() || operator.isEmpty()) {
                throw new IllegalArgumentException("Cannot read the label matchers at " + at + " in: " + text);
            }
            if (operator.equals("=")) {
                equal.put(label, value);
            }
        }
        at++; // }
        return equal;
    }

    private String identifier() {
        int start = at;
        while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_'
                || text.charAt(at) == ':')) {
            at++;
        }
        return text.substring(start, at);
    }

    private String stringValue() {
        char quote = text.charAt(at);
        int start = at + 1;
        skipString(quote);
        return text.substring(start, at - 1);
    }

    private void skipString(char quote) {
        at++;
        while (at < text.length() && text.charAt(at) != quote) {
            at += text.charAt(at) == '\\' ? 2 : 1;
        }
        if (at >= text.length()) {
            throw new IllegalArgumentException("An unterminated string in: " + text);
        }
        at++;
    }

    private void skipPast(char close) {
        int end = text.indexOf(close, at);
        if (end < 0) {
            throw new IllegalArgumentException("No closing " + close + " in: " + text);
        }
        at = end + 1;
    }

    /** Moves to the next non-space character; false at the end. */
    private boolean skipSpace() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
        return at < text.length();
    }
}
