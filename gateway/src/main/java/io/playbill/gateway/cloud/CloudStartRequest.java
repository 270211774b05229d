package io.playbill.gateway.cloud;

import io.playbill.gateway.cloud.gs.GsPool;
import io.playbill.gateway.cloud.gs.GsStart;
import io.playbill.gateway.game.GameInput;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /api/cloud/start}: the SDK's ClientSession and the game; the rest is optional. {@code session} is the
 * token SDK's session that pays for the game (its client renews it); without it the gateway opens a session on
 * {@code queue} (default: the default queue) and renews it itself, for clients without the token heartbeat.
 */
record CloudStartRequest(
        @Pattern(regexp = GameInput.SESSION_PATTERN, message = GameInput.SESSION_RULE)
        @Schema(example = "foobar", description = "the SDK session paying for the game (authToken first)")
        String session,
        @Pattern(regexp = GameInput.QUEUE_PATTERN, message = GameInput.QUEUE_RULE)
        @Schema(example = "standard", description = "without session: the queue (price) of the session the gateway "
                + "opens") String queue,
        @NotBlank(message = "is required") @Schema(description = "from TCGSDK.getClientSession()")
        String clientSession,
        @NotNull(message = "is required")
        @Pattern(regexp = CloudInput.GAME_ID_PATTERN, message = CloudInput.GAME_ID_RULE)
        @Schema(example = "game-abc123") String gameId,
        @Pattern(regexp = CloudInput.REGION_PATTERN, message = CloudInput.REGION_RULE)
        @Schema(example = "ap-guangzhou") String gameRegion,
        @Pattern(regexp = CloudInput.GROUP_ID_PATTERN, message = CloudInput.GROUP_ID_RULE) String groupId,
        @Pattern(regexp = CloudInput.RESOLUTION_PATTERN, message = CloudInput.RESOLUTION_RULE)
        @Schema(example = "1920x1080") String resolution,
        @Size(max = CloudInput.MAX_GAME_PARAS, message = "must be at most 1024 characters") String gameParas,
        @Pattern(regexp = CloudInput.IMAGE_URL_PATTERN, message = CloudInput.IMAGE_URL_RULE) String imageUrl,
        @Min(value = 1, message = "must be at least 1") @Max(value = CloudInput.MAX_BITRATE,
                message = "must be at most " + CloudInput.MAX_BITRATE) Long bitrate,
        @Min(value = 1, message = "must be at least 1") @Max(value = CloudInput.MAX_BITRATE,
                message = "must be at most " + CloudInput.MAX_BITRATE) Long maxBitrate,
        @Min(value = 1, message = "must be at least 1") @Max(value = CloudInput.MAX_BITRATE,
                message = "must be at most " + CloudInput.MAX_BITRATE) Long minBitrate,
        @Min(value = 1, message = "must be at least 1") @Max(value = CloudInput.MAX_FPS,
                message = "must be at most " + CloudInput.MAX_FPS) Long fps) {

    GsStart toStart() {
        return new GsStart(new GsPool(gameId, gameRegion), clientSession, groupId, resolution, gameParas, imageUrl,
                bitrate, maxBitrate, minBitrate, fps);
    }
}
