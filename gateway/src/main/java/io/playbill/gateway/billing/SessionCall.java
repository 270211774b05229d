package io.playbill.gateway.billing;

/**
 * One SDK session call as billing sees it.
 *
 * @param userId           the authenticated user
 * @param session          the SDK's session id
 * @param receivedAtMillis when the gateway received the request; billing uses this time, never a later one
 */
public record SessionCall(String userId, String session, long receivedAtMillis) {
}
