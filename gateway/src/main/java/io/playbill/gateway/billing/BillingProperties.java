package io.playbill.gateway.billing;

import io.playbill.gateway.config.SettingsCheck;
import io.playbill.ledger.api.events.BillingMode;
import io.playbill.ledger.api.settings.BillingCycle;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.core.env.Environment;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * {@code playbill.billing.*}, read by the ledger too.
 *
 * @param mode  none, under (default) or over
 * @param cycle how far one renew extends the deadline in mode none (default 60 s; a bare number means seconds;
 *              {@link BillingCycle} says what is valid). In modes under and over the ledger owns the cycle.
 */
@ConfigurationProperties(BillingProperties.PREFIX)
public record BillingProperties(@DefaultValue("under") BillingMode mode,
                                @DefaultValue("60s") @DurationUnit(ChronoUnit.SECONDS) Duration cycle) {

    static final String PREFIX = "playbill.billing";

    public BillingProperties {
        new SettingsCheck(PREFIX)
                .require(BillingCycle.isValid(cycle), "cycle", BillingCycle.problem(cycle))
                .throwIfInvalid();
    }

    public long cycleSeconds() {
        return cycle.toSeconds();
    }

    /** The settings as they will be bound, for decisions taken before the beans exist (conditions). */
    static BillingProperties from(Environment environment) {
        return Binder.get(environment).bindOrCreate(PREFIX, BillingProperties.class);
    }
}
