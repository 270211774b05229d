package io.playbill.gateway.cloud.gs;

/**
 * What a player asks for to start a cloud game: the TrylockWorker and CreateSession parameters the gateway passes on.
 * HostUserId and Role (watching someone else's game) are deliberately absent: the gateway never lets a player name
 * another user. So are CreateSession's deprecated Bitrate, SetNo and Optimization, and RunMode (a player's game
 * always has its client).
 *
 * @param lock          the TrylockWorker parameters: game, preferred region, group
 * @param clientSession the SDK's ClientSession
 * @param resolution    {@code 1080p}, {@code 720p} or {@code WIDTHxHEIGHT} (optional)
 * @param gameParas     start parameters for the game (optional)
 * @param imageUrl      the background image (optional)
 * @param maxBitrate    Mbps (optional), like {@code minBitrate}
 * @param fps           frames per second (optional)
 */
public record GsStart(GsLockRequest lock, String clientSession, String resolution, String gameParas,
                      String imageUrl, Long maxBitrate, Long minBitrate, Long fps) {

    public GsPool pool() {
        return lock.pool();
    }
}
