package io.playbill.ledger.api.events;

/**
 * The first event of every account: the ledger saw this user for the first time.
 *
 * @param openedAtMillis the gateway's receive time of the request that opened the account
 */
@Revision("1")
public record AccountOpened(String userId, long openedAtMillis) {
}
