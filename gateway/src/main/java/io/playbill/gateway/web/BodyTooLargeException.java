package io.playbill.gateway.web;

import java.io.IOException;

/** Thrown while reading a request body that grows past its endpoint's limit ({@link RequestBodyLimitFilter}). */
public class BodyTooLargeException extends IOException {

    private final int limit;

    public BodyTooLargeException(int limit) {
        super("The request body is larger than " + limit + " bytes");
        this.limit = limit;
    }

    /** The endpoint's limit in bytes. */
    public int limit() {
        return limit;
    }
}
