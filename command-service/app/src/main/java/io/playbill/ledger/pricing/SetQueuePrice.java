package io.playbill.ledger.pricing;

import io.playbill.ledger.api.events.Actor;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Set {@code queue}'s price per minute from {@code receivedAtMillis} on.
 *
 * @param priceListId always {@link PriceList#ID}
 * @param setBy       the admin user who asked
 * @param actor       the admin and the roles they acted with; required
 */
public record SetQueuePrice(@TargetAggregateIdentifier String priceListId, String queue, long pricePerMinute,
                            String setBy, long receivedAtMillis, Actor actor) {
}
