package io.playbill.gateway.admin;

import io.playbill.gateway.web.NoControlCharacters;
import io.playbill.gateway.web.RequiredText;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Size;

/**
 * The parked item an operator retries or skips: an intake request's id ({@code 42}), a session expiry
 * ({@code user/session}) or a publisher's event ({@code user/event}), as listed by
 * {@code GET /api/admin/parked/ledger}. It names a user, so it takes what a user id may hold: any clean text.
 */
record ParkedItemRequest(
        @RequiredText
        @Size(max = 200, message = "must be at most 200 characters")
        @NoControlCharacters
        @Schema(example = "42", requiredMode = Schema.RequiredMode.REQUIRED) String item) {
}
