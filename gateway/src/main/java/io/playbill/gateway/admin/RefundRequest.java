package io.playbill.gateway.admin;

import io.playbill.gateway.web.NoControlCharacters;
import io.playbill.gateway.web.RequiredText;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/** Give {@code amount} minor units back to the user out of their balance. */
record RefundRequest(
        @NotNull(message = "is required")
        @Positive(message = "must be positive")
        @Max(value = AdminInput.MAX_AMOUNT, message = "must be at most " + AdminInput.MAX_AMOUNT)
        @Schema(example = "500") Long amount,
        @NotNull(message = "is required")
        @Pattern(regexp = AdminInput.REFERENCE_PATTERN, message = AdminInput.REFERENCE_RULE)
        @Schema(example = "refund-7") String reference,
        @RequiredText
        @Size(max = AdminInput.MAX_REASON_LENGTH, message = "must be at most 200 characters")
        @NoControlCharacters
        @Schema(example = "game crashed", requiredMode = Schema.RequiredMode.REQUIRED) String reason) {
}
