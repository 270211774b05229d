package io.playbill.gateway.admin;

import io.playbill.gateway.web.NoControlCharacters;
import io.playbill.gateway.web.RequiredText;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A manual correction of {@code amount} minor units: positive or negative, never zero. */
record AdjustmentRequest(
        @NotNull(message = "is required")
        @Min(value = -AdminInput.MAX_AMOUNT, message = "must be at least -" + AdminInput.MAX_AMOUNT)
        @Max(value = AdminInput.MAX_AMOUNT, message = "must be at most " + AdminInput.MAX_AMOUNT)
        @Schema(example = "-250", description = "not zero") Long amount,
        @NotNull(message = "is required")
        @Pattern(regexp = AdminInput.REFERENCE_PATTERN, message = AdminInput.REFERENCE_RULE)
        @Schema(example = "fix-2024-03-01") String reference,
        @RequiredText
        @Size(max = AdminInput.MAX_REASON_LENGTH, message = "must be at most 200 characters")
        @NoControlCharacters
        @Schema(example = "double charge", requiredMode = Schema.RequiredMode.REQUIRED) String reason) {
}
