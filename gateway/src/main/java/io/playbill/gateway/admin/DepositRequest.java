package io.playbill.gateway.admin;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

/** Credit {@code amount} minor units; {@code reference} makes a retry harmless. */
record DepositRequest(
        @NotNull(message = "is required")
        @Positive(message = "must be positive")
        @Max(value = AdminInput.MAX_AMOUNT, message = "must be at most " + AdminInput.MAX_AMOUNT)
        @Schema(example = "1000") Long amount,
        @NotNull(message = "is required")
        @Pattern(regexp = AdminInput.REFERENCE_PATTERN, message = AdminInput.REFERENCE_RULE)
        @Schema(example = "pay-42") String reference) {
}
