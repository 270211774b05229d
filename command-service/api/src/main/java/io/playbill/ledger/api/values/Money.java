package io.playbill.ledger.api.values;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An amount of money in minor units (cents), possibly negative (an adjustment's debit). In JSON a plain number, as
 * every stored event and reply always had it; {@link #toString} is the number too, so texts read as before.
 */
public record Money(@JsonValue long minorUnits) implements Comparable<Money> {

    public static final Money ZERO = new Money(0);

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Money of(long minorUnits) {
        return minorUnits == 0 ? ZERO : new Money(minorUnits);
    }

    public Money plus(Money other) {
        return of(Math.addExact(minorUnits, other.minorUnits));
    }

    public Money minus(Money other) {
        return of(Math.subtractExact(minorUnits, other.minorUnits));
    }

    public Money negated() {
        return of(Math.negateExact(minorUnits));
    }

    public boolean isNegative() {
        return minorUnits < 0;
    }

    public boolean isZero() {
        return minorUnits == 0;
    }

    public boolean isMoreThan(Money other) {
        return minorUnits > other.minorUnits;
    }

    @Override
    public int compareTo(Money other) {
        return Long.compare(minorUnits, other.minorUnits);
    }

    @Override
    public String toString() {
        return Long.toString(minorUnits);
    }
}
