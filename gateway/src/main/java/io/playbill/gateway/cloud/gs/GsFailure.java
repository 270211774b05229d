package io.playbill.gateway.cloud.gs;

import com.tencentcloudapi.common.exception.TencentCloudSDKException;

import java.io.IOException;
import java.util.Set;

/**
 * A GS call that failed: the API's error code (e.g. {@code ResourceNotFound.NoIdle}), or {@link #NETWORK} when no
 * answer came (the SDK reports timeouts and refused connections without a code).
 */
public final class GsFailure extends RuntimeException {

    /** Our code for a call that got no answer: connect or read timeout, refused or reset connection. */
    public static final String NETWORK = "Network";
    /** Our code for an SDK failure that is neither an API error nor a network one. */
    public static final String CLIENT = "ClientError";
    public static final String NO_IDLE = "ResourceNotFound.NoIdle";
    public static final String STOPPING = "UnsupportedOperation.Stopping";
    public static final String INITIALIZATION = "ResourceUnavailable.Initialization";

    /** Failures of GS itself or of the way to it that say "not now" rather than "no": retried after a short wait. */
    private static final Set<String> TRANSIENT = Set.of("FailedOperation.ProcessTimeout", "FailedOperation.SlowDown",
            "FailedOperation.TooFrequently", "InternalError", "RequestLimitExceeded", NETWORK);

    /**
     * "Not yet": the user's previous game is still stopping, or the worker is still initialising. GS documents both
     * but not how long they last, so they are retried on a slower schedule than {@link #TRANSIENT} failures.
     */
    private static final Set<String> NOT_READY = Set.of(STOPPING, INITIALIZATION);

    private final String action;
    private final String code;
    private final String requestId;

    public GsFailure(String action, String code, String requestId, String message, Throwable cause) {
        super(message, cause, false, false);
        this.action = action;
        this.code = code;
        this.requestId = requestId;
    }

    static GsFailure of(String action, TencentCloudSDKException e) {
        String code = e.getErrorCode();
        if (code == null || code.isBlank()) {
            code = e.getCause() instanceof IOException ? NETWORK : CLIENT;
        }
        String message = e.getMessage() == null || e.getMessage().isBlank() ? String.valueOf(e.getCause())
                : e.getMessage();
        return new GsFailure(action, code, e.getRequestId(), message, e.getCause());
    }

    public String action() {
        return action;
    }

    public String code() {
        return code;
    }

    /** GS's RequestId of the failed call, for Tencent support; null when no answer came. */
    public String requestId() {
        return requestId;
    }

    public boolean isTransient() {
        return isTransient(code);
    }

    /** Whether {@code code} says "not now" (retried) rather than "no". */
    public static boolean isTransient(String code) {
        return TRANSIENT.contains(code);
    }

    public boolean isNotReady() {
        return NOT_READY.contains(code);
    }

    public boolean isNoIdle() {
        return NO_IDLE.equals(code);
    }
}
