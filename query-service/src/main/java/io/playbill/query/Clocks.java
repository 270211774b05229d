package io.playbill.query;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/** One clock for "now" defaults (liability as of now, replay and audit times), replaceable in tests. */
@Configuration
class Clocks {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
