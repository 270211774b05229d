package io.playbill.gateway.cloud.gs;

import java.util.Objects;

/**
 * What a player asks TrylockWorker for, besides who they are and where they are (UserId, UserIp).
 *
 * @param pool       the game
 * @param gameRegion the region the player would rather play in (GS falls back to others), or null for none: GS then
 *                   chooses by UserIp
 * @param groupId    TrylockWorker's GroupId, or null
 */
public record GsLockRequest(GsPool pool, String gameRegion, String groupId) {

    public GsLockRequest {
        Objects.requireNonNull(pool, "pool");
        gameRegion = gameRegion == null || gameRegion.isEmpty() ? null : gameRegion;
    }

    public String gameId() {
        return pool.gameId();
    }
}
