package io.playbill.ledger.api;

/**
 * Kafka topic names shared by every service. Partition counts and retention live with the broker
 * set-up ({@code infra/kafka-broker}) and in docs/operations.md.
 */
public final class LedgerTopics {

    /** Requests from the gateway to the ledger, keyed by user id so one user's requests stay in order. */
    public static final String REQUESTS = "playbill.ledger-requests";

    /** The ledger's decisions, correlated to a request; read by every gateway instance. */
    public static final String REPLIES = "playbill.ledger-replies";

    /** Every ledger event, keyed by user id, kept forever: projections and audits are rebuilt from it. */
    public static final String EVENTS = "playbill.ledger-events";

    private LedgerTopics() {
    }
}
