package io.playbill.ledger.api.messages;

import io.playbill.ledger.api.events.PriceSet;

import java.nio.charset.StandardCharsets;

/**
 * What a user id may be: whatever a token's {@code sub} may be (token-spec §1: at most 64 bytes; clean text, since it
 * becomes the ledger's Kafka key, a GS UserId and a header to query-service). The gateway checks tokens and the ids
 * staff name in paths with it, so that every user who can sign in can also be funded, refunded and stopped;
 * query-service checks the users it is asked to audit.
 */
public final class UserIds {

    public static final int MAX_BYTES = 64;
    public static final String RULE = "must be 1-64 bytes of text without control characters, and not "
            + PriceSet.STREAM;

    public static boolean isAcceptable(String userId) {
        return userId != null && !userId.isBlank() && userId.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES
                && CleanText.isClean(userId) && !isReserved(userId);
    }

    /** The price list's stream: no account can live there, so nobody signs in, is funded or is audited as it. */
    public static boolean isReserved(String userId) {
        return PriceSet.STREAM.equals(userId);
    }

    private UserIds() {
    }
}
