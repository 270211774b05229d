package io.playbill.ledger.config;

import io.playbill.ledger.domain.BillingSetting;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * {@code playbill.billing.*}: the same properties the gateway reads, so both sides agree on the mode and cycle.
 *
 * @param mode  none, under (default) or over
 * @param cycle the billing cycle C in whole seconds (default 60 s; a bare number means seconds)
 */
@ConfigurationProperties("playbill.billing")
public record BillingProperties(@DefaultValue("under") BillingSetting mode,
                                @DefaultValue("60s") @DurationUnit(ChronoUnit.SECONDS) Duration cycle) {

    public BillingProperties {
        if (cycle.toMillis() % 1000 != 0 || cycle.toSeconds() < 1) {
            throw new IllegalArgumentException("playbill.billing.cycle must be a whole number of seconds, at least"
                    + " 1 s: " + cycle);
        }
    }
}
