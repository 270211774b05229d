package io.playbill.gsemulator;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The error codes each emulated action can answer in the real service: the ones its API page lists, plus the common
 * codes of TencentCloud API 3.0 that any action may answer. Only these can be injected as faults, so that a test
 * cannot rehearse an answer the cloud never gives.
 */
final class GsErrorCodes {

    /** TencentCloud API 3.0's common error codes (the "公共错误码" page shared by every product). */
    static final Set<String> COMMON = Set.of(
            "ActionOffline", "AuthFailure.InvalidAuthorization", "AuthFailure.InvalidSecretId",
            "AuthFailure.MFAFailure", "AuthFailure.SecretIdNotFound", "AuthFailure.SignatureExpire",
            "AuthFailure.SignatureFailure", "AuthFailure.TokenFailure", "AuthFailure.UnauthorizedOperation",
            "DryRunOperation", "FailedOperation", "InternalError", "InvalidAction", "InvalidParameter",
            "InvalidParameterValue", "InvalidRequest", "IpInBlacklist", "IpNotInWhitelist", "LimitExceeded",
            "MissingParameter", "NoSuchProduct", "NoSuchVersion", "RequestLimitExceeded",
            "RequestLimitExceeded.GlobalRegionUinLimitExceeded", "RequestLimitExceeded.IPLimitExceeded",
            "RequestLimitExceeded.UinLimitExceeded", "RequestSizeLimitExceeded", "ResourceInUse",
            "ResourceInsufficient", "ResourceNotFound", "ResourceUnavailable", "ResponseSizeLimitExceeded",
            "ServiceUnavailable", "UnauthorizedOperation", "UnknownParameter", "UnsupportedOperation",
            "UnsupportedProtocol", "UnsupportedRegion");

    private static final Set<String> TRYLOCK_WORKER = Set.of(
            "FailedOperation", "FailedOperation.ProcessTimeout", "InternalError", "InvalidParameter.JsonParseError",
            "InvalidParameterValue", "ResourceNotFound.NoIdle", "ResourceUnavailable.Initialization",
            "UnsupportedOperation.Stopping");

    private static final Set<String> CREATE_SESSION = Set.of(
            "FailedOperation", "FailedOperation.LockTimeout", "FailedOperation.ProcessTimeout",
            "FailedOperation.SlowDown", "FailedOperation.Timeout", "FailedOperation.TooFrequently", "InternalError",
            "InvalidParameter.JsonParseError", "InvalidParameterValue", "LimitExceeded.Role", "OperationDenied",
            "ResourceNotFound.NoIdle", "ResourceNotFound.SessionNotFound", "ResourceUnavailable.Initialization",
            "UnsupportedOperation.Stopping");

    private static final Set<String> STOP_GAME = Set.of(
            "FailedOperation", "FailedOperation.ProcessTimeout", "InternalError", "InvalidParameter.JsonParseError",
            "ResourceUnavailable.AccessFailed");

    private static final Map<String, Set<String>> BY_ACTION = Map.of(
            GsActions.TRYLOCK_WORKER, TRYLOCK_WORKER,
            GsActions.CREATE_SESSION, CREATE_SESSION,
            GsActions.STOP_GAME, STOP_GAME);

    /** The codes the API page of {@code action} lists, sorted; empty for an action the emulator does not have. */
    static Set<String> documentedFor(String action) {
        return new TreeSet<>(BY_ACTION.getOrDefault(action, Set.of()));
    }

    static boolean canAnswer(String action, String code) {
        return BY_ACTION.getOrDefault(action, Set.of()).contains(code) || COMMON.contains(code);
    }

    private GsErrorCodes() {
    }
}
