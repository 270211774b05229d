package io.playbill.gateway.fairuse;

import io.playbill.gateway.config.SettingsCheck;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code playbill.rate-limit.*}: how many requests one user may send to this gateway instance. A token bucket per
 * user: {@code burst} requests at once, refilled at {@code requests-per-second}. Every gateway instance counts on
 * its own, so behind a load balancer a user may send up to that many times the rate in total.
 *
 * @param enabled           off only for load tests that play many sessions as one user
 * @param requestsPerSecond the sustained rate per user (default 10: a player's SDK and pages need far fewer)
 * @param burst             the requests a user may send at once, after a quiet moment (default 20)
 * @param inFlight          the requests a user may have open at once, until each is answered (default 8: an SDK has
 *                          one or two; without a bound, requests whose bodies never finish arriving would hold the
 *                          concurrency budgets' places for everyone)
 */
@ConfigurationProperties("playbill.rate-limit")
public record RateLimitProperties(@DefaultValue("true") boolean enabled,
                                  @DefaultValue("10") int requestsPerSecond,
                                  @DefaultValue("20") int burst,
                                  @DefaultValue("8") int inFlight) {

    static final int MAX_REQUESTS_PER_SECOND = 10_000;
    static final int MAX_BURST = 100_000;

    public RateLimitProperties {
        new SettingsCheck("playbill.rate-limit")
                .require(requestsPerSecond >= 1 && requestsPerSecond <= MAX_REQUESTS_PER_SECOND,
                        "requests-per-second", "must be between 1 and " + MAX_REQUESTS_PER_SECOND)
                .require(burst >= 1 && burst <= MAX_BURST, "burst", "must be between 1 and " + MAX_BURST)
                .require(inFlight >= 1 && inFlight <= MAX_BURST, "in-flight", "must be between 1 and " + MAX_BURST)
                .throwIfInvalid();
    }
}
