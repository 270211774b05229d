package io.playbill.query.audit;

import io.playbill.query.audit.rules.AuditEvent;
import io.playbill.query.audit.rules.Findings;
import io.playbill.query.projection.LedgerTopic;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;

/**
 * The event store and the topic must hold the same events. Both are fingerprinted per account while they are read
 * ({@link Trail}); only the accounts whose fingerprints differ are read again, event by event, to name the event.
 */
final class SourceCheck {

    private final Findings findings;
    private final Map<String, Trail> stored = new HashMap<>();
    /** Written by the topic's reader thread only, read once that thread has finished. */
    private final Map<String, Trail> published = new HashMap<>();

    SourceCheck(Findings findings) {
        this.findings = findings;
    }

    void stored(AuditEvent event) {
        stored.computeIfAbsent(event.aggregateId(), k -> new Trail()).add(event);
    }

    void published(AuditEvent event) {
        if (event.payload() instanceof AuditEvent.UndecodablePayload undecodable) {
            findings.invariant("undecodable_event", event.aggregateId(), event, undecodable.error());
        }
        if (event.sequence() >= 0) {
            published.computeIfAbsent(event.aggregateId(), k -> new Trail()).add(event);
        }
    }

    /** Each account's fingerprint on the topic. */
    Map<String, Trail> published() {
        return published;
    }

    /** Topic records that repeat an event already read (at-least-once publishing). */
    long duplicates() {
        return published.values().stream().mapToLong(Trail::duplicates).sum();
    }

    /**
     * An event on the topic was stored before it was published, so it must be in the store's snapshot (read after
     * the topic's end offsets were fixed); a stored event may be missing from the topic only while it is younger
     * than the publishing grace.
     *
     * @return whether both hold exactly the same events
     */
    boolean compare(AuditRun.Context context, TopicScan scan, LedgerTopic.Offsets offsets, Instant offsetsAt,
                    List<String> notes) throws SQLException {
        Set<String> differing = new HashSet<>();
        for (Map.Entry<String, Trail> inStore : stored.entrySet()) {
            if (!inStore.getValue().sameEventsAs(published.get(inStore.getKey()))) {
                differing.add(inStore.getKey());
            }
        }
        for (String aggregate : published.keySet()) {
            if (!stored.containsKey(aggregate)) {
                differing.add(aggregate);
            }
        }
        if (differing.isEmpty()) {
            return true;
        }
        Instant grace = offsetsAt.minus(context.properties().publishGrace());
        LongAdder unpublished = new LongAdder();
        // The usual difference on a live ledger is the publisher's lag: the topic holds the first events of an account
        // and the store a few more. Such an account is checked by the fingerprint of its stored events up to the
        // topic's last one, read again without payloads, and by its later events alone, one at a time: read again in
        // full, the whole histories of dozens of busy accounts would not fit in memory.
        Set<String> inFull = new HashSet<>();
        for (String aggregate : differing.stream().sorted().toList()) {
            Trail store = stored.get(aggregate);
            Trail topic = published.getOrDefault(aggregate, new Trail()); // none yet: the empty beginning of one
            if (store == null || topic.maxSequence() >= store.maxSequence() || topic.maxSequence() >= 0
                    && !context.store().trailUpTo(aggregate, topic.maxSequence()).sameEventsAs(topic)) {
                inFull.add(aggregate);
                continue;
            }
            context.store().eventsAfter(aggregate, topic.maxSequence(), context.decoder(), event -> {
                if (event.timestamp().isAfter(grace)) {
                    unpublished.increment();
                } else {
                    missingFromTopic(aggregate, event);
                }
            });
        }
        compareInFull(context, scan, offsets, inFull, grace, unpublished);
        if (unpublished.sum() > 0) {
            notes.add(unpublished.sum() + " stored events younger than the publishing grace are not on the topic yet");
        }
        return false;
    }

    /** Every event of each account in {@code aggregates}, as the store and the topic hold it, side by side. */
    private void compareInFull(AuditRun.Context context, TopicScan scan, LedgerTopic.Offsets offsets,
                               Set<String> aggregates, Instant grace, LongAdder unpublished) throws SQLException {
        if (aggregates.isEmpty()) {
            return;
        }
        Map<String, Map<Long, AuditEvent>> fromStore = bySequence(context.store().events(aggregates,
                context.decoder()));
        List<AuditEvent> fromTopic = new ArrayList<>();
        scan.read(offsets, aggregates, true, fromTopic::add);
        Map<String, Map<Long, AuditEvent>> onTopic = bySequence(fromTopic);
        for (String aggregate : aggregates.stream().sorted().toList()) {
            Map<Long, AuditEvent> inStore = fromStore.getOrDefault(aggregate, Map.of());
            Map<Long, AuditEvent> inTopic = onTopic.getOrDefault(aggregate, Map.of());
            Set<Long> sequences = new TreeSet<>(inStore.keySet());
            sequences.addAll(inTopic.keySet());
            for (long sequence : sequences) {
                AuditEvent store = inStore.get(sequence);
                AuditEvent topic = inTopic.get(sequence);
                if (store == null) {
                    findings.invariant("missing_from_store", aggregate, topic, "Event #" + sequence + " ("
                            + topic.typeName() + ", id " + topic.eventId() + ") is on the topic but not in the event"
                            + " store");
                } else if (topic == null) {
                    if (store.timestamp().isAfter(grace)) {
                        unpublished.increment();
                    } else {
                        missingFromTopic(aggregate, store);
                    }
                } else if (!store.eventId().equals(topic.eventId())
                        || !Objects.equals(store.payload(), topic.payload())) {
                    findings.invariant("topic_store_differ", aggregate, store, "Event #" + sequence + " differs:"
                            + " store " + store.eventId() + " " + store.payload() + ", topic " + topic.eventId() + " "
                            + topic.payload());
                }
            }
        }
    }

    private void missingFromTopic(String aggregate, AuditEvent stored) {
        findings.invariant("missing_from_topic", aggregate, stored, "Event #" + stored.sequence() + " ("
                + stored.typeName() + ", id " + stored.eventId() + ", stored " + stored.timestamp()
                + ") is in the event store but not on the topic");
    }

    private static Map<String, Map<Long, AuditEvent>> bySequence(List<AuditEvent> events) {
        Map<String, Map<Long, AuditEvent>> result = new HashMap<>();
        for (AuditEvent event : events) {
            result.computeIfAbsent(event.aggregateId(), k -> new HashMap<>()).putIfAbsent(event.sequence(), event);
        }
        return result;
    }
}
