package io.playbill.ledger.domain;

import io.playbill.ledger.api.events.Actor;
import io.playbill.ledger.api.events.PriceSet;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.messages.LedgerOperation;

import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The price list of every queue: its latest change per queue. Every change is a {@link PriceSet} event, so the price
 * history lives in the event store like every other ledger fact; accounts read it through the {@link PriceBook}.
 *
 * @param latestByQueue the latest change of each queue
 * @param changes       every change so far, to know a request decided before when it is delivered again (price
 *                      changes are rare, and the price list is loaded from all of them anyway)
 */
public record QueuePrices(Map<String, PriceSet> latestByQueue, Set<PriceSet> changes) {

    /** Keeps price × seconds × 60 far from overflowing for any realistic session length. */
    public static final long MAX_PRICE_PER_MINUTE = LedgerOperation.SetPrice.MAX_PRICE_PER_MINUTE;

    public static final QueuePrices NONE = new QueuePrices(Map.of(), Set.of());

    public QueuePrices {
        latestByQueue = Collections.unmodifiableMap(new LinkedHashMap<>(latestByQueue));
        changes = Set.copyOf(changes);
    }

    /** A copy of the changes per change: prices are set by admins, a handful a day, so this stays cheap. */
    public QueuePrices evolve(PriceSet event) {
        Map<String, PriceSet> latest = new LinkedHashMap<>(latestByQueue);
        latest.put(event.queue(), event);
        Set<PriceSet> all = new HashSet<>(changes);
        all.add(event);
        return new QueuePrices(latest, all);
    }

    /**
     * Sets the price from the request's receive time on, on behalf of the admin who asked. The same request delivered
     * again is a retry and changes nothing, however many changes came after it. Any other request received before the
     * queue's latest change, or at the same time for another price (delivered late, or stamped by a gateway whose
     * clock is behind), is refused: the admin learns that the change decided first is in force, not that theirs is.
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
            PriceSet change = new PriceSet(queue, price, at, request.userId(), request.actor());
            if (changes.contains(change)) {
                return new Decision.Accepted(List.of(), Answer.NOTHING);
            }
            PriceSet latest = latestByQueue.get(queue);
            if (latest != null && at == latest.effectiveFromMillis() && price == latest.pricePerMinute()) {
                return new Decision.Accepted(List.of(), Answer.NOTHING); // the price in force already, from then
            }
            if (latest != null && at <= latest.effectiveFromMillis()) {
                throw new Refusal(LedgerError.PRICE_SUPERSEDED, "The price of queue " + queue + " was changed to "
                        + latest.pricePerMinute() + " per minute from " + Instant.ofEpochMilli(
                        latest.effectiveFromMillis()) + ", not before this change, received at "
                        + Instant.ofEpochMilli(at));
            }
            return new Decision.Accepted(List.of(change), Answer.NOTHING);
        });
    }
}
