package io.playbill.ledger.api.events;

/** The first event of every account: the ledger saw this user for the first time. */
public record AccountOpened(String userId, long openedAtMillis) {
}
