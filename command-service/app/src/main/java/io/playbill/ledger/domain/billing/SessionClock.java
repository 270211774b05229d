package io.playbill.ledger.domain.billing;

/**
 * The times a session's billing counts from, all receive times on the gateway's clock.
 *
 * @param startedAtMillis    the startToken request; over-bill bills from here
 * @param firstRenewAtMillis t0, the first renew; {@code null} until then. Under-bill bills from here, and every
 *                           deadline counts from here
 * @param cycleSeconds       the billing cycle C, fixed when the session started
 */
public record SessionClock(long startedAtMillis, Long firstRenewAtMillis, long cycleSeconds) {

    /** t0 for a renew received at {@code nowMillis}: the first renew sets it, later ones (and retries) keep it. */
    long firstRenewAt(long nowMillis) {
        return firstRenewAtMillis != null ? firstRenewAtMillis : nowMillis;
    }
}
