package io.playbill.query.projection;

import java.time.Instant;

/**
 * One ledger event as a projection sees it.
 *
 * @param eventId     the Axon message id, unique per event
 * @param aggregateId the account's user id (or the price list's id for {@code PriceSet})
 * @param sequence    the event's position in its aggregate's history, from 0, without gaps
 * @param timestamp   when the ledger created the event (used for lag only; reports use the events' own times)
 * @param payload     the decoded {@code io.playbill.ledger.api.events} record
 */
public record LedgerEvent(String eventId, String aggregateId, long sequence, Instant timestamp, Object payload) {
}
