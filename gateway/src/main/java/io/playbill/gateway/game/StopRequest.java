package io.playbill.gateway.game;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** {@code POST /api/game/stop}. */
record StopRequest(
        @NotNull(message = "is required")
        @Pattern(regexp = GameInput.SESSION_PATTERN, message = GameInput.SESSION_RULE)
        @Schema(example = "foobar") String session) {
}
