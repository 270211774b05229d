package io.playbill.ledger.intake;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * How the intake behaves when deciding a batch fails for a technical reason (database or broker down), and which
 * reply topics it answers on ({@link ReplyTopics}).
 */
@Configuration
@EnableConfigurationProperties(ReplyTopics.class)
class IntakeConfiguration {

    /**
     * Retry the same batch forever with capped exponential back-off: an accepted request must never be
     * skipped. Refusals are replies, not failures, so they never get here; nor does a request that fails on its own,
     * which the listener parks: only failures every request would meet (an outage) do.
     */
    @Bean
    DefaultErrorHandler ledgerIntakeErrorHandler() {
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxInterval(5_000);
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        return new DefaultErrorHandler(backOff);
    }
}
