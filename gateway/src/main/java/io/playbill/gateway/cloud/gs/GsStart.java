package io.playbill.gateway.cloud.gs;

/**
 * What a player asks for to start a cloud game: the TrylockWorker and CreateSession parameters the gateway passes on.
 * HostUserId and Role (watching someone else's game) are deliberately absent: the gateway never lets a player name
 * another user.
 *
 * @param pool          the game and region
 * @param clientSession the SDK's ClientSession
 * @param groupId       TrylockWorker's GroupId (optional)
 * @param resolution    e.g. {@code 1920x1080} (optional)
 * @param gameParas     start parameters for the game (optional)
 * @param imageUrl      the background image (optional)
 * @param bitrate       kbit/s (optional), like {@code maxBitrate}, {@code minBitrate}
 * @param fps           frames per second (optional)
 */
public record GsStart(GsPool pool, String clientSession, String groupId, String resolution, String gameParas,
                      String imageUrl, Long bitrate, Long maxBitrate, Long minBitrate, Long fps) {
}
