package io.playbill.gateway.fairuse;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The concurrency budgets and the paths each one covers, as Resilience4j semaphore bulkheads that never wait: a
 * request that finds its budget spent is refused at once. Paths are matched like Spring MVC matches them (decoded,
 * path parameters ignored), so a spelling the controllers accept cannot slip past its budget.
 *
 * <p>An SDK stop ends billing, so refusing it makes the player pay for time they no longer play (under-bill bills
 * what a later renew retry sees; decision 014, follow-up). A stop therefore takes a place in the game budget when
 * there is one, and else one of the stop reserve, which nothing else may use.
 */
final class ConcurrencyBudgets {

    /**
     * A budget and the requests it covers.
     *
     * @param bulkheads the permits a request may take, tried in order: the first free one is held
     */
    record Budget(String kind, RequestMatcher paths, List<Bulkhead> bulkheads) {
    }

    private final List<Budget> budgets;

    ConcurrencyBudgets(ConcurrencyProperties settings) {
        Bulkhead game = bulkhead("game", settings.game());
        budgets = List.of(
                budget("read", List.of(bulkhead("read", settings.reads())), anyMethod("/api/me/**",
                        "/api/finance/**", "/api/admin/replays/**", "/api/admin/audits/**", "/api/admin/parked/**")),
                // The official demo's paths too (v1 and v2): they call GS just the same.
                budget("cloud", List.of(bulkhead("cloud", settings.cloud())), anyMethod("/api/cloud/**",
                        "/StartCloudGame", "/StopCloudGame", "/StartGame", "/StopGame", "/Enqueue", "/Dequeue")),
                // Exactly the stop route (POST); any other spelling or method is an ordinary game call.
                budget("stop", List.of(game, bulkhead("stop-reserve", settings.stops())),
                        PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/api/game/stop")),
                budget("game", List.of(game), anyMethod("/api/game/**")));
    }

    /** The budget of {@code request}, if its path has one. */
    Optional<Budget> of(HttpServletRequest request) {
        return budgets.stream().filter(budget -> budget.paths().matches(request)).findFirst();
    }

    private static Budget budget(String kind, List<Bulkhead> bulkheads, RequestMatcher paths) {
        return new Budget(kind, paths, bulkheads);
    }

    private static RequestMatcher anyMethod(String... patterns) {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        return new OrRequestMatcher(Arrays.stream(patterns)
                .map(pattern -> (RequestMatcher) paths.matcher(pattern)).toList());
    }

    private static Bulkhead bulkhead(String name, int maxConcurrent) {
        return Bulkhead.of("playbill-" + name, BulkheadConfig.custom()
                .maxConcurrentCalls(maxConcurrent)
                .maxWaitDuration(Duration.ZERO)
                .build());
    }
}
