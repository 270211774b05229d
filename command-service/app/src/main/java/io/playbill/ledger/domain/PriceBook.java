package io.playbill.ledger.domain;

import java.util.OptionalLong;

/** The price history of every queue, as the account's command handlers consult it. */
public interface PriceBook {

    /** The queue's price per minute in force at {@code atMillis}; empty if the queue had no price yet. */
    OptionalLong pricePerMinute(String queue, long atMillis);
}
