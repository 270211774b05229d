package io.playbill.gateway.admin;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * The parked item an operator retries or skips: an intake request's id ({@code 42}), a session expiry
 * ({@code user/session}) or the user whose events the publisher holds ({@code user}), as listed by
 * {@code GET /api/admin/parked/ledger}.
 */
record ParkedItemRequest(
        @NotNull(message = "is required")
        @Pattern(regexp = "[A-Za-z0-9._@:/-]{1,200}", message = "must be 1-200 letters, digits, '.', '_', '@', ':',"
                + " '/' or '-'")
        @Schema(example = "42") String item) {
}
