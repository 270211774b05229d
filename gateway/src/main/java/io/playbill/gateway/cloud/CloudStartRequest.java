package io.playbill.gateway.cloud;

import io.playbill.gateway.cloud.gs.GsLockRequest;
import io.playbill.gateway.cloud.gs.GsPool;
import io.playbill.gateway.cloud.gs.GsStart;
import io.playbill.gateway.game.GameInput;
import io.playbill.gateway.web.NoControlCharacters;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /api/cloud/start}: the SDK's ClientSession and the game; the rest is optional. {@code session} is the
 * token SDK's session that pays for the game (its client renews it); without it the gateway opens a session on
 * {@code queue} (default: the default queue) and renews it itself, for clients without the token heartbeat. GS's
 * deprecated {@code bitrate} is not read (ignored like any unknown field).
 */
@BitrateRange
record CloudStartRequest(
        @Pattern(regexp = GameInput.SESSION_PATTERN, message = GameInput.SESSION_RULE)
        @Schema(example = "foobar", description = "the SDK session paying for the game (authToken first)")
        String session,
        @Pattern(regexp = GameInput.QUEUE_PATTERN, message = GameInput.QUEUE_RULE)
        @Schema(example = "standard", description = "without session: the queue (price) of the session the gateway "
                + "opens") String queue,
        @NotNull(message = "is required")
        @Size(max = CloudInput.MAX_CLIENT_SESSION, message = CloudInput.CLIENT_SESSION_RULE)
        @Pattern(regexp = CloudInput.CLIENT_SESSION_PATTERN, message = CloudInput.CLIENT_SESSION_RULE)
        @Schema(description = "from TCGSDK.getClientSession()") String clientSession,
        @NotNull(message = "is required")
        @Pattern(regexp = CloudInput.GAME_ID_PATTERN, message = CloudInput.GAME_ID_RULE)
        @Schema(example = "game-abc123") String gameId,
        @Pattern(regexp = CloudInput.REGION_PATTERN, message = CloudInput.REGION_RULE)
        @Schema(example = "ap-guangzhou", description = "preferred region; GS locks a worker elsewhere if none is idle "
                + "there") String gameRegion,
        @Pattern(regexp = CloudInput.GROUP_ID_PATTERN, message = CloudInput.GROUP_ID_RULE) String groupId,
        @Pattern(regexp = CloudInput.RESOLUTION_PATTERN, message = CloudInput.RESOLUTION_RULE)
        @Schema(example = "1920x1080") String resolution,
        @Size(max = CloudInput.MAX_GAME_PARAS, message = "must be at most 1024 characters") @NoControlCharacters
        String gameParas,
        @Pattern(regexp = CloudInput.IMAGE_URL_PATTERN, message = CloudInput.IMAGE_URL_RULE) @NoControlCharacters
        String imageUrl,
        @Min(value = 1, message = CloudInput.BITRATE_RULE)
        @Max(value = CloudInput.MAX_BITRATE_MBPS, message = CloudInput.BITRATE_RULE)
        @Schema(description = "Mbps", example = "10") Long maxBitrate,
        @Min(value = 1, message = CloudInput.BITRATE_RULE)
        @Max(value = CloudInput.MAX_BITRATE_MBPS, message = CloudInput.BITRATE_RULE)
        @Schema(description = "Mbps, at most maxBitrate", example = "2") Long minBitrate,
        @FrameRate @Schema(allowableValues = {"30", "45", "60", "90", "120", "144"}) Long fps)
        implements BitrateRange.Bitrates {

    GsStart toStart() {
        return new GsStart(new GsLockRequest(new GsPool(gameId), gameRegion, groupId), clientSession, resolution,
                gameParas, imageUrl, maxBitrate, minBitrate, fps);
    }
}
