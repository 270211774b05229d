package io.playbill.gateway.cloud.gs;

import java.util.Objects;

/**
 * The GS workers of one game: what TrylockWorker locks from and what players queue for. A game has one pool whatever
 * regions its workers are in, because GS takes GameRegion as a preference: when no worker is idle in that region it
 * locks one elsewhere, and it answers {@code ResourceNotFound.NoIdle} only when the game is full everywhere.
 *
 * @param gameId the GS GameId
 */
public record GsPool(String gameId) {

    public GsPool {
        Objects.requireNonNull(gameId, "gameId");
    }
}
