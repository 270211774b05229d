package io.playbill.gateway.ledger;

import io.playbill.gateway.config.SettingsCheck;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * {@code playbill.ledger.*}: talking to the ledger over Kafka (billing modes under and over). The Kafka
 * connection itself is Spring Boot's {@code spring.kafka.*} (at least {@code spring.kafka.bootstrap-servers}).
 *
 * @param timeout    how long a request waits for the ledger's reply before answering 503 (default 5 s; below
 *                   30 s, the SDK's renew window)
 * @param retryAfter the {@code Retry-After} sent with that 503 (default 5 s)
 * @param linger     how long the request producer waits to fill a batch ({@code linger.ms}; default 0: a renew
 *                   waited for it at every rate the bench reaches, docs/performance.md; at most 100 ms;
 *                   {@code spring.kafka.producer.properties.linger.ms} wins when set)
 * @param replyMemberId this instance's lasting name in the gateways' reply group (Kafka's static membership,
 *                   decision 035): set, a restarted instance takes its reply partitions back at once instead of
 *                   after its old session lapses and the group rebalances. Unique per instance and the same across
 *                   its restarts (e.g. a StatefulSet pod name); two live instances with one id fence each other.
 *                   Letters, digits, {@code . _ -}, at most 64; default none (dynamic membership)
 */
@ConfigurationProperties("playbill.ledger")
public record LedgerProperties(@DefaultValue("5s") Duration timeout, @DefaultValue("5s") Duration retryAfter,
                               @DefaultValue("0ms") Duration linger, String replyMemberId) {

    private static final Pattern MEMBER_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public LedgerProperties {
        new SettingsCheck("playbill.ledger")
                // Below 30 s: the servlet container's own timeout of an asynchronous request, which must not win.
                .require(timeout != null && timeout.toMillis() >= 100
                                && timeout.compareTo(Duration.ofSeconds(30)) < 0,
                        "timeout", "must be at least 100 ms and below 30 s")
                .require(retryAfter != null && retryAfter.getSeconds() >= 1
                                && retryAfter.compareTo(Duration.ofHours(1)) <= 0,
                        "retry-after", "must be between 1 s and 1 h")
                .require(linger != null && !linger.isNegative() && linger.toMillis() <= 100, "linger",
                        "must be between 0 and 100 ms")
                .require(replyMemberId == null || MEMBER_ID.matcher(replyMemberId).matches(), "reply-member-id",
                        "must be 1 to 64 letters, digits, '.', '_' or '-'")
                .throwIfInvalid();
    }
}
