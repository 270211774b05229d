package io.playbill.ledger.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * {@code playbill.ledger.*} settings of the accounts. (The intake and the expiry scanner read their own
 * {@code playbill.ledger.intake-concurrency} and {@code playbill.ledger.expiry-scan-interval}.)
 *
 * @param maxActiveSessions    sessions a user may have authorized, started or billing at once (default 1)
 * @param snapshotThreshold    events after which an account is snapshotted (default 250)
 * @param authorizationTimeout how long an authorized session may wait for its start (default 10 min)
 * @param accountCacheSize     accounts kept loaded in memory, least recently used evicted (default 10,000)
 */
@ConfigurationProperties("playbill.ledger")
public record LedgerProperties(@DefaultValue("1") int maxActiveSessions,
                               @DefaultValue("250") int snapshotThreshold,
                               @DefaultValue("10m") @DurationUnit(ChronoUnit.SECONDS) Duration authorizationTimeout,
                               @DefaultValue("10000") int accountCacheSize) {

    public LedgerProperties {
        if (snapshotThreshold < 1) {
            throw new IllegalArgumentException("playbill.ledger.snapshot-threshold must be at least 1");
        }
        if (accountCacheSize < 1) {
            throw new IllegalArgumentException("playbill.ledger.account-cache-size must be at least 1");
        }
    }
}
