package io.playbill.query.finance;

import java.time.LocalDate;

/**
 * Money moved in and out of prepaid balances on one day (UTC), other than playtime charges.
 *
 * @param depositAmount    Σ deposits, minor units
 * @param refundAmount     Σ refunds, minor units (positive)
 * @param adjustmentAmount Σ adjustments, minor units (signed)
 */
public record MoneyDay(LocalDate day, long deposits, long depositAmount, long refunds, long refundAmount,
                       long adjustments, long adjustmentAmount) {
}
