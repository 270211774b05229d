package io.playbill.gateway.cloud;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.playbill.gateway.cloud.gs.GsPool;
import io.playbill.gateway.cloud.gs.GsStart;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The official demo's {@code POST /StartCloudGame} body, in its PascalCase. Its {@code UserId} is not read: the user
 * is always the authenticated one.
 */
record DemoStartRequest(
        @JsonProperty("GameId") @NotNull(message = "is required")
        @Pattern(regexp = CloudInput.GAME_ID_PATTERN, message = CloudInput.GAME_ID_RULE) String gameId,
        @JsonProperty("ClientSession") @NotBlank(message = "is required") String clientSession,
        @JsonProperty("GameRegion")
        @Pattern(regexp = CloudInput.REGION_PATTERN, message = CloudInput.REGION_RULE) String gameRegion,
        @JsonProperty("GroupId")
        @Pattern(regexp = CloudInput.GROUP_ID_PATTERN, message = CloudInput.GROUP_ID_RULE) String groupId,
        @JsonProperty("Resolution")
        @Pattern(regexp = CloudInput.RESOLUTION_PATTERN, message = CloudInput.RESOLUTION_RULE) String resolution,
        @JsonProperty("GameParas")
        @Size(max = CloudInput.MAX_GAME_PARAS, message = "must be at most 1024 characters") String gameParas,
        @JsonProperty("ImageUrl")
        @Pattern(regexp = CloudInput.IMAGE_URL_PATTERN, message = CloudInput.IMAGE_URL_RULE) String imageUrl,
        @JsonProperty("Bitrate") @Min(value = 1, message = "must be at least 1")
        @Max(value = CloudInput.MAX_BITRATE, message = "must be at most " + CloudInput.MAX_BITRATE) Long bitrate,
        @JsonProperty("MaxBitrate") @Min(value = 1, message = "must be at least 1")
        @Max(value = CloudInput.MAX_BITRATE, message = "must be at most " + CloudInput.MAX_BITRATE) Long maxBitrate,
        @JsonProperty("MinBitrate") @Min(value = 1, message = "must be at least 1")
        @Max(value = CloudInput.MAX_BITRATE, message = "must be at most " + CloudInput.MAX_BITRATE) Long minBitrate,
        @JsonProperty("Fps") @Min(value = 1, message = "must be at least 1")
        @Max(value = CloudInput.MAX_FPS, message = "must be at most " + CloudInput.MAX_FPS) Long fps) {

    GsStart toStart() {
        return new GsStart(new GsPool(gameId, gameRegion), clientSession, groupId, resolution, gameParas, imageUrl,
                bitrate, maxBitrate, minBitrate, fps);
    }
}
