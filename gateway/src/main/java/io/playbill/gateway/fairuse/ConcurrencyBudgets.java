package io.playbill.gateway.fairuse;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The three concurrency budgets and the paths each one covers, as Resilience4j semaphore bulkheads that never wait:
 * a request that finds its budget spent is refused at once. Paths are matched like Spring MVC matches them
 * (decoded, path parameters ignored), so a spelling the controllers accept cannot slip past its budget.
 */
final class ConcurrencyBudgets {

    /** A budget and the requests it covers. */
    record Budget(String kind, RequestMatcher paths, Bulkhead bulkhead) {
    }

    private final List<Budget> budgets;

    ConcurrencyBudgets(ConcurrencyProperties settings) {
        budgets = List.of(
                budget("read", settings.reads(),
                        "/api/me/**", "/api/finance/**", "/api/admin/replays/**", "/api/admin/audits/**",
                        "/api/admin/parked/**"),
                // The official demo's paths too (v1 and v2): they call GS just the same.
                budget("cloud", settings.cloud(), "/api/cloud/**", "/StartCloudGame", "/StopCloudGame",
                        "/StartGame", "/StopGame", "/Enqueue", "/Dequeue"),
                budget("game", settings.game(), "/api/game/**"));
    }

    /** The budget of {@code request}, if its path has one. */
    Optional<Budget> of(HttpServletRequest request) {
        return budgets.stream().filter(budget -> budget.paths().matches(request)).findFirst();
    }

    private static Budget budget(String kind, int maxConcurrent, String... patterns) {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        RequestMatcher matcher = new OrRequestMatcher(Arrays.stream(patterns)
                .map(pattern -> (RequestMatcher) paths.matcher(pattern)).toList());
        Bulkhead bulkhead = Bulkhead.of("playbill-" + kind, BulkheadConfig.custom()
                .maxConcurrentCalls(maxConcurrent)
                .maxWaitDuration(Duration.ZERO)
                .build());
        return new Budget(kind, matcher, bulkhead);
    }
}
