package io.playbill.query.web;

import io.playbill.service.web.ApiException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Instants in query parameters: an ISO-8601 instant ({@code 2030-01-15T10:00:00Z}), an offset date-time
 * ({@code 2030-01-15T11:00:00+01:00}) or a date ({@code 2030-01-15}, midnight UTC). Reports use UTC days and hours.
 */
public final class Times {

    /** The instants PostgreSQL's {@code timestamptz} holds with room to spare, and any report can ask for. */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private Times() {
    }

    /** {@code value} parsed, or {@code fallback} when absent; a malformed value is a 400 {@code invalid_<name>}. */
    public static Instant instant(String name, String value, Instant fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String text = value.trim();
        Instant parsed;
        try {
            parsed = text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.invalidField(name, name + " must be an ISO-8601 date (2030-01-15) or date-time"
                    + " (2030-01-15T10:00:00Z), not '" + value + "'");
        }
        // Java reads years up to ±999999999; PostgreSQL refused them in the query (a 500).
        if (parsed.isBefore(EARLIEST) || parsed.isAfter(LATEST)) {
            throw ApiException.invalidField(name, name + " must be between the years 1 and 9999");
        }
        return parsed;
    }

    /** A required instant. */
    public static Instant required(String name, String value) {
        Instant parsed = instant(name, value, null);
        if (parsed == null) {
            throw ApiException.badRequest("missing_" + name, "The parameter " + name + " is required");
        }
        return parsed;
    }

    /** [from, to) with from before to, else 400 {@code invalid_range}. */
    public static Range range(Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw ApiException.badRequest("invalid_range", "from must be before to");
        }
        return new Range(from, to);
    }

    /** A half-open interval of instants. */
    public record Range(Instant from, Instant to) {
    }
}
