package io.playbill.ledger.domain.billing;

/**
 * The times a session's billing counts from, all receive times on the gateway's clock.
 *
 * @param startedAtMillis    the startToken request; over-bill bills from here
 * @param firstRenewAtMillis t0, the first renew; {@code null} until then. Under-bill bills from here, and every
 *                           deadline counts from here
 * @param cycleSeconds       the billing cycle C, fixed when the session started
 * @param lastRenewAtMillis  the latest receive time of a renew that changed the session; {@code null} until the first.
 *                           Under-bill bills nothing for a request received no later: it was decided already (a
 *                           redelivery) or overtaken
 */
public record SessionClock(long startedAtMillis, Long firstRenewAtMillis, long cycleSeconds, Long lastRenewAtMillis) {

    /** A clock whose latest renew is its first. */
    public SessionClock(long startedAtMillis, Long firstRenewAtMillis, long cycleSeconds) {
        this(startedAtMillis, firstRenewAtMillis, cycleSeconds, firstRenewAtMillis);
    }

    /** t0 for a renew received at {@code nowMillis}: the first renew sets it, later ones (and retries) keep it. */
    long firstRenewAt(long nowMillis) {
        return firstRenewAtMillis != null ? firstRenewAtMillis : nowMillis;
    }

    /** Whether a request received at {@code nowMillis} comes after every renew decided so far. */
    boolean isAfterLastRenew(long nowMillis) {
        return lastRenewAtMillis == null || nowMillis > lastRenewAtMillis;
    }
}
