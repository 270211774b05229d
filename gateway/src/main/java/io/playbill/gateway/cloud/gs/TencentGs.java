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
 * Transient failures ({@link GsFailure#isTransient()}) are retried with exponential back-off up to
 * {@code maxAttempts} calls; every other failure, and the last transient one, is thrown as a {@link GsFailure}.
 * All three actions may be repeated safely: a second TrylockWorker keeps the user's lock, CreateSession answers the
 * running session again, StopGame of a stopped user does nothing.
 */
public final class TencentGs {

    private static final Logger log = LoggerFactory.getLogger(TencentGs.class);

    private final GsClient client;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    public TencentGs(GsClient client, int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        this.client = client;
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    /** Locks an idle worker of {@code pool} for the user; {@link GsFailure#isNoIdle()} when none is idle. */
    public void trylockWorker(String userId, GsPool pool, String groupId, String userIp) {
        TrylockWorkerRequest request = new TrylockWorkerRequest();
        request.setUserId(userId);
        request.setGameId(pool.gameId());
        request.setGameRegion(pool.regionParameter());
        request.setGroupId(groupId);
        request.setUserIp(userIp);
        String requestId = call("TrylockWorker", userId, () -> client.TrylockWorker(request).getRequestId());
        log.info("GS locked a worker of {} for user {} (RequestId {})", pool, userId, requestId);
    }

    /** Turns the user's lock into a running game. */
    public GsSession createSession(String userId, GsStart start, String userIp) {
        CreateSessionRequest request = new CreateSessionRequest();
        request.setUserId(userId);
        request.setGameId(start.pool().gameId());
        request.setGameRegion(start.pool().regionParameter());
        request.setClientSession(start.clientSession());
        request.setResolution(start.resolution());
        request.setGameParas(start.gameParas());
        request.setImageUrl(start.imageUrl());
        request.setBitrate(start.bitrate());
        request.setMaxBitrate(start.maxBitrate());
        request.setMinBitrate(start.minBitrate());
        request.setFps(start.fps());
        request.setUserIp(userIp);
        CreateSessionResponse response = call("CreateSession", userId, () -> client.CreateSession(request));
        log.info("GS started {} for user {} (RequestId {})", start.pool(), userId, response.getRequestId());
        return new GsSession(response.getServerSession(), response.getRole(), response.getRequestId());
    }

    /** Stops the user's game or frees their lock; returns GS's RequestId. */
    public String stopGame(String userId) {
        StopGameRequest request = new StopGameRequest();
        request.setUserId(userId);
        String requestId = call("StopGame", userId, () -> client.StopGame(request).getRequestId());
        log.info("GS stopped the game of user {} (RequestId {})", userId, requestId);
        return requestId;
    }

    private <T> T call(String action, String userId, SdkCall<T> sdkCall) {
        for (int attempt = 1; ; attempt++) {
            try {
                return sdkCall.call();
            } catch (TencentCloudSDKException e) {
                GsFailure failure = GsFailure.of(action, e);
                if (failure.isNoIdle()) {
                    log.debug("GS has no idle worker for user {} (RequestId {})", userId, failure.requestId());
                    throw failure;
                }
                if (!failure.isTransient() || attempt >= maxAttempts) {
                    log.warn("GS {} for user {} failed: {} {} (RequestId {}, attempt {}/{})", action, userId,
                            failure.code(), failure.getMessage(), failure.requestId(), attempt, maxAttempts);
                    throw failure;
                }
                Duration wait = backoff(attempt);
                log.info("GS {} for user {} failed transiently with {}; attempt {}/{} in {} ms", action, userId,
                        failure.code(), attempt + 1, maxAttempts, wait.toMillis());
                sleep(wait, failure);
            }
        }
    }

    /** initialBackoff, doubled per attempt, at most maxBackoff. */
    private Duration backoff(int failedAttempts) {
        Duration wait = initialBackoff.multipliedBy(1L << Math.min(failedAttempts - 1, 20));
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
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
