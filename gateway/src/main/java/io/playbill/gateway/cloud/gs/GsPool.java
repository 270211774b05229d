package io.playbill.gateway.cloud.gs;

import java.util.Objects;

/**
 * The GS workers one game runs on in one region: what TrylockWorker locks from and what players queue for.
 *
 * @param gameId     the GS GameId
 * @param gameRegion the GS GameRegion, or "" when the player named none (GS then chooses by UserIp)
 */
public record GsPool(String gameId, String gameRegion) {

    public GsPool {
        Objects.requireNonNull(gameId, "gameId");
        gameRegion = gameRegion == null ? "" : gameRegion;
    }

    /** The GameRegion parameter to send: none rather than an empty string. */
    String regionParameter() {
        return gameRegion.isEmpty() ? null : gameRegion;
    }
}
