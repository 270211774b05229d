package io.playbill.gateway.cloud;

/** The small answers of the cloud endpoints. */
final class CloudResponses {

    /** {@code {"serverSession":"…"}}: give it to the SDK's {@code start(serverSession)}. */
    record Started(String serverSession) {
    }

    /** {@code {"stopped":true}}. */
    record Stopped(boolean stopped) {
    }

    /** {@code {"cancelled":true}} when the user had a queue place, false when not. */
    record Cancelled(boolean cancelled) {
    }

    private CloudResponses() {
    }
}
