package io.playbill.gateway.cloud;

import io.playbill.gateway.cloud.gs.GsFailure;
import org.springframework.http.HttpStatus;

/**
 * The HTTP answer to each GS error code (docs/cloud-game.md has the table). The client sees our code, the GS code
 * and GS's RequestId (for Tencent support); GS's own message stays in the gateway log.
 */
final class CloudErrors {

    /** How long a client should wait before trying again after a "not now" failure. */
    static final long RETRY_AFTER_SECONDS = 5;

    static CloudError of(GsFailure failure) {
        return forCode(failure.action(), failure.code(), failure.requestId());
    }

    static CloudError forCode(String action, String gsCode, String requestId) {
        String detail = " (GS " + action + ": " + gsCode + (requestId == null ? "" : ", RequestId " + requestId) + ")";
        if (gsCode.startsWith("AuthFailure")) {
            return new CloudError(HttpStatus.BAD_GATEWAY, "cloud_auth_failed",
                    "Tencent Cloud refused the gateway's API credentials or signature" + detail, 0);
        }
        if (gsCode.startsWith("InvalidParameter") || gsCode.equals("MissingParameter")) {
            return new CloudError(HttpStatus.BAD_REQUEST, "cloud_invalid_parameter",
                    "GS refused a parameter of the request (game, region, group, resolution, ...)" + detail, 0);
        }
        if (gsCode.startsWith("LimitExceeded")) {
            return new CloudError(HttpStatus.CONFLICT, "cloud_limit_exceeded", "A GS limit was reached" + detail, 0);
        }
        if (gsCode.startsWith("OperationDenied")) {
            return new CloudError(HttpStatus.FORBIDDEN, "cloud_operation_denied", "GS denied the operation" + detail, 0);
        }
        return switch (gsCode) {
            case GsFailure.NO_IDLE -> new CloudError(HttpStatus.SERVICE_UNAVAILABLE, "cloud_no_idle_worker",
                    "No worker of this game is idle" + detail, RETRY_AFTER_SECONDS);
            case "FailedOperation.LockTimeout" -> new CloudError(HttpStatus.CONFLICT, "cloud_lock_expired",
                    "The worker lock expired before the game started; call start again" + detail, 0);
            case "ResourceNotFound.SessionNotFound" -> new CloudError(HttpStatus.NOT_FOUND, "cloud_session_not_found",
                    "GS knows no such session" + detail, 0);
            case "UnsupportedOperation.Stopping" -> new CloudError(HttpStatus.CONFLICT, "cloud_stopping",
                    "The user's previous game is still stopping; try again shortly" + detail, RETRY_AFTER_SECONDS);
            case "FailedOperation.Timeout" -> new CloudError(HttpStatus.GATEWAY_TIMEOUT, "cloud_timeout",
                    "The game did not start in time" + detail, 0);
            case "FailedOperation" -> new CloudError(HttpStatus.CONFLICT, "cloud_operation_failed",
                    "GS could not do this now, e.g. the user already holds a worker of another game" + detail, 0);
            default -> GsFailure.isTransient(gsCode) || gsCode.startsWith("ResourceUnavailable")
                    ? new CloudError(HttpStatus.SERVICE_UNAVAILABLE, "cloud_unavailable",
                    "Tencent Cloud GS is unavailable or busy; try again shortly" + detail, RETRY_AFTER_SECONDS)
                    : new CloudError(HttpStatus.BAD_GATEWAY, "cloud_error",
                    "Tencent Cloud GS failed unexpectedly" + detail, 0);
        };
    }

    private CloudErrors() {
    }
}
