package io.playbill.gsemulator;

import java.time.Instant;

/**
 * One GS API call the emulator answered.
 *
 * @param action the X-TC-Action header as received (null if it was missing)
 * @param userId the UserId of the request body (null if there was none or the body was not JSON)
 * @param code   {@link #OK}, or the error code that was answered
 */
public record JournalEntry(Instant at, String action, String userId, String code, String requestId) {

    public static final String OK = "OK";
}
