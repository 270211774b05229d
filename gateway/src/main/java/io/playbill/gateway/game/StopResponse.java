package io.playbill.gateway.game;

/** {@code {"stopped":true}}: billing closed the session at the request's receive time. */
record StopResponse(boolean stopped) {
}
