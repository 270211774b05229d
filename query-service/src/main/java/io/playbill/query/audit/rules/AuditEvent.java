package io.playbill.query.audit.rules;

import java.time.Instant;

/**
 * An event as the audit read it, from the event store or from the topic.
 *
 * @param payload     the decoded api record, an {@link UnknownPayload} for a type this build does not know, an
 *                    {@link UndecodablePayload}, or an opaque marker for a topic record read for its headers only
 * @param timestamp   when the ledger created it (Axon's timestamp)
 */
public record AuditEvent(String eventId, String aggregateId, long sequence, String type, Object payload,
                         Instant timestamp) {

    public String typeName() {
        int dot = type.lastIndexOf('.');
        return dot < 0 ? type : type.substring(dot + 1);
    }

    /** The payload of a type this build of the ledger API does not have. */
    public record UnknownPayload(String type, int contentHash) {
    }

    /** A payload that could not be read as its type. */
    public record UndecodablePayload(String type, String error) {
    }
}
