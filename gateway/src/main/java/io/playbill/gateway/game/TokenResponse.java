package io.playbill.gateway.game;

/** {@code {"token":"<jwt>"}}: a token for the cloud-gaming SDK. */
record TokenResponse(String token) {
}
