package io.playbill.query.audit;

import io.playbill.query.audit.rules.AuditEvent;

import java.util.TreeSet;

/**
 * A compact fingerprint of one aggregate's events as one source holds them: how many distinct sequence numbers,
 * the highest, and an order-independent hash of (sequence, event id, type). Two sources hold the same events
 * exactly when their trails are equal. Repeats of a sequence already seen (at-least-once publishing) count as
 * duplicates and do not change the fingerprint. Payloads are not part of it: the projections are built from the
 * topic's payloads and compared with the store's, and differing trails are compared event by event.
 */
final class Trail {

    private long count;
    private long maxSequence = -1;
    private long hash;
    private long duplicates;
    private TreeSet<Long> gaps;

    void add(AuditEvent event) {
        long sequence = event.sequence();
        if (sequence <= maxSequence && (gaps == null || !gaps.remove(sequence))) {
            duplicates++;
            return;
        }
        if (sequence > maxSequence + 1) {
            if (gaps == null) {
                gaps = new TreeSet<>();
            }
            for (long missing = maxSequence + 1; missing < sequence; missing++) {
                gaps.add(missing);
            }
        }
        maxSequence = Math.max(maxSequence, sequence);
        count++;
        hash += mix(sequence * 961 + event.eventId().hashCode() * 31L + event.type().hashCode());
    }

    long maxSequence() {
        return maxSequence;
    }

    long duplicates() {
        return duplicates;
    }

    boolean sameEventsAs(Trail other) {
        return other != null && count == other.count && maxSequence == other.maxSequence && hash == other.hash;
    }

    /** SplitMix64's finaliser: spreads similar inputs over all 64 bits before they are summed. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
