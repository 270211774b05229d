package io.playbill.ledger.infrastructure;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.UUIDClock;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import org.axonframework.common.IdentifierFactory;

/**
 * The identifiers of the ledger's Axon messages — commands, and the events whose {@code event_identifier} the event
 * store keeps under a unique index — as version 7 UUIDs (RFC 9562: the millisecond, then random bits), from
 * java-uuid-generator. Axon finds it through {@code META-INF/services} and keeps one instance.
 *
 * <p>One caller's ids increase unless the clock steps back. Concurrent callers' ids can interleave out of order:
 * the generator reads the clock before it takes its lock, and a millisecond it has not seen last draws fresh random
 * bits.
 *
 * <p>Axon's default, {@code UUID.randomUUID()}, draws every id from {@code SecureRandom}, which costs more than
 * counting up within a millisecond (decision 037). A time-ordered id also lands at the right edge of the unique index
 * instead of on a random page. Nothing reads meaning into the ids: they are unique, and that is all they promise.
 */
public final class TimeOrderedMessageIds extends IdentifierFactory {

    private final TimeBasedEpochGenerator ids;

    /** The one Axon loads: the system clock. */
    public TimeOrderedMessageIds() {
        this(UUIDClock.systemTimeClock());
    }

    TimeOrderedMessageIds(UUIDClock clock) {
        ids = Generators.timeBasedEpochGenerator(null, clock); // null: the library's shared SecureRandom
    }

    @Override
    public String generateIdentifier() {
        return ids.generate().toString();
    }
}
