package io.playbill.gateway.billing;

import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/** The billing settings, and the billing of mode none; the ledger-backed billing lives in the ledger package. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BillingProperties.class)
public class BillingConfiguration {

    @Bean
    @Conditional(BillingModeCondition.Off.class)
    SessionBilling freeSessionBilling(BillingProperties billing) {
        return new FreeSessionBilling(billing.cycleSeconds());
    }

    @Bean
    MeterBinder wallClockSteps(Clock clock) {
        return new WallClockSteps(clock, System::nanoTime);
    }
}
