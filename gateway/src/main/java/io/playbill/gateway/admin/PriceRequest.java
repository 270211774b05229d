package io.playbill.gateway.admin;

import io.playbill.ledger.api.messages.LedgerOperation;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;

/** A queue's price per minute of playtime, in minor units (0 = free). */
record PriceRequest(
        @NotNull(message = "is required")
        @PositiveOrZero(message = "must be at least 0")
        @Max(value = LedgerOperation.SetPrice.MAX_PRICE_PER_MINUTE,
                message = "must be at most " + LedgerOperation.SetPrice.MAX_PRICE_PER_MINUTE)
        @Schema(example = "60") Long pricePerMinute) {
}
