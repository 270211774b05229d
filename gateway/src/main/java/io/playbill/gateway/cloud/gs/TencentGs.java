package io.playbill.gateway.cloud.gs;

import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.gs.v20191118.GsClient;
import com.tencentcloudapi.gs.v20191118.models.CreateSessionRequest;
import com.tencentcloudapi.gs.v20191118.models.CreateSessionResponse;
import com.tencentcloudapi.gs.v20191118.models.StopGameRequest;
import com.tencentcloudapi.gs.v20191118.models.TrylockWorkerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The three GS actions the gateway uses, through the Tencent SDK's {@link GsClient} (built once, thread-safe).
 * Transient failures ({@link GsFailure#isTransient()}) are retried with {@code transientRetry}, "not yet" failures
 * ({@link GsFailure#isNotReady()}) with {@code notReadyRetry}; every other failure, and the last retried one, is
 * thrown as a {@link GsFailure}. TrylockWorker and CreateSession may be repeated safely: a second TrylockWorker keeps
 * the user's lock, CreateSession answers the running session again. StopGame is never retried here: a second one
 * would end whatever game the user has by then.
 */
public final class TencentGs {

    private static final Logger log = LoggerFactory.getLogger(TencentGs.class);

    private final GsClient client;
    private final GsRetry transientRetry;
    private final GsRetry notReadyRetry;

    public TencentGs(GsClient client, GsRetry transientRetry, GsRetry notReadyRetry) {
        this.client = client;
        this.transientRetry = transientRetry;
        this.notReadyRetry = notReadyRetry;
    }

    /**
     * The same GS, answering "not yet" failures at once: for the queue, which tries again on its own schedule
     * rather than holding its turn while it waits.
     */
    public TencentGs withoutNotReadyRetries() {
        return new TencentGs(client, transientRetry, GsRetry.NONE);
    }

    /**
     * Locks an idle worker of the game for the user, in the preferred region if one is idle there;
     * {@link GsFailure#isNoIdle()} when the game has no idle worker in any region.
     */
    public void trylockWorker(String userId, GsLockRequest lock, String userIp) {
        TrylockWorkerRequest request = new TrylockWorkerRequest();
        request.setUserId(userId);
        request.setGameId(lock.gameId());
        request.setGameRegion(lock.gameRegion());
        request.setGroupId(lock.groupId());
        request.setUserIp(userIp);
        String requestId = call("TrylockWorker", userId, () -> client.TrylockWorker(request).getRequestId());
        log.info("GS locked a worker of {} for user {} (RequestId {})", lock.pool(), userId, requestId);
    }

    /**
     * Turns the user's lock into a running game. GS finds the lock by UserId; GameId is still sent because the API
     * marks it required, GameRegion not (deprecated here: TrylockWorker's counts).
     */
    public GsSession createSession(String userId, GsStart start, String userIp) {
        CreateSessionRequest request = new CreateSessionRequest();
        request.setUserId(userId);
        request.setGameId(start.pool().gameId());
        request.setClientSession(start.clientSession());
        request.setResolution(start.resolution());
        request.setGameParas(start.gameParas());
        request.setImageUrl(start.imageUrl());
        request.setMaxBitrate(start.maxBitrate());
        request.setMinBitrate(start.minBitrate());
        request.setFps(start.fps());
        request.setUserIp(userIp);
        CreateSessionResponse response = call("CreateSession", userId, () -> client.CreateSession(request));
        log.info("GS started {} for user {} (RequestId {})", start.pool(), userId, response.getRequestId());
        return new GsSession(response.getServerSession(), response.getRole(), response.getRequestId());
    }

    /**
     * Stops the user's game or frees their lock; returns GS's RequestId. One call, never retried here: StopGame names
     * only the user, and a retry could come after the user's next start and end that game. Whoever must see a game
     * stopped retries on their own terms: the stopper, holding the user's slot (decision 055).
     */
    public String stopGame(String userId) {
        StopGameRequest request = new StopGameRequest();
        request.setUserId(userId);
        String requestId = call("StopGame", userId, GsRetry.NONE, GsRetry.NONE,
                () -> client.StopGame(request).getRequestId());
        log.info("GS stopped the game of user {} (RequestId {})", userId, requestId);
        return requestId;
    }

    private <T> T call(String action, String userId, SdkCall<T> sdkCall) {
        return call(action, userId, transientRetry, notReadyRetry, sdkCall);
    }

    private <T> T call(String action, String userId, GsRetry transientRetries, GsRetry notReadyRetries,
                       SdkCall<T> sdkCall) {
        int transientFailures = 0;
        int notReadyFailures = 0;
        while (true) {
            try {
                return sdkCall.call();
            } catch (TencentCloudSDKException e) {
                GsFailure failure = GsFailure.of(action, e);
                if (failure.isNoIdle()) {
                    log.debug("GS has no idle worker for user {} (RequestId {})", userId, failure.requestId());
                    throw failure;
                }
                GsRetry retry;
                int failures;
                if (failure.isTransient()) {
                    retry = transientRetries;
                    failures = ++transientFailures;
                } else if (failure.isNotReady()) {
                    retry = notReadyRetries;
                    failures = ++notReadyFailures;
                } else {
                    retry = GsRetry.NONE;
                    failures = 1;
                }
                if (failures >= retry.maxAttempts()) {
                    log.warn("GS {} for user {} failed: {} {} (RequestId {}, attempt {}/{})", action, userId,
                            failure.code(), failure.getMessage(), failure.requestId(), failures, retry.maxAttempts());
                    throw failure;
                }
                Duration wait = retry.backoff(failures);
                log.info("GS {} for user {} answered {}; attempt {}/{} in {} ms", action, userId, failure.code(),
                        failures + 1, retry.maxAttempts(), wait.toMillis());
                sleep(wait, failure);
            }
        }
    }

    private static void sleep(Duration wait, GsFailure failure) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure;
        }
    }

    @FunctionalInterface
    private interface SdkCall<T> {
        T call() throws TencentCloudSDKException;
    }
}
