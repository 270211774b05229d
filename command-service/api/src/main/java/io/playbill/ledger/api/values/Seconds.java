package io.playbill.ledger.api.values;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Whole seconds of playtime: a duration (a billing cycle, seconds charged) or a position on a session's clock (billed
 * up to, granted up to, a deadline counted from t0). In JSON a plain number, as every stored event always had it;
 * {@link #toString} is the number too.
 */
public record Seconds(@JsonValue long value) implements Comparable<Seconds> {

    public static final Seconds ZERO = new Seconds(0);

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Seconds of(long value) {
        return value == 0 ? ZERO : new Seconds(value);
    }

    public Seconds plus(Seconds other) {
        return of(Math.addExact(value, other.value));
    }

    public boolean isMoreThan(Seconds other) {
        return value > other.value;
    }

    @Override
    public int compareTo(Seconds other) {
        return Long.compare(value, other.value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
