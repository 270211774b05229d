package io.playbill.gateway.cloud;

import io.playbill.gateway.config.SettingsCheck;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code playbill.cloud.*}: cloud games through Tencent Cloud GS. Bound only when {@code playbill.cloud.enabled=true};
 * then the database settings ({@code spring.datasource.*}, database {@code playbill_gateway}) are required too.
 *
 * @param enabled        the cloud-game endpoints, the queue and the stopper (default false: no database is used)
 * @param endpoint       the GS API host[:port] (default {@code gs.tencentcloudapi.com}); the emulator in dev and tests
 * @param protocol       {@code https://} (default) or {@code http://} (emulator only)
 * @param region         the region the API client signs for (default {@code ap-guangzhou})
 * @param secretId       the Tencent Cloud API SecretId (required)
 * @param secretKey      the Tencent Cloud API SecretKey (required; never logged)
 * @param connectTimeout connect timeout of each GS call, whole seconds (the SDK's unit; default 3 s)
 * @param readTimeout    read timeout of each GS call, whole seconds (default 5 s)
 * @param trustedProxies the reverse proxies in front of the gateway, IP literals or CIDR blocks (default none): from
 *                       a trusted peer the player's address for UserIp is the right-most X-Forwarded-For entry that
 *                       is not a trusted proxy; otherwise it is the peer's address
 * @param trustProxy     deprecated: with no {@code trusted-proxies}, {@code true} trusts the private networks
 *                       ({@link ClientAddress#PRIVATE_NETWORKS}) as proxies
 * @param demoCompat     also serve the official demo's {@code POST /StartCloudGame} and {@code /StopCloudGame}
 * @param retry          retries of transient GS errors
 * @param queue          the waiting queue for when no worker is idle
 * @param stopper        stopping games whose ledger session ended
 * @param heartbeat      renewing the sessions of games whose clients do not renew
 * @param catalogue      per queue ({@code playbill.game.queues}), what a session on it may start ({@link Offer});
 *                       required outside dev mode, where an empty catalogue lets any game start on any group
 */
@ConfigurationProperties(CloudProperties.PREFIX)
public record CloudProperties(boolean enabled,
                              @DefaultValue("gs.tencentcloudapi.com") String endpoint,
                              @DefaultValue("https://") String protocol,
                              @DefaultValue("ap-guangzhou") String region,
                              String secretId,
                              String secretKey,
                              @DefaultValue("3s") Duration connectTimeout,
                              @DefaultValue("5s") Duration readTimeout,
                              @DefaultValue List<String> trustedProxies,
                              boolean trustProxy,
                              boolean demoCompat,
                              @DefaultValue Retry retry,
                              @DefaultValue Queue queue,
                              @DefaultValue Stopper stopper,
                              @DefaultValue Heartbeat heartbeat,
                              @DefaultValue Map<String, Offer> catalogue) {

    public static final String PREFIX = "playbill.cloud";

    /**
     * The longest a start may wait for GS with these settings: TrylockWorker, then CreateSession, each called up to
     * once plus its transient and its "not yet" retries, every call up to connect + 2 x read timeout, with the
     * back-offs between them at their longest; then the StopGame that releases the worker when CreateSession failed.
     */
    public Duration longestGsStart() {
        long calls = (retry.maxAttempts() - 1L) + (retry.notReadyAttempts() - 1L) + 1;
        Duration oneCall = connectTimeout.plus(readTimeout.multipliedBy(2));
        Duration oneAction = oneCall.multipliedBy(calls)
                .plus(retry.maxBackoff().multipliedBy(retry.maxAttempts() - 1L))
                .plus(retry.notReadyBackoff().multipliedBy(retry.notReadyAttempts() - 1L));
        return oneAction.multipliedBy(2).plus(oneCall);
    }

    /**
     * @param maxAttempts      calls per GS action when it fails transiently, the first included (default 3)
     * @param initialBackoff   the wait before the second attempt; it doubles per attempt (default 200 ms)
     * @param maxBackoff       the longest wait between attempts (default 2 s)
     * @param notReadyAttempts calls per GS action of a start while GS answers "not yet"
     *                         ({@code UnsupportedOperation.Stopping}, {@code ResourceUnavailable.Initialization}),
     *                         the first included (default 4); the queue tries again on its own schedule instead
     * @param notReadyBackoff  the wait between those calls (default 1 s)
     */
    public record Retry(@DefaultValue("3") int maxAttempts, @DefaultValue("200ms") Duration initialBackoff,
                        @DefaultValue("2s") Duration maxBackoff, @DefaultValue("4") int notReadyAttempts,
                        @DefaultValue("1s") Duration notReadyBackoff) {
    }

    /**
     * @param lockRetryInterval how often TrylockWorker is retried for the head of each queue (default 1 s)
     * @param entryTtl          a waiting place is dropped when its client has not polled for this long (default 60 s)
     * @param readyTimeout      how long a worker locked for the head waits for its client to call start again
     *                          (default 20 s; keep it below the GS lock timeout)
     */
    public record Queue(@DefaultValue("1s") Duration lockRetryInterval, @DefaultValue("60s") Duration entryTtl,
                        @DefaultValue("20s") Duration readyTimeout) {
    }

    /**
     * @param maxAttempts     StopGame attempts for an ended session's game before it is parked for an operator
     *                        (default 10)
     * @param firstRetryDelay the wait after the first failed attempt; it doubles per attempt (default 1 s)
     * @param maxRetryDelay   the longest wait between attempts (default 1 min)
     * @param concurrency     stops an instance asks GS at once (default 4): each holds a database connection while
     *                        GS answers, so keep it well below the connection pool (Hikari's default 10)
     * @param retention       how long the record of a finished stop (stopped, no game) is kept (default 30 days);
     *                        pending and parked ones stay until they finish
     * @param finishGrace     when the stopper finishes a player's stop itself, should the instance that began it
     *                        have died before releasing the game and ending its session (default 30 s)
     */
    public record Stopper(@DefaultValue("10") int maxAttempts, @DefaultValue("1s") Duration firstRetryDelay,
                          @DefaultValue("1m") Duration maxRetryDelay, @DefaultValue("4") int concurrency,
                          @DefaultValue("30d") Duration retention, @DefaultValue("30s") Duration finishGrace) {

        public Stopper {
            if (concurrency < 1) {
                throw new IllegalArgumentException("playbill.cloud.stopper.concurrency must be at least 1, not "
                        + concurrency);
            }
            if (retention.compareTo(Duration.ofHours(1)) < 0) {
                throw new IllegalArgumentException("playbill.cloud.stopper.retention must be at least 1h, not "
                        + retention);
            }
        }
    }

    /**
     * The gateway's own renews for games of clients without the token heartbeat.
     *
     * @param interval         how often each instance looks for due renews (default 1 s)
     * @param minRenewInterval the least time between two renews of one game, for a game whose deadline stopped
     *                         growing (its balance is running out; default 5 s)
     * @param maxPlaytime      a game that ran this long without a stop has its session ended, which stops it: GS
     *                         cannot tell whether a player who left without stopping still plays (default 12 h)
     */
    public record Heartbeat(@DefaultValue("1s") Duration interval, @DefaultValue("5s") Duration minRenewInterval,
                            @DefaultValue("12h") Duration maxPlaytime) {
    }

    /**
     * What the price of one queue pays for on GS: a queue is a hardware tier, so its sessions start only its games,
     * on its worker groups.
     *
     * @param games     the GS GameIds a session on the queue may start (at least one)
     * @param groups    the GS worker GroupIds its games are locked on; a start naming none gets the first. Empty
     *                  (default): GS chooses the group, and a start may name none
     * @param gameParas whether a start may pass GameParas (the game process's start parameters) from the player
     *                  (default false: a player cannot change how the game starts)
     */
    public record Offer(@DefaultValue List<String> games, @DefaultValue List<String> groups, boolean gameParas) {

        public Offer {
            games = List.copyOf(games);
            groups = List.copyOf(groups);
        }
    }

    public CloudProperties {
        catalogue = Map.copyOf(catalogue);
        if (enabled) {
            check(endpoint, protocol, region, secretId, secretKey, connectTimeout, readTimeout, trustedProxies,
                    trustProxy, retry, queue, stopper, heartbeat, catalogue);
        }
    }

    private static void check(String endpoint, String protocol, String region, String secretId, String secretKey,
                              Duration connectTimeout, Duration readTimeout, List<String> trustedProxies,
                              boolean trustProxy, Retry retry, Queue queue, Stopper stopper, Heartbeat heartbeat,
                              Map<String, Offer> catalogue) {
        List<String> badProxies = trustedProxies.stream().filter(proxy -> !ClientAddress.isProxyPattern(proxy))
                .toList();
        SettingsCheck settings = new SettingsCheck(PREFIX)
                .require(hasText(secretId), "secret-id", "is not set: the Tencent Cloud API SecretId")
                .require(hasText(secretKey), "secret-key", "is not set: the Tencent Cloud API SecretKey")
                .require(endpoint != null && endpoint.matches("[A-Za-z0-9.-]+(:\\d{1,5})?"), "endpoint",
                        "must be host or host:port, without scheme or path (was '" + endpoint + "')")
                .require("https://".equals(protocol) || "http://".equals(protocol), "protocol",
                        "must be https:// or http:// (was '" + protocol + "')")
                .require(region != null && region.matches("[a-z0-9-]{1,32}"), "region",
                        "must be a region like ap-guangzhou (was '" + region + "')")
                .require(wholeSeconds(connectTimeout, 1, 60), "connect-timeout", "must be 1-60 whole seconds")
                .require(wholeSeconds(readTimeout, 1, 60), "read-timeout", "must be 1-60 whole seconds")
                // The stopper must not take over a player's StopGame still in flight: the slot it then frees could
                // go to a new start, whose game that late StopGame (naming only the user) would end.
                .require(stopper.finishGrace().compareTo(connectTimeout.plus(readTimeout.multipliedBy(2))) > 0,
                        "stopper.finish-grace", "must be longer than connect-timeout + 2 x read-timeout (the longest"
                                + " a StopGame call may take)")
                .require(retry.maxAttempts() >= 1 && retry.maxAttempts() <= 10, "retry.max-attempts", "must be 1-10")
                .require(between(retry.initialBackoff(), Duration.ofMillis(1), Duration.ofSeconds(10)),
                        "retry.initial-backoff", "must be between 1 ms and 10 s")
                .require(between(retry.maxBackoff(), retry.initialBackoff(), Duration.ofSeconds(30)),
                        "retry.max-backoff", "must be between retry.initial-backoff and 30 s")
                .require(retry.notReadyAttempts() >= 1 && retry.notReadyAttempts() <= 10, "retry.not-ready-attempts",
                        "must be 1-10")
                .require(between(retry.notReadyBackoff(), Duration.ofMillis(1), Duration.ofSeconds(10)),
                        "retry.not-ready-backoff", "must be between 1 ms and 10 s")
                .require(badProxies.isEmpty(), "trusted-proxies",
                        "must be IP addresses or CIDR blocks like 10.0.0.0/8 or fc00::/7 (was " + badProxies + ")")
                .require(!trustProxy || trustedProxies.isEmpty(), "trust-proxy",
                        "is replaced by trusted-proxies: set only trusted-proxies")
                .require(between(queue.lockRetryInterval(), Duration.ofMillis(50), Duration.ofMinutes(1)),
                        "queue.lock-retry-interval", "must be between 50 ms and 1 min")
                .require(between(queue.entryTtl(), Duration.ofSeconds(1), Duration.ofHours(1)),
                        "queue.entry-ttl", "must be between 1 s and 1 h")
                .require(between(queue.readyTimeout(), Duration.ofSeconds(1), Duration.ofMinutes(10)),
                        "queue.ready-timeout", "must be between 1 s and 10 min")
                .require(stopper.maxAttempts() >= 1 && stopper.maxAttempts() <= 100, "stopper.max-attempts",
                        "must be 1-100")
                .require(between(stopper.firstRetryDelay(), Duration.ofMillis(100), Duration.ofMinutes(1)),
                        "stopper.first-retry-delay", "must be between 100 ms and 1 min")
                .require(between(stopper.maxRetryDelay(), stopper.firstRetryDelay(), Duration.ofHours(1)),
                        "stopper.max-retry-delay", "must be between stopper.first-retry-delay and 1 h")
                .require(between(heartbeat.interval(), Duration.ofMillis(100), Duration.ofSeconds(10)),
                        "heartbeat.interval", "must be between 100 ms and 10 s")
                .require(between(heartbeat.minRenewInterval(), Duration.ofMillis(100), Duration.ofSeconds(30)),
                        "heartbeat.min-renew-interval", "must be between 100 ms and 30 s")
                .require(between(heartbeat.maxPlaytime(), Duration.ofMinutes(1), Duration.ofDays(7)),
                        "heartbeat.max-playtime", "must be between 1 min and 7 days");
        catalogue.forEach((queueName, offer) -> settings
                .require(!offer.games().isEmpty(), "catalogue." + queueName + ".games",
                        "must name at least one GS GameId")
                .require(offer.games().stream().allMatch(game -> game.matches(CloudInput.GAME_ID_PATTERN)),
                        "catalogue." + queueName + ".games", "entries " + CloudInput.GAME_ID_RULE)
                .require(offer.groups().stream().allMatch(group -> group.matches(CloudInput.GROUP_ID_PATTERN)),
                        "catalogue." + queueName + ".groups", "entries " + CloudInput.GROUP_ID_RULE));
        settings.throwIfInvalid();
    }

    /** Keeps the secret key out of logs and error messages. */
    @Override
    public String toString() {
        return "CloudProperties[enabled=" + enabled + ", endpoint=" + endpoint + ", protocol=" + protocol
                + ", region=" + region + ", secretId=" + secretId + ", secretKey=(hidden), connectTimeout="
                + connectTimeout + ", readTimeout=" + readTimeout + ", trustedProxies=" + trustedProxies
                + ", trustProxy=" + trustProxy + ", demoCompat=" + demoCompat + ", retry=" + retry + ", queue="
                + queue + ", stopper=" + stopper + ", heartbeat=" + heartbeat + ", catalogue=" + catalogue + "]";
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }

    private static boolean wholeSeconds(Duration value, int min, int max) {
        return value != null && value.toMillis() % 1000 == 0 && value.toSeconds() >= min && value.toSeconds() <= max;
    }

    private static boolean between(Duration value, Duration min, Duration max) {
        return value != null && value.compareTo(min) >= 0 && value.compareTo(max) <= 0;
    }
}
