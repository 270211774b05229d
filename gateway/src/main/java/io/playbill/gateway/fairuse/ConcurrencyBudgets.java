package io.playbill.gateway.fairuse;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.playbill.gateway.routing.ReadRoutesConfiguration;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The concurrency budgets and the paths each one covers, as Resilience4j semaphore bulkheads that never wait: a
 * request that finds its budget spent is refused at once. Paths are matched like Spring MVC matches them (decoded,
 * path parameters ignored), so a spelling the controllers accept cannot slip past its budget.
 *
 * <p>A stop ends billing, so refusing it makes the player pay for time they no longer play (under-bill bills what a
 * later renew retry sees; decision 014, follow-up). A stop, of an SDK session or of a cloud game, therefore takes a
 * place in its own kind's budget when there is one, and else one of the stop reserve, which nothing else may use.
 *
 * <p>SDK token calls also take a waiting place, held until the ledger's answer is written, while their thread place
 * is given back as soon as the request thread is (decision 014, second follow-up).
 */
final class ConcurrencyBudgets {

    /**
     * A budget and the requests it covers.
     *
     * @param threads the thread places a request may take, tried in order: the first free one is held while a
     *                request thread works on the request
     * @param waiting the waiting places a request that goes asynchronous may take, tried in order: the first free one
     *                is held until its response is complete; empty for kinds that never wait without a thread
     * @param threadOnly the thread place is given back when the request thread lets go of the request, and nothing
     *                is held while its response is awaited (without waiting places)
     */
    record Budget(String kind, RequestMatcher paths, List<Bulkhead> threads, List<Bulkhead> waiting,
                  boolean threadOnly) {
    }

    private final Map<String, Bulkhead> places = new LinkedHashMap<>();
    private final List<Budget> budgets;

    /**
     * @param actuatorBasePath {@code management.endpoints.web.base-path}: liveness is exempt wherever the operator
     *                         moved it (at a fixed path, a moved liveness probe was refused with the rest)
     */
    ConcurrencyBudgets(ConcurrencyProperties settings, String actuatorBasePath) {
        Bulkhead game = bulkhead("game", settings.game());
        Bulkhead cloud = bulkhead("cloud", settings.cloud());
        Bulkhead stopReserve = bulkhead("stop-reserve", settings.stops());
        Bulkhead gameWaiting = bulkhead("game-waiting", settings.gameWaiting());
        Bulkhead stopsWaiting = bulkhead("stops-waiting", settings.stopsWaiting());
        budgets = List.of(
                budget("read", List.of(bulkhead("read", settings.reads())), List.of(),
                        anyMethod(ReadRoutesConfiguration.ROUTED_PATHS.toArray(String[]::new))),
                // Exactly the stop routes (POST), the official demo's (v1 and v2) too: a cloud stop ends the session
                // that pays for the game. Any other spelling or method is an ordinary call of its kind.
                budget("stop", List.of(cloud, stopReserve), List.of(),
                        posts("/api/cloud/stop", "/StopCloudGame", "/StopGame")),
                budget("cloud", List.of(cloud), List.of(), anyMethod("/api/cloud/**",
                        "/StartCloudGame", "/StopCloudGame", "/StartGame", "/StopGame", "/Enqueue", "/Dequeue")),
                // An admin's stop of a player's session ends its billing too (and its cloud game).
                budget("stop", List.of(game, stopReserve), List.of(gameWaiting, stopsWaiting),
                        posts("/api/game/stop", "/api/admin/accounts/*/sessions/*/stop")),
                budget("game", List.of(game), List.of(gameWaiting), anyMethod("/api/game/**")),
                // Everything else (health probes, admin calls, the console, the API document) shares the headroom
                // while a request thread works on it: a slow request outside every budget (a probe whose checks wait
                // for the database) must not take the threads the budgets above count on. An admin call waiting for
                // the ledger holds no thread, so it holds no place either. Liveness is never refused: it checks
                // nothing, and a refusal would have a healthy gateway restarted.
                new Budget("other", new NegatedRequestMatcher(PathPatternRequestMatcher.withDefaults()
                        .matcher(HttpMethod.GET, actuatorBasePath + "/health/liveness")),
                        List.of(bulkhead("other", settings.headroom())), List.of(), true));
    }

    /** Every bulkhead of the budgets by its place's name ({@code game}, {@code game-waiting}, ...), for metrics. */
    Map<String, Bulkhead> places() {
        return Collections.unmodifiableMap(places);
    }

    /** The budgets, for metrics. */
    List<Budget> budgets() {
        return budgets;
    }

    /** The budget of {@code request}, if its path has one. */
    Optional<Budget> of(HttpServletRequest request) {
        return budgets.stream().filter(budget -> budget.paths().matches(request)).findFirst();
    }

    private static Budget budget(String kind, List<Bulkhead> threads, List<Bulkhead> waiting, RequestMatcher paths) {
        return new Budget(kind, paths, threads, waiting, false);
    }

    private static RequestMatcher posts(String... paths) {
        PathPatternRequestMatcher.Builder matchers = PathPatternRequestMatcher.withDefaults();
        return new OrRequestMatcher(Arrays.stream(paths)
                .map(path -> (RequestMatcher) matchers.matcher(HttpMethod.POST, path)).toList());
    }

    private static RequestMatcher anyMethod(String... patterns) {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        return new OrRequestMatcher(Arrays.stream(patterns)
                .map(pattern -> (RequestMatcher) paths.matcher(pattern)).toList());
    }

    private Bulkhead bulkhead(String name, int maxConcurrent) {
        Bulkhead bulkhead = Bulkhead.of("playbill-" + name, BulkheadConfig.custom()
                .maxConcurrentCalls(maxConcurrent)
                .maxWaitDuration(Duration.ZERO)
                .build());
        places.put(name, bulkhead);
        return bulkhead;
    }
}
