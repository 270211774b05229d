package io.playbill.gateway.cloud;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.playbill.gateway.cloud.queue.QueuePlace;
import io.playbill.gateway.cloud.queue.QueueStanding;
import io.playbill.service.web.ApiErrorBody;
import io.playbill.service.web.ApiException;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * A queue place as the client sees it.
 *
 * @param status            {@code waiting}: poll again within {@code pollWithinSeconds}; {@code ready}: a worker is
 *                          locked for the user, call {@code POST /api/cloud/start} again before {@code startBefore};
 *                          {@code starting}: the user's start call is under way on that worker, the place still
 *                          holds the line; {@code failed}: GS refused the lock ({@code error}), the place is gone
 * @param gameRegion        the region the player prefers (absent when none)
 * @param position          1 is the head of the game's queue
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record QueueResponse(String status, String gameId, String gameRegion, int position, Long pollWithinSeconds,
                     Instant startBefore, ApiErrorBody.Detail error) {

    static QueueResponse of(QueueStanding standing, Duration entryTtl) {
        QueuePlace place = standing.place();
        String status = place.status().name().toLowerCase(Locale.ROOT);
        return switch (place.status()) {
            case WAITING -> new QueueResponse(status, place.pool().gameId(), place.lock().gameRegion(),
                    standing.position(), entryTtl.toSeconds(), null, null);
            case READY -> new QueueResponse(status, place.pool().gameId(), place.lock().gameRegion(),
                    standing.position(), null, place.readyUntil(), null);
            case STARTING -> new QueueResponse(status, place.pool().gameId(), place.lock().gameRegion(),
                    standing.position(), null, null, null);
            case FAILED -> {
                ApiException refusal = CloudErrors.forCode("TrylockWorker", place.errorCode(), null);
                yield new QueueResponse(status, place.pool().gameId(), place.lock().gameRegion(), 0, null, null,
                        new ApiErrorBody.Detail(refusal.code(), refusal.getMessage()));
            }
        };
    }
}
