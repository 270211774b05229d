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
 *
 * <p>Its text is already as the read models store it ({@link StoredText}): the live processor and every replay
 * build their events here, so all of them write, and look rows up by, the same values.
 */
public record LedgerEvent(String eventId, String aggregateId, long sequence, Instant timestamp, Object payload) {

    public LedgerEvent {
        eventId = StoredText.clean(eventId);
        aggregateId = StoredText.clean(aggregateId);
        payload = StoredText.cleanPayload(payload);
    }
}
