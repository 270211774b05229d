package io.playbill.gateway.cloud;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.playbill.gateway.cloud.gs.GsLockRequest;
import io.playbill.gateway.cloud.gs.GsPool;
import io.playbill.gateway.cloud.gs.GsStart;
import io.playbill.gateway.web.NoControlCharacters;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The official demo's {@code POST /StartCloudGame} body, in its PascalCase, with the rules of
 * {@link CloudStartRequest}. Its {@code UserId} is not read: the user is always the authenticated one; nor is GS's
 * deprecated {@code Bitrate}.
 */
@BitrateRange
record DemoStartRequest(
        @JsonProperty("GameId") @NotNull(message = "is required")
        @Pattern(regexp = CloudInput.GAME_ID_PATTERN, message = CloudInput.GAME_ID_RULE) String gameId,
        @JsonProperty("ClientSession") @NotNull(message = "is required")
        @Size(max = CloudInput.MAX_CLIENT_SESSION, message = CloudInput.CLIENT_SESSION_RULE)
        @Pattern(regexp = CloudInput.CLIENT_SESSION_PATTERN, message = CloudInput.CLIENT_SESSION_RULE)
        String clientSession,
        @JsonProperty("GameRegion")
        @Pattern(regexp = CloudInput.REGION_PATTERN, message = CloudInput.REGION_RULE) String gameRegion,
        @JsonProperty("GroupId")
        @Pattern(regexp = CloudInput.GROUP_ID_PATTERN, message = CloudInput.GROUP_ID_RULE) String groupId,
        @JsonProperty("Resolution")
        @Pattern(regexp = CloudInput.RESOLUTION_PATTERN, message = CloudInput.RESOLUTION_RULE) String resolution,
        @JsonProperty("GameParas") @NoControlCharacters
        @Size(max = CloudInput.MAX_GAME_PARAS, message = "must be at most 1024 characters") String gameParas,
        @JsonProperty("ImageUrl") @NoControlCharacters
        @Pattern(regexp = CloudInput.IMAGE_URL_PATTERN, message = CloudInput.IMAGE_URL_RULE) String imageUrl,
        @JsonProperty("MaxBitrate") @Min(value = 1, message = CloudInput.BITRATE_RULE)
        @Max(value = CloudInput.MAX_BITRATE_MBPS, message = CloudInput.BITRATE_RULE) Long maxBitrate,
        @JsonProperty("MinBitrate") @Min(value = 1, message = CloudInput.BITRATE_RULE)
        @Max(value = CloudInput.MAX_BITRATE_MBPS, message = CloudInput.BITRATE_RULE) Long minBitrate,
        @JsonProperty("Fps") @FrameRate Long fps) implements BitrateRange.Bitrates {

    GsStart toStart() {
        return new GsStart(new GsLockRequest(new GsPool(gameId), gameRegion, groupId), clientSession, resolution,
                gameParas, imageUrl, maxBitrate, minBitrate, fps);
    }
}
