package io.playbill.ledger.config;

import io.playbill.ledger.api.events.BillingMode;
import io.playbill.ledger.api.settings.BillingCycle;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * {@code playbill.billing.*}: the same properties the gateway reads, so both sides agree on the mode and cycle.
 *
 * @param mode  none, under (default) or over
 * @param cycle the billing cycle C (default 60 s; a bare number means seconds; {@link BillingCycle} says what is
 *              valid, for the gateway too)
 */
@ConfigurationProperties(BillingProperties.PREFIX)
public record BillingProperties(@DefaultValue("under") BillingMode mode,
                                @DefaultValue("60s") @DurationUnit(ChronoUnit.SECONDS) Duration cycle) {

    static final String PREFIX = "playbill.billing";

    public BillingProperties {
        if (!BillingCycle.isValid(cycle)) {
            throw new IllegalArgumentException(PREFIX + ".cycle " + BillingCycle.problem(cycle));
        }
    }
}
