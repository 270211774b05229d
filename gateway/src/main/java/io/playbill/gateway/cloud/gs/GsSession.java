package io.playbill.gateway.cloud.gs;

/** CreateSession's answer: the ServerSession the client starts the game with. */
public record GsSession(String serverSession, String role, String requestId) {
}
