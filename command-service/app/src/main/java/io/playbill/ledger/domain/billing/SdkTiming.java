package io.playbill.ledger.domain.billing;

/**
 * The client SDK's fixed timing (docs/spec/token-spec.md §4), which expiry and over-bill depend on.
 */
public final class SdkTiming {

    /** After the game starts the user has this much free time, within which the SDK asks for its first renew. */
    public static final long FREE_SECONDS_AFTER_START = 30;

    /** The SDK asks for a renew 30 s before its deadline and stops the game if no answer comes within 30 s. */
    public static final long RENEW_WAIT_SECONDS = 30;

    private SdkTiming() {
    }

    /** When a started session that never renewed is certainly no longer playing. */
    public static long expiryAfterStart(long startedAtMillis) {
        return startedAtMillis + (FREE_SECONDS_AFTER_START + RENEW_WAIT_SECONDS) * 1000;
    }

    /**
     * When the playtime a session holds ends: t0 + {@code deadline}. A session whose balance pays for no more ends
     * here; the SDK would play on until its renew wait is over, but none of that time is paid for.
     */
    public static long endOfGrantedPlaytime(long firstRenewAtMillis, long deadline) {
        return firstRenewAtMillis + deadline * 1000;
    }

    /** When a session that holds {@code deadline} (seconds from t0) and renews no more is certainly stopped. */
    public static long expiryAfterRenew(long firstRenewAtMillis, long deadline) {
        return firstRenewAtMillis + (deadline + RENEW_WAIT_SECONDS) * 1000;
    }
}
