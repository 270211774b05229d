package io.playbill.query.statement;

import io.playbill.query.web.Times;
import io.playbill.service.web.ApiException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a keyset read of a statement goes on: the order of the walk and the last line answered, by its place in
 * that order ({@code occurred_at}, then the account's {@code seq}). Opaque to clients: base64url of
 * {@code a|d}, the line's instant in epoch microseconds (PostgreSQL's precision), {@code :}, its sequence.
 *
 * <p>It holds nothing a caller may not see (both values are in the line itself), so it is not signed: a cursor
 * edited into another valid one is just another position in the caller's own statement. Anything that does not
 * decode to exactly such a position is a 400 {@code invalid_after}.
 */
record StatementCursor(boolean descending, Instant occurredAt, long sequence) {

    private static final int MAX_LENGTH = 64;
    private static final Pattern TEXT = Pattern.compile("([ad])(-?[0-9]{1,19}):([0-9]{1,19})");
    private static final long EARLIEST_MICROS = micros(Times.EARLIEST);
    private static final long LATEST_MICROS = micros(Times.LATEST);

    /** The cursor after {@code line} in a walk oldest first ({@code descending} false) or newest first. */
    static StatementCursor after(StatementLineView line, boolean descending) {
        return new StatementCursor(descending, line.occurredAt(), line.sequence());
    }

    String encode() {
        String text = (descending ? "d" : "a") + micros(occurredAt) + ":" + sequence;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code value} as given in {@code after}; else 400 {@code invalid_after}. */
    static StatementCursor decode(String value) {
        if (value.isEmpty() || value.length() > MAX_LENGTH) {
            throw invalid();
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        Matcher parts = TEXT.matcher(text);
        if (!parts.matches()) {
            throw invalid();
        }
        long micros;
        long sequence;
        try {
            micros = Long.parseLong(parts.group(2));
            sequence = Long.parseLong(parts.group(3));
        } catch (NumberFormatException e) {
            throw invalid();
        }
        if (micros < EARLIEST_MICROS || micros > LATEST_MICROS) {
            throw invalid();
        }
        StatementCursor cursor = new StatementCursor(parts.group(1).equals("d"),
                Instant.EPOCH.plusSeconds(Math.floorDiv(micros, 1_000_000L))
                        .plusNanos(Math.floorMod(micros, 1_000_000L) * 1_000L), sequence);
        // One position, one spelling: padding, other bits or leading zeros are not a cursor this service gave.
        if (!cursor.encode().equals(value)) {
            throw invalid();
        }
        return cursor;
    }

    private static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000L);
    }

    static ApiException invalid() {
        return ApiException.invalidField("after", "after must be the next value of an earlier answer of this"
                + " statement, unchanged");
    }
}
