package io.playbill.ledger.api.events;

/**
 * A queue's price per minute changed. Together these events are the price history: the price in force at a
 * time is the latest {@code PriceSet} of the queue whose {@code effectiveFromMillis} is not after it.
 *
 * @param pricePerMinute      minor units per minute, &gt;= 0 (0 = free)
 * @param effectiveFromMillis the gateway's receive time of the request that set it
 * @param setBy               the admin user who asked
 * @param actor               the admin and the roles they acted with ({@code null} in events stored before actors
 *                            were recorded; {@code setBy} names the user either way)
 */
@Revision("1")
public record PriceSet(String queue, long pricePerMinute, long effectiveFromMillis, String setBy, Actor actor) {

    /** The one event stream (aggregate id) every {@code PriceSet} is stored in; no user may have this id. */
    public static final String STREAM = "price-list";
}
