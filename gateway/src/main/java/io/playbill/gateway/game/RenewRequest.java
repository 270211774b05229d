package io.playbill.gateway.game;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** {@code POST /api/game/renew}: {@code lastDeadline} is the deadline the client holds, 0 on the first renew. */
record RenewRequest(
        @NotNull(message = "is required")
        @Pattern(regexp = GameInput.SESSION_PATTERN, message = GameInput.SESSION_RULE)
        @Schema(example = "foobar") String session,
        @NotNull(message = "is required")
        @Min(value = 0, message = "must be at least 0")
        @Max(value = GameInput.MAX_LAST_DEADLINE, message = "must be at most " + GameInput.MAX_LAST_DEADLINE)
        @Schema(example = "0") Long lastDeadline) {
}
