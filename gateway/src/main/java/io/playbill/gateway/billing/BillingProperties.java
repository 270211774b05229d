package io.playbill.gateway.billing;

import io.playbill.gateway.config.SettingsCheck;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.core.env.Environment;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * {@code playbill.billing.*}.
 *
 * @param mode  none, under (default) or over
 * @param cycle how far one renew extends the deadline in mode none (default 60 s; a bare number means seconds).
 *              In modes under and over the ledger owns the cycle.
 */
@ConfigurationProperties(BillingProperties.PREFIX)
public record BillingProperties(@DefaultValue("under") BillingMode mode,
                                @DefaultValue("60s") @DurationUnit(ChronoUnit.SECONDS) Duration cycle) {

    static final String PREFIX = "playbill.billing";

    /** The SDK asks for the next renew token 30 s before the deadline, so a cycle must be longer than that. */
    static final Duration SDK_RENEW_MARGIN = Duration.ofSeconds(30);

    public BillingProperties {
        new SettingsCheck(PREFIX)
                .require(cycle != null && cycle.compareTo(SDK_RENEW_MARGIN) > 0 && cycle.toMillis() % 1000 == 0,
                        "cycle", "must be a whole number of seconds above the SDK's 30 s renew margin (was "
                                + (cycle == null ? "not set" : cycle.toMillis() + " ms") + ")")
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
