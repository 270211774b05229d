package io.playbill.ledger.domain;

import io.playbill.ledger.api.events.Actor;
import io.playbill.ledger.api.events.PriceSet;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.messages.LedgerOperation;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The price list of every queue: its latest change per queue. Every change is a {@link PriceSet} event, so the price
 * history lives in the event store like every other ledger fact; accounts read it through the {@link PriceBook}.
 *
 * @param latestByQueue the latest change of each queue
 */
public record QueuePrices(Map<String, PriceSet> latestByQueue) {

    /** Keeps price × seconds × 60 far from overflowing for any realistic session length. */
    public static final long MAX_PRICE_PER_MINUTE = LedgerOperation.SetPrice.MAX_PRICE_PER_MINUTE;

    public static final QueuePrices NONE = new QueuePrices(Map.of());

    public QueuePrices {
        latestByQueue = Collections.unmodifiableMap(new LinkedHashMap<>(latestByQueue));
    }

    public QueuePrices evolve(PriceSet event) {
        Map<String, PriceSet> latest = new LinkedHashMap<>(latestByQueue);
        latest.put(event.queue(), event);
        return new QueuePrices(latest);
    }

    /**
     * Sets the price from the request's receive time on, on behalf of the admin who asked. The same change twice is a
     * retry and changes nothing. A request received before the queue's latest change (delivered late, or stamped by a
     * gateway whose clock is behind) is refused: the admin learns that the later change is in force, not that theirs is.
     */
    public Decision setPrice(LedgerOperation.SetPrice command, Request request) {
        return Decision.of(() -> {
            String queue = Text.required(command.queue(), "queue name");
            if (request.actor() == null) {
                throw new Refusal(LedgerError.INVALID_REQUEST, "A price change must name who asks");
            }
            if (!request.actor().hasRole(Actor.ADMIN)) {
                throw new Refusal(LedgerError.INVALID_REQUEST, "Prices are set only at the request of the role admin");
            }
            long price = command.pricePerMinute();
            if (price < 0 || price > MAX_PRICE_PER_MINUTE) {
                throw new Refusal(LedgerError.INVALID_REQUEST,
                        "A price per minute is between 0 and " + MAX_PRICE_PER_MINUTE);
            }
            long at = request.receivedAtMillis();
            PriceSet latest = latestByQueue.get(queue);
            if (latest != null && at < latest.effectiveFromMillis()) {
                throw new Refusal(LedgerError.PRICE_SUPERSEDED, "The price of queue " + queue + " was changed to "
                        + latest.pricePerMinute() + " per minute from " + Instant.ofEpochMilli(
                        latest.effectiveFromMillis()) + ", after this change was received at " + Instant.ofEpochMilli(at));
            }
            if (latest != null && at == latest.effectiveFromMillis() && price == latest.pricePerMinute()) {
                return new Decision.Accepted(List.of(), Answer.NOTHING);
            }
            return new Decision.Accepted(List.of(new PriceSet(queue, price, at, request.userId(), request.actor())),
                    Answer.NOTHING);
        });
    }
}
