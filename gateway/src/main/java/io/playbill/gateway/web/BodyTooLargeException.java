package io.playbill.gateway.web;

import java.io.IOException;

/** Thrown while reading a request body that grows past {@link RequestBodyLimitFilter#MAX_BODY_BYTES}. */
public class BodyTooLargeException extends IOException {

    public BodyTooLargeException() {
        super("The request body is larger than " + RequestBodyLimitFilter.MAX_BODY_BYTES + " bytes");
    }
}
