package io.playbill.gateway.fairuse;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One Bucket4j token bucket per user, in a bounded Caffeine cache. A bucket left alone until it would be full again
 * is forgotten, which changes nothing: a new bucket starts full. Buckets and their expiry both run on the gateway
 * clock.
 */
final class UserRateLimits {

    /** Users whose buckets are kept; beyond that the least recently seen lose theirs (and start full again). */
    static final long MAX_TRACKED_USERS = 100_000;

    private final RateLimitProperties settings;
    private final TimeMeter time;
    private final Cache<String, Bucket> buckets;

    UserRateLimits(RateLimitProperties settings, Clock clock) {
        this.settings = settings;
        this.time = new ClockTimeMeter(clock);
        Duration untilFull = Duration.ofSeconds(
                Math.max(1, (settings.burst() + settings.requestsPerSecond() - 1) / settings.requestsPerSecond()));
        this.buckets = Caffeine.newBuilder()
                .maximumSize(MAX_TRACKED_USERS)
                .expireAfterAccess(untilFull)
                .ticker(time::currentTimeNanos)
                .build();
    }

    /** Counts one request of {@code userId}: empty if it may go ahead, else how long until the next one may. */
    Optional<Duration> refusal(String userId) {
        ConsumptionProbe probe = buckets.get(userId, id -> newBucket()).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? Optional.empty() : Optional.of(Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(settings.burst())
                        .refillGreedy(settings.requestsPerSecond(), Duration.ofSeconds(1)))
                .withCustomTimePrecision(time)
                .build();
    }

    /** The gateway clock for Bucket4j, so that tests move time instead of sleeping. */
    private record ClockTimeMeter(Clock clock) implements TimeMeter {

        @Override
        public long currentTimeNanos() {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }
}
