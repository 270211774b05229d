package io.playbill.gsemulator;

/**
 * A Tencent Cloud API error, answered as {@code {"Response":{"Error":{"Code","Message"}}}} with HTTP 200. It only
 * travels inside the emulator, from the check that failed to the handler that writes the answer.
 */
final class GsApiException extends RuntimeException {

    private final String code;

    GsApiException(String code, String message) {
        // No stack trace: this is an answer to the caller, not a fault of the emulator.
        super(message, null, false, false);
        this.code = code;
    }

    String code() {
        return code;
    }
}
